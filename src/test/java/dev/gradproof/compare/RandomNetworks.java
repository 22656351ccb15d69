package dev.gradproof.compare;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialData;
import dev.gradproof.network.TrialGenerator;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.Distribution;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.LossSpec.LossType;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.WeightSpec;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;

/**
 * Random, <em>correct</em> networks for the property tests: a spec drawn from one seed (so a failing
 * jqwik sample is reproduced by its seed alone), the reference network it builds, and trial 0.
 * Only combinations the spec loader accepts are drawn (softmax last only, cross-entropy with softmax,
 * binary cross-entropy with sigmoid).
 */
public final class RandomNetworks {

    /** What kind of networks to draw. */
    public enum Profile {
        /** Everything: depth 1–4, widths 1–8, all activations, all valid losses, weights std 0.01–3. */
        ANY,
        /** Only ReLU-like hidden layers, inputs with exact zeros and zero biases: pre-activations hit 0. */
        KINKS,
        /** Smooth activations and moderate weights, no exact zeros: every gradient entry is generic. */
        SMOOTH_MODERATE
    }

    /** Which output stages to draw. */
    public enum Outputs {
        /** Every valid one. */
        ANY,
        /**
         * Output stages whose value both sides compute with the same rounding (identity, relu,
         * leaky_relu, and the combined sigmoid + BCE and softmax + cross-entropy forms), which steers
         * clear of the delta-bound bug (OutputStageTest.analyticDeltaAgreesWithExactDeltaWhenTheTargetIsClose).
         */
        ROUNDING_SAFE,
        /** Of those, the ones without a kink (identity, sigmoid + BCE, softmax + cross-entropy). */
        ROUNDING_SAFE_SMOOTH
    }

    public record Case(Spec spec, Mlp mlp, TrialData trial, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    static final String[] ELEMENTWISE = {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"};
    static final String[] SMOOTH = {"identity", "sigmoid", "tanh", "softplus"};
    static final String[] KINKED = {"relu", "leaky_relu", "elu"};
    static final String[] ROUNDING_SAFE = {"identity", "relu", "leaky_relu", "sigmoid", "softmax"};
    static final String[] ROUNDING_SAFE_SMOOTH = {"identity", "sigmoid", "softmax"};

    private RandomNetworks() {
    }

    public static Case draw(long seed, Profile profile) {
        return draw(seed, profile, 0, Outputs.ANY);
    }

    /** @param fixedDepth number of layers, or 0 for a random depth 1–4 */
    public static Case draw(long seed, Profile profile, int fixedDepth, Outputs outputs) {
        SplittableRandom r = new SplittableRandom(seed);
        int depth = 1 + r.nextInt(4);
        depth = fixedDepth > 0 ? fixedDepth : depth;
        // Under KINKS few inputs, so that an example with every input 0 (probability 0.3^inputs) is common.
        int inputs = 1 + r.nextInt(profile == Profile.KINKS ? 3 : 8);
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            String name;
            if (last && outputs != Outputs.ANY) {
                name = pick(r, outputs == Outputs.ROUNDING_SAFE ? ROUNDING_SAFE : ROUNDING_SAFE_SMOOTH);
            } else if (last) {
                name = r.nextInt(4) == 0 ? "softmax" : pick(r, profile == Profile.SMOOTH_MODERATE ? SMOOTH : ELEMENTWISE);
            } else {
                name = pick(r, profile == Profile.KINKS ? KINKED : profile == Profile.SMOOTH_MODERATE ? SMOOTH : ELEMENTWISE);
            }
            int units = 1 + r.nextInt(8);
            if (last && name.equals("softmax")) {
                units = Math.max(2, units); // a softmax of one unit is constant
            }
            layers.add(new LayerSpec(units, activation(name, r), r.nextInt(4) != 0, false));
        }
        String out = layers.get(depth - 1).activation().name();
        LossType loss;
        if (outputs != Outputs.ANY && out.equals("softmax")) {
            loss = LossType.SOFTMAX_CROSS_ENTROPY;
        } else if (outputs != Outputs.ANY && out.equals("sigmoid")) {
            loss = LossType.BINARY_CROSS_ENTROPY;
        } else if (out.equals("softmax")) {
            loss = pick(r, new LossType[]{LossType.SOFTMAX_CROSS_ENTROPY, LossType.SOFTMAX_CROSS_ENTROPY, LossType.MSE, LossType.SQUARED_ERROR});
        } else if (out.equals("sigmoid")) {
            loss = pick(r, new LossType[]{LossType.BINARY_CROSS_ENTROPY, LossType.BINARY_CROSS_ENTROPY, LossType.MSE, LossType.SQUARED_ERROR});
        } else {
            loss = pick(r, new LossType[]{LossType.MSE, LossType.SQUARED_ERROR});
        }
        double l2 = r.nextBoolean() ? 0 : r.nextDouble() * 2;
        LossSpec lossSpec = new LossSpec(loss, r.nextBoolean() ? LossSpec.Reduction.MEAN : LossSpec.Reduction.SUM, l2,
                r.nextBoolean());
        DataSpec.Targets targets = switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> new DataSpec.Targets("one_hot", null, 0);
            case BINARY_CROSS_ENTROPY -> r.nextBoolean() ? new DataSpec.Targets("binary", null, 0)
                    : new DataSpec.Targets("real", Distribution.uniform(0, 1), 0);
            default -> new DataSpec.Targets("real", Distribution.normal(0, 1), 0);
        };
        double zeros = profile == Profile.KINKS ? 0.3 : profile == Profile.ANY && r.nextInt(4) == 0 ? 0.3 : 0;
        Distribution x = new Distribution("normal", 0, 1, zeros);
        DataSpec data = new DataSpec(1 + r.nextInt(20), x, targets, null, 0, null);
        double[] stds = profile == Profile.SMOOTH_MODERATE ? new double[]{0.3, 0.5, 1.0} : new double[]{0.01, 0.1, 0.5, 1.0, 3.0};
        String init = profile == Profile.SMOOTH_MODERATE ? "normal" : pick(r, new String[]{"normal", "normal", "normal", "xavier", "he"});
        boolean zeroBiases = profile == Profile.KINKS || (profile == Profile.ANY && r.nextBoolean());
        WeightSpec weights = new WeightSpec(init, stds[r.nextInt(stds.length)], -0.1, 0.1, zeroBiases ? "zero" : "same");
        long specSeed = r.nextLong();
        NetworkSpec network = new NetworkSpec(inputs, layers);
        Spec spec = new Spec("random-" + seed, null, "", network, lossSpec, data, weights,
                new CheckSpec(1, CheckSpec.defaults().oracles(), null, 0), Expectation.pass(), specSeed, "");
        Mlp mlp = NetworkFactory.build(spec);
        TrialData trial = TrialGenerator.draw(spec, 0);
        return new Case(spec, mlp, trial, describe(seed, spec));
    }

