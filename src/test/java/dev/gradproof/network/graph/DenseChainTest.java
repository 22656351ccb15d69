package dev.gradproof.network.graph;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Losses;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.OutputStage;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.spec.layers.LossOptions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A dense chain as a graph is today's network: same parameter order (W_l row-major then b_l, named
 * dense<l>.weight / dense<l>.bias), same loss and, to rounding, the same gradient as {@link Mlp}.
 */
class DenseChainTest {

    @Test
    void aDenseChainGraphIsTheMlp() {
        ParameterLayout layout = new ParameterLayout(new int[] {3, 4, 2}, new boolean[] {true, true},
                new boolean[] {false, false});
        Mlp mlp = new Mlp(layout, new Activation[] {Activations.tanh(), Activations.sigmoid()},
                OutputStage.of(Activations.sigmoid(), Losses.SQUARED_ERROR, 2), true, 0.1, false);
        GraphNetwork g = GraphNetwork.builder().input(3)
                .dense(null, 4).activation(Activations.tanh())
                .dense(null, 2).activation(Activations.sigmoid())
                .loss(LossOptions.of(LossOptions.Kind.SQUARED_ERROR)).mean().l2(0.1, false).build();
        assertEquals(layout.total(), g.layout().total());
        for (int p = 0; p < layout.total(); p++) {
            assertEquals(layout.name(p).replace("W", "dense").replace("b", "dense"),
                    g.layout().name(p).replace(".weight", "").replace(".bias", ""));
        }
        SplittableRandom rnd = new SplittableRandom(3);
        double[] theta = new double[layout.total()];
        for (int p = 0; p < theta.length; p++) {
            theta[p] = SampleData.gaussian(rnd);
        }
        double[] x = new double[15];
        double[] y = new double[10];
        for (int i = 0; i < x.length; i++) {
            x[i] = SampleData.gaussian(rnd);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = rnd.nextDouble();
        }
        Forward f = mlp.forward(theta, new Dataset(5, 3, 2, x, y));
        GraphForward gf = g.forward(theta, new GraphData(5, x, y, 1));
        assertEquals(f.loss, gf.loss, 1e-15 * Math.abs(f.loss));
        double[] a = mlp.gradient(theta, new Dataset(5, 3, 2, x, y), f);
        double[] b = g.gradient(theta, new GraphData(5, x, y, 1), gf);
        for (int p = 0; p < a.length; p++) {
            assertEquals(a[p], b[p], 1e-14 * (1 + Math.abs(a[p])), layout.name(p));
        }
    }
}
