package dev.gradproof.campaign;

import dev.gradproof.api.Batch;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.WeightSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Arrays;
import java.util.Collections;
import java.util.Locale;

/**
 * Java implementations (the SPI side) that misbehave in one way each, on top of a correct one built
 * from the {@link NetworkDescription} alone. Public with no-argument constructors, so the CLI can load
 * them with {@code --impl java:dev.gradproof.campaign.MisbehavingNetworks$Thrower}. Each records what it
 * saw and returned, so a test can pin the engine's message exactly.
 */
public final class MisbehavingNetworks {
    private MisbehavingNetworks() {
    }

    /** A correct implementation: the reference network rebuilt from the description. */
    public static class Correct implements NetworkUnderTest {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Mlp mlp = build(network);
            double[] theta = Conversions.flatten(mlp.layout(), parameters, name());
            Dataset data = data(network, batch);
            Forward f = mlp.forward(theta, data);
            return new Evaluation(f.loss, Conversions.parameters(mlp.layout(), mlp.gradient(theta, data, f)));
        }

        @Override
        public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
            Mlp mlp = build(network);
            return mlp.loss(Conversions.flatten(mlp.layout(), parameters, name()), data(network, batch));
        }

        @Override
        public String name() {
            return getClass().getSimpleName().toLowerCase(Locale.ROOT);
        }

        static Mlp build(NetworkDescription d) {
            List<LayerSpec> layers = new ArrayList<>();
            for (NetworkDescription.Layer l : d.layers()) {
                layers.add(new LayerSpec(l.out(), new ActivationSpec(l.activation(), l.slope(), l.alpha(), null, null,
                        null, null), l.bias(), false));
            }
            LossSpec.LossType type = null;
            for (LossSpec.LossType t : LossSpec.LossType.values()) {
                if (t.yamlName().equals(d.loss())) {
                    type = t;
                }
            }
            LossSpec loss = new LossSpec(type, LossSpec.Reduction.valueOf(d.reduction().toUpperCase(Locale.ROOT)),
                    d.l2(), d.l2Biases());
            Spec spec = new Spec("described", null, "", new NetworkSpec(d.inputs(), layers), loss,
                    new DataSpec(1, null, null, null, 0, null), WeightSpec.defaults(), CheckSpec.defaults(),
                    Expectation.pass(), 1, "");
            return NetworkFactory.build(spec);
        }

        static Dataset data(NetworkDescription d, Batch batch) {
            int n = batch.size();
            double[] x = new double[n * d.inputs()];
            double[] y = new double[n * d.outputs()];
            for (int e = 0; e < n; e++) {
                System.arraycopy(batch.x()[e], 0, x, e * d.inputs(), d.inputs());
                System.arraycopy(batch.y()[e], 0, y, e * d.outputs(), d.outputs());
            }
            return new Dataset(n, d.inputs(), d.outputs(), x, y);
        }
    }

    /** Throws from evaluate. */
    public static class Thrower extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            throw new IllegalStateException("out of coffee");
        }
    }

    /** Throws an exception without a message. */
    public static class SilentThrower extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            throw new UnsupportedOperationException();
        }
    }

    /** Throws an Error (an assertion inside the implementation, as `assert` or a test library raises). */
    public static class AssertionThrower extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            throw new AssertionError("shapes do not line up");
        }
    }

    /** Recurses without end: a StackOverflowError. */
    public static class Recurser extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            return evaluate(network, parameters, batch);
        }
    }

    /** Evaluates fine, then throws from the perturbed losses. */
    public static class LossesThrower extends Correct {
        @Override
        public double[] losses(NetworkDescription network, Parameters parameters, Batch batch, List<Perturbation> ps) {
            throw new IllegalArgumentException("no perturbations today");
        }
    }

    /** NaN in the gradient of W1[0,0]. */
    public static class NanGradient extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            e.gradient().weights(1)[0][0] = Double.NaN;
            return e;
        }
    }

    /** +Infinity in the gradient of the last layer's bias, unit 1. */
    public static class InfiniteBiasGradient extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            e.gradient().biases(e.gradient().layers())[1] = Double.POSITIVE_INFINITY;
            return e;
        }
    }

    /** NaN as the loss. */
    public static class NanLoss extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            return new Evaluation(Double.NaN, super.evaluate(network, parameters, batch).gradient());
        }
    }

    /** -Infinity as the loss. */
    public static class NegativeInfiniteLoss extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            return new Evaluation(Double.NEGATIVE_INFINITY, super.evaluate(network, parameters, batch).gradient());
        }
    }

    /** NaN among the perturbed losses (the first one). */
    public static class NanPerturbedLoss extends Correct {
        public volatile Perturbation first;

        @Override
        public double[] losses(NetworkDescription network, Parameters parameters, Batch batch, List<Perturbation> ps) {
            double[] out = super.losses(network, parameters, batch, ps);
            first = ps.get(0);
            out[0] = Double.NaN;
            return out;
        }
    }

    /** One perturbed loss too few. */
    public static class ShortLosses extends Correct {
        public volatile int asked;

        @Override
        public double[] losses(NetworkDescription network, Parameters parameters, Batch batch, List<Perturbation> ps) {
            asked = ps.size();
            return new double[ps.size() - 1];
        }
    }

    /** A gradient for the first layer only. */
    public static class MissingLayer extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Parameters g = super.evaluate(network, parameters, batch).gradient();
            return new Evaluation(1.0, new Parameters(new double[][][] {g.weights(1)}, new double[][] {g.biases(1)}));
        }
    }

    /** W2 with one row too many. */
    public static class ExtraRow extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            Parameters g = e.gradient();
            double[][][] w = new double[g.layers()][][];
            double[][] b = new double[g.layers()][];
            for (int l = 0; l < w.length; l++) {
                w[l] = g.weights(l + 1);
                b[l] = g.biases(l + 1);
            }
            double[][] w2 = Arrays.copyOf(w[1], w[1].length + 1);
            w2[w2.length - 1] = new double[w[1][0].length];
            w[1] = w2;
            return new Evaluation(e.loss(), new Parameters(w, b));
        }
    }

    /** W1's row 2 one column short (a transposed or truncated copy). */
    public static class ShortRow extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            double[][] w1 = e.gradient().weights(1);
            w1[2] = Arrays.copyOf(w1[2], w1[2].length - 1);
            return e;
        }
    }

    /** No bias gradient for layer 1, which has a bias. */
    public static class NullBias extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            Parameters g = e.gradient();
            double[][][] w = new double[g.layers()][][];
            double[][] b = new double[g.layers()][];
            for (int l = 0; l < w.length; l++) {
                w[l] = g.weights(l + 1);
                b[l] = g.biases(l + 1);
            }
            b[0] = null;
            return new Evaluation(e.loss(), new Parameters(w, b));
        }
    }

    /** No gradient at all. */
    public static class NullGradient extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            return new Evaluation(super.evaluate(network, parameters, batch).loss(), null);
        }
    }

    /** No evaluation at all. */
    public static class NullEvaluation extends Correct {
        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            return null;
        }
    }

    /** Takes an SGD-like step on the parameters it was given (W1[0,0] += 0.5) while computing. */
    public static class ParameterMutator extends Correct {
        public volatile double before;

        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            before = parameters.weights(1)[0][0];
            parameters.weights(1)[0][0] += 0.5;
            return e;
        }
    }

    /** A different gradient on every call: W2[1,3] drifts by 1e-3 per call. */
    public static class DriftingGradient extends Correct {
        public final List<Double> returned = Collections.synchronizedList(new ArrayList<>());
        private int calls;

        @Override
        public synchronized Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            e.gradient().weights(2)[1][3] += 1e-3 * calls++;
            returned.add(e.gradient().weights(2)[1][3]);
            return e;
        }
    }

    /** The same gradient, but a different loss on every call. */
    public static class DriftingLoss extends Correct {
        public final List<Double> returned = Collections.synchronizedList(new ArrayList<>());
        private int calls;

        @Override
        public synchronized Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            Evaluation drifted = new Evaluation(e.loss() * (1 + 1e-6 * calls++), e.gradient());
            returned.add(drifted.loss());
            return drifted;
        }
    }
}
