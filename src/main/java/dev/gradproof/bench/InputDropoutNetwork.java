package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.spec.Spec;
import org.apiguardian.api.API;

/**
 * A black box whose forward pass is not the spec's: it drops a fixed third of the inputs (inverted
 * scaling 1.5 on the rest) and returns the exact gradient of that loss. A convention, never a backward
 * bug: both check modes must call it {@code forward-differs}. With {@code bug}, one weight's gradient is
 * also off by 1%, which both must call {@code mismatch}.
 */
@API(status = INTERNAL, since = "0.2")
public final class InputDropoutNetwork implements NetworkUnderTest {
    private final Mlp mlp;
    private final boolean bug;

    public InputDropoutNetwork(Spec spec, boolean bug) {
        this.mlp = NetworkFactory.build(spec);
        this.bug = bug;
    }

    @Override
    public Evaluation evaluate(NetworkDescription net, Parameters p, Batch batch) {
        double[] theta = Conversions.flatten(mlp.layout(), p, name());
        Dataset masked = mask(batch);
        Forward f = mlp.forward(theta, masked);
        double[] g = mlp.gradient(theta, masked, f);
        if (bug) {
            g[mlp.layout().weightOffset(mlp.layout().layers() - 1)] *= 1.01;
        }
        return new Evaluation(f.loss, Conversions.parameters(mlp.layout(), g));
    }

    static Dataset mask(Batch batch) {
        int n = batch.size();
        int in = batch.x()[0].length;
        int out = batch.y()[0].length;
        double[] x = new double[n * in];
        double[] y = new double[n * out];
        for (int e = 0; e < n; e++) {
            for (int j = 0; j < in; j++) {
                x[e * in + j] = (e * 7 + j * 5) % 3 == 0 ? 0 : 1.5 * batch.x()[e][j];
            }
            System.arraycopy(batch.y()[e], 0, y, e * out, out);
        }
        return new Dataset(n, in, out, x, y);
    }

    @Override
    public String name() {
        return bug ? "input-dropout-with-a-backward-bug" : "input-dropout";
    }
}
