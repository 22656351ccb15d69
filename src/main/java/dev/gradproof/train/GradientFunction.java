package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.spec.Spec;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * The gradient a training run follows, on the run's fixed (full) batch: the reference network's
 * backpropagation, or any {@link NetworkUnderTest}'s (a mutant's). A non-finite entry comes back as
 * an all-NaN vector, which the trainer reports as divergence.
 */
@API(status = INTERNAL, since = "0.2")
public interface GradientFunction {

    /** dL/dθ at θ, flat in the {@link ParameterLayout} order. */
    double[] gradient(double[] theta);

    /**
     * The same, given the loss network's forward pass at θ, which a function may reuse when its own
     * forward pass is the same computation.
     */
    default double[] gradient(double[] theta, Model.Step forward) {
        return gradient(theta);
    }

    /**
     * The network's own backpropagation (with each activation's declared derivative). It reuses the
     * trainer's forward pass, so {@code mlp} must compute the same forward pass as the loss network
     * (it may differ in declared derivatives only).
     */
    static GradientFunction of(Mlp mlp, Dataset data) {
        return new GradientFunction() {
            @Override
            public double[] gradient(double[] theta) {
                return mlp.gradient(theta, data);
            }

            @Override
            public double[] gradient(double[] theta, Model.Step forward) {
                return mlp.gradient(theta, data, (Forward) forward.pass());
            }
        };
    }

    /**
     * A layer graph's hand-written backward pass (with each activation's declared derivative); as for a
     * dense chain, {@code g} must compute the same forward pass as the graph the trainer measures with.
     */
    static GradientFunction of(GraphNetwork g, GraphData data) {
        return new GradientFunction() {
            @Override
            public double[] gradient(double[] theta) {
                return g.gradient(theta, data, g.forward(theta, data));
            }

            @Override
            public double[] gradient(double[] theta, Model.Step forward) {
                return g.gradient(theta, data, (GraphForward) forward.pass());
            }
        };
    }

    /**
     * An implementation through the SPI, exactly as the checker calls it; its own loss is ignored
     * (the trainer measures every run with the spec's loss).
     */
    static GradientFunction of(NetworkUnderTest impl, Spec spec, ParameterLayout layout, Dataset data) {
        NetworkDescription description = Conversions.describe(spec);
        Batch batch = Conversions.batch(data);
        return theta -> {
            Parameters g = impl.evaluate(description, Conversions.parameters(layout, theta), batch).gradient();
            if (!finite(g)) {
                double[] nan = new double[layout.total()];
                Arrays.fill(nan, Double.NaN);
                return nan;
            }
            return Conversions.flatten(layout, g, impl.name());
        };
    }

    private static boolean finite(Parameters g) {
        if (g == null) {
            return true; // flatten names the problem
        }
        for (int l = 1; l <= g.layers(); l++) {
            double[][] w = g.weights(l);
            if (w != null) {
                for (double[] row : w) {
                    if (row != null) {
                        for (double v : row) {
                            if (!Double.isFinite(v)) {
                                return false;
                            }
                        }
                    }
                }
            }
            double[] b = g.biases(l);
            if (b != null) {
                for (double v : b) {
                    if (!Double.isFinite(v)) {
                        return false;
                    }
                }
            }
        }
        return true;
    }
}