    /** The same case with the other reduction, everything drawn identically. */
    public static Case withReduction(Case c, LossSpec.Reduction reduction) {
        Spec s = c.spec();
        LossSpec l = s.loss();
        Spec spec = new Spec(s.name(), s.file(), s.description(), s.network(), new LossSpec(l.type(), reduction, l.l2(),
                l.l2Biases()), s.data(), s.weights(), s.check(), s.expect(), s.seed(), s.source());
        return new Case(spec, NetworkFactory.build(spec), TrialGenerator.draw(spec, 0), c.description() + " [" + reduction.yamlName() + "]");
    }

    /**
     * The same network whose hidden kinked activations use the right-hand derivative at the kink
     * (relu'(0) = 1, the other common convention): an equally correct analytic gradient.
     */
    public static Mlp otherKinkConvention(Mlp mlp) {
        int layers = mlp.layout().layers();
        Activation[] acts = new Activation[layers];
        for (int l = 0; l < layers; l++) {
            Activation a = mlp.activation(l);
            acts[l] = a == null || l == layers - 1 ? a : rightHanded(a);
        }
        return new Mlp(mlp.layout(), acts, mlp.output(), mlp.meanReduction(), mlp.lambda(), mlp.l2Biases());
    }

    /**
     * {@code impl}'s backpropagation as the analytic gradient, declared to share the engine's forward
     * pass, as the CLI's reference implementation does (SpecChecker.Implementation.REFERENCE): the
     * tightest tolerance the harness applies. (No @Override: sharesForward is a default method the
     * harness may or may not declare; without it this is an ordinary method.)
     */
    public static TrialCheck.Analytic sharingForward(Mlp impl) {
        return new TrialCheck.Analytic() {
            public double[] gradient(double[] theta, Dataset data, Forward f) {
                return impl.gradient(theta, data, f);
            }

            public boolean sharesForward() {
                return true;
            }
        };
    }

    /** {@code base} with f'(k) = f'(k+) at each kink k instead of its own choice. */
    public static Activation rightHanded(Activation base) {
        return new Activation() {
            public String name() { return base.name(); }
            public double value(double x) { return base.value(x); }
            public double derivative(double x) {
                for (double k : base.kinks()) {
                    if (x == k) {
                        return base.derivative(Math.nextUp(k));
                    }
                }
                return base.derivative(x);
            }
            public DerivativeStructure value(DerivativeStructure x) { return base.value(x); }
            public double declaredDerivativeError(double x) { return base.declaredDerivativeError(x); }
            public double exactDerivativeError(double x) { return base.exactDerivativeError(x); }
            public double[] kinks() { return base.kinks(); }
            public double derivativeJump(double k) { return base.derivativeJump(k); }
        };
    }

    private static ActivationSpec activation(String name, SplittableRandom r) {
        return switch (name) {
            case "leaky_relu" -> new ActivationSpec(name, r.nextBoolean() ? 0.01 : 0.1, 1.0, null, null, null, null);
            case "elu" -> new ActivationSpec(name, 0.01, r.nextBoolean() ? 1.0 : 0.5, null, null, null, null);
            default -> ActivationSpec.builtin(name);
        };
    }

    static String describe(long seed, Spec s) {
        StringBuilder b = new StringBuilder("seed " + seed + ": " + s.network().inputs());
        for (LayerSpec l : s.network().layers()) {
            b.append(" -> ").append(l.units()).append(' ').append(l.activation().describe()).append(l.bias() ? "" : " (no bias)");
        }
        b.append(", ").append(s.loss().type().yamlName()).append('/').append(s.loss().reduction().yamlName())
                .append(", l2=").append(s.loss().l2()).append(s.loss().l2Biases() ? " (+biases)" : "")
                .append(", ").append(s.data().examples()).append(" examples")
                .append(s.data().inputs().zeros() > 0 ? " with zeros" : "")
                .append(", weights ").append(s.weights().describe()).append(" biases ").append(s.weights().biases());
        return b.toString();
    }

    private static <T> T pick(SplittableRandom r, T[] xs) {
        return xs[r.nextInt(xs.length)];
    }
}
