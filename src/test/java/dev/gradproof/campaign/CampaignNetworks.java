package dev.gradproof.campaign;

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

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Random <em>correct</em> networks for the campaigns, wider than the property tests'
 * (compare.RandomNetworks: depth ≤ 4, widths ≤ 8): depth 1–5, widths 1–64, up to 400 inputs, every
 * activation (softmax as output), every valid loss, both reductions, L2 off or on (with or without the
 * biases), layers with and without biases, weights from N(0, 0.01²) to saturating N(0, 1) on up to 400
 * inputs, inputs with exact zeros, and, in the kink regime, zero biases and all-zero examples so that
 * ReLU-like pre-activations are exactly 0.
 *
 * <p>Everything is drawn from one seed, so a failing jqwik sample is reproduced by its seed alone.
 * Only specs the loader would accept are drawn (softmax last, cross-entropy with softmax, binary
 * cross-entropy with sigmoid, targets suited to the loss).
 *
 * <p>Cost control: a network's parameters times examples is capped ({@link Budget#work}); examples are
 * cut to fit and, when one example is still too much, the widths are drawn again. The check itself
 * compares at most {@link Budget#checked} parameters (a deterministic sample) per network.
 */
final class CampaignNetworks {

    static final String[] ELEMENTWISE = {"identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus"};
    static final String[] KINKED = {"relu", "leaky_relu", "elu"};

    /** Which regime a network was drawn in (collected as a statistic). */
    enum Regime {
        /** Any activation, weights std 0.01–1, inputs N(0,1) with 0% or 30% exact zeros. */
        GENERIC,
        /** 100–400 inputs, weights N(0, 1): pre-activations of size 10–20, saturated sigmoid/tanh/softmax. */
        SATURATING,
        /** Tiny weights, std 0.01: gradients near the rounding floor. */
        TINY,
        /** ReLU-like hidden layers, zero biases, 1–4 inputs with 30–60% exact zeros: pre-activations exactly 0. */
        KINKS
    }

    /** Size classes of the miss campaign, by trainable parameters. */
    enum Bucket {
        UNDER_100(1, 99), UNDER_1K(100, 999), UNDER_10K(1000, 9999);

        final int min;
        final int max;

        Bucket(int min, int max) {
            this.min = min;
            this.max = max;
        }

        String label() {
            return switch (this) {
                case UNDER_100 -> "<100";
                case UNDER_1K -> "100-999";
                case UNDER_10K -> "1k-9999";
            };
        }

        static Bucket of(long parameters) {
            return parameters < 100 ? UNDER_100 : parameters < 1000 ? UNDER_1K : UNDER_10K;
        }
    }

    /**
     * @param work      cap on parameters × examples
     * @param checked   most parameters compared per network (0: all)
     * @param bucket    when not null, redraw until the parameter count falls in it
     */
    record Budget(long work, int checked, Bucket bucket) {
        static Budget falseAlarms() {
            return new Budget(12_000, 120, null);
        }

        static Budget misses(Bucket bucket) {
            return new Budget(60_000, 0, bucket);
        }
    }

    record Case(Spec spec, Mlp mlp, TrialData trial, Regime regime, long parameters, String description) {
        @Override
        public String toString() {
            return description;
        }
    }

    private CampaignNetworks() {
    }

    static Case draw(long seed, Budget budget) {
        SplittableRandom r = new SplittableRandom(seed);
        Regime regime = budget.bucket() == Bucket.UNDER_10K && r.nextInt(3) == 0 ? Regime.SATURATING
                : pickRegime(r);
        if (budget.bucket() == Bucket.UNDER_100 && regime == Regime.SATURATING) {
            regime = Regime.GENERIC; // 100+ inputs cannot make fewer than 100 parameters
        }
        return draw(seed, r, regime, budget);
    }

    static Case draw(long seed, Budget budget, Regime regime) {
        return draw(seed, new SplittableRandom(seed), regime, budget);
    }

    private static Regime pickRegime(SplittableRandom r) {
        int k = r.nextInt(20);
        return k < 10 ? Regime.GENERIC : k < 13 ? Regime.SATURATING : k < 15 ? Regime.TINY : Regime.KINKS;
    }

    private static Case draw(long seed, SplittableRandom r, Regime regime, Budget budget) {
        for (int attempt = 0; ; attempt++) {
            Spec spec = drawSpec(seed, r, regime, budget);
            if (spec == null) {
                if (attempt > 10_000) {
                    throw new IllegalStateException("no network fits " + budget + " in regime " + regime);
                }
                continue;
            }
            Mlp mlp = NetworkFactory.build(spec);
            TrialData trial = TrialGenerator.draw(spec, 0);
            long parameters = mlp.layout().trainable().size();
            return new Case(spec, mlp, trial, regime, parameters, describe(seed, regime, spec));
        }
    }

    /** One attempt; null when it does not fit the budget. */
    private static Spec drawSpec(long seed, SplittableRandom r, Regime regime, Budget budget) {
        int depth = 1 + r.nextInt(5);
        int inputs = switch (regime) {
            case SATURATING -> 100 + r.nextInt(301);
            case KINKS -> 1 + r.nextInt(4);
            default -> r.nextInt(8) == 0 ? 20 + r.nextInt(381) : 1 + r.nextInt(16);
        };
        if (budget.bucket() == Bucket.UNDER_10K && regime != Regime.SATURATING && r.nextBoolean()) {
            inputs = 20 + r.nextInt(200);
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (int l = 0; l < depth; l++) {
            boolean last = l == depth - 1;
            String name;
            if (last) {
                name = r.nextInt(4) == 0 ? "softmax" : pick(r, ELEMENTWISE);
            } else {
                name = pick(r, regime == Regime.KINKS ? KINKED : ELEMENTWISE);
            }
            int units = r.nextBoolean() ? 1 + r.nextInt(8) : 1 + r.nextInt(64);
            if (budget.bucket() == Bucket.UNDER_10K && !last) {
                units = 8 + r.nextInt(57);
            }
            if (last && name.equals("softmax")) {
                units = Math.max(2, units);
            }
            if (last && units > 16 && r.nextBoolean()) {
                units = 1 + r.nextInt(16);
            }
            layers.add(new LayerSpec(units, activation(name, r), r.nextInt(5) != 0, false));
        }
        NetworkSpec network = new NetworkSpec(inputs, layers);
        long parameters = network.parameterCount();
        if (budget.bucket() != null && (parameters < budget.bucket().min || parameters > budget.bucket().max)) {
            return null;
        }
        if (parameters > budget.work()) {
            return null;
        }
        String out = layers.get(depth - 1).activation().name();
        LossType loss;
        if (out.equals("softmax")) {
            loss = pick(r, new LossType[] {LossType.SOFTMAX_CROSS_ENTROPY, LossType.SOFTMAX_CROSS_ENTROPY, LossType.MSE,
                LossType.SQUARED_ERROR});
        } else if (out.equals("sigmoid")) {
            loss = pick(r, new LossType[] {LossType.BINARY_CROSS_ENTROPY, LossType.BINARY_CROSS_ENTROPY, LossType.MSE,
                LossType.SQUARED_ERROR});
        } else {
            loss = pick(r, new LossType[] {LossType.MSE, LossType.SQUARED_ERROR});
        }
        double l2 = r.nextBoolean() ? 0 : r.nextDouble() * 2;
        LossSpec lossSpec = new LossSpec(loss, r.nextBoolean() ? LossSpec.Reduction.MEAN : LossSpec.Reduction.SUM, l2,
                l2 > 0 && r.nextBoolean());
        DataSpec.Targets targets = switch (loss) {
            case SOFTMAX_CROSS_ENTROPY -> new DataSpec.Targets("one_hot", null, 0);
            case BINARY_CROSS_ENTROPY -> r.nextBoolean() ? new DataSpec.Targets("binary", null, 0)
                    : new DataSpec.Targets("real", Distribution.uniform(0, 1), 0);
            default -> new DataSpec.Targets("real", Distribution.normal(0, 1), 0);
        };
        double zeros = switch (regime) {
            case KINKS -> r.nextBoolean() ? 0.3 : 0.6;
            case GENERIC -> r.nextInt(3) == 0 ? 0.3 : 0;
            default -> 0;
        };
        Distribution x = new Distribution("normal", 0, 1, zeros);
        int examples = 1 + r.nextInt(20);
        examples = (int) Math.max(1, Math.min(examples, budget.work() / parameters));
        DataSpec data = new DataSpec(examples, x, targets, null, 0, null);
        WeightSpec weights = switch (regime) {
            case SATURATING -> new WeightSpec("normal", 1.0, -0.1, 0.1, r.nextBoolean() ? "zero" : "same");
            case TINY -> new WeightSpec("normal", 0.01, -0.1, 0.1, r.nextBoolean() ? "zero" : "same");
            case KINKS -> new WeightSpec(pick(r, new String[] {"normal", "he", "xavier"}), pick(r, new double[] {0.1, 0.5, 1.0}),
                    -0.1, 0.1, "zero");
            default -> new WeightSpec(pick(r, new String[] {"normal", "normal", "xavier", "he", "uniform"}),
                    pick(r, new double[] {0.01, 0.1, 0.5, 1.0}), -0.5, 0.5, r.nextInt(3) == 0 ? "zero" : "same");
        };
        CheckSpec check = new CheckSpec(1, CheckSpec.defaults().oracles(), null, budget.checked());
        return new Spec("campaign-" + seed, null, "", network, lossSpec, data, weights, check, Expectation.pass(),
                r.nextLong(), "");
    }

    private static ActivationSpec activation(String name, SplittableRandom r) {
        return switch (name) {
            case "leaky_relu" -> new ActivationSpec(name, r.nextBoolean() ? 0.01 : 0.2, 1.0, null, null, null, null);
            case "elu" -> new ActivationSpec(name, 0.01, r.nextBoolean() ? 1.0 : 0.5, null, null, null, null);
            default -> ActivationSpec.builtin(name);
        };
    }

    static String describe(long seed, Regime regime, Spec s) {
        StringBuilder b = new StringBuilder("seed " + seed + " (" + regime.name().toLowerCase() + "): "
                + s.network().inputs());
        for (LayerSpec l : s.network().layers()) {
            b.append(" -> ").append(l.units()).append(' ').append(l.activation().describe())
                    .append(l.bias() ? "" : " (no bias)");
        }
        b.append(", ").append(s.loss().type().yamlName()).append('/').append(s.loss().reduction().yamlName())
                .append(", l2=").append(s.loss().l2()).append(s.loss().l2Biases() ? " (+biases)" : "")
                .append(", ").append(s.data().examples()).append(" examples")
                .append(s.data().inputs().zeros() > 0 ? " with " + s.data().inputs().zeros() + " zeros" : "")
                .append(", weights ").append(s.weights().describe()).append(" biases ").append(s.weights().biases())
                .append(", ").append(s.network().parameterCount()).append(" parameters");
        return b.toString();
    }

    private static <T> T pick(SplittableRandom r, T[] xs) {
        return xs[r.nextInt(xs.length)];
    }

    private static double pick(SplittableRandom r, double[] xs) {
        return xs[r.nextInt(xs.length)];
    }
}
