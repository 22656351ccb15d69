package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.TrialGenerator;
import dev.gradproof.spec.WeightSpec;
import dev.gradproof.spec.layers.ParameterTensor;

import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * A graph's parameters drawn per tensor by today's rules (normal, uniform, xavier, he) with PyTorch's
 * fans (a conv kernel's fan_in is in_channels·kh·kw). Biases and shifts follow {@code biases} (drawn like
 * the weights, or zero); a normalisation's scale γ is 1 plus such a draw, so it sits near PyTorch's 1
 * without being exactly 1 (a γ of exactly 1 would hide a backward pass that forgets it).
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphInit {
    private GraphInit() {
    }

    public static double[] draw(GraphLayout layout, WeightSpec w, SplittableRandom rnd) {
        double[] theta = new double[layout.total()];
        for (GraphLayout.Tensor t : layout.tensors()) {
            ParameterTensor pt = t.tensor();
            for (int i = 0; i < t.size(); i++) {
                double v;
                switch (pt.role()) {
                    case WEIGHT -> v = TrialGenerator.draw(w, pt.fanIn(), pt.fanOut(), rnd);
                    case SCALE -> v = 1 + TrialGenerator.draw(w, pt.fanIn(), pt.fanOut(), rnd);
                    default -> v = "zero".equals(w.biases()) ? 0 : TrialGenerator.draw(w, pt.fanIn(), pt.fanOut(), rnd);
                }
                theta[t.offset() + i] = v;
            }
        }
        return theta;
    }
}
