package dev.gradproof.compare;

import dev.gradproof.api.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;

/** Plugs a {@link NetworkUnderTest} into the engine as the gradient under test. */
public final class UnderTest {
    /** Unit roundoff of IEEE single precision. */
    public static final double FLOAT32 = 0x1.0p-24;

    private UnderTest() {
    }

    /** {@code float64} → 2^-53, {@code float32} → 2^-24. */
    public static double unitRoundoffOf(String dtype) {
        if (dtype == null || dtype.equals("float64") || dtype.equals("double")) {
            return dev.gradproof.network.Activations.U;
        }
        if (dtype.equals("float32") || dtype.equals("float")) {
            return FLOAT32;
        }
        throw new IllegalStateException("unknown dtype '" + dtype + "' (expected float64 or float32)");
    }

    public static SpecChecker.Implementation of(NetworkUnderTest impl) {
        return (spec, mlp) -> {
            NetworkDescription description = Conversions.describe(spec);
            String who = impl.name();
            return new TrialCheck.Analytic() {
                private double lastLoss = Double.NaN;

                @Override
                public java.util.OptionalDouble ownLoss() {
                    return Double.isNaN(lastLoss) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(lastLoss);
                }

                @Override
                public double[] ownLosses(double[] theta, dev.gradproof.network.Dataset data, int[] params, double[] deltas) {
                    java.util.List<dev.gradproof.api.Perturbation> ps = new java.util.ArrayList<>();
                    var layout = mlp.layout();
                    for (int i = 0; i < params.length; i++) {
                        int p = params[i];
                        ps.add(new dev.gradproof.api.Perturbation(layout.group(p), layout.row(p), layout.column(p), deltas[i]));
                    }
                    double[] out;
                    try {
                        out = impl.losses(description, Conversions.parameters(layout, theta), Conversions.batch(data), ps);
                    } catch (RuntimeException ex) {
                        throw new IllegalStateException(who + " threw " + ex.getClass().getSimpleName()
                                + (ex.getMessage() == null ? "" : ": " + ex.getMessage()) + " (computing perturbed losses)", ex);
                    }
                    if (out == null || out.length != ps.size()) {
                        throw new IllegalStateException(who + " returned " + (out == null ? "no" : out.length)
                                + " perturbed losses, expected " + ps.size());
                    }
                    for (int i = 0; i < out.length; i++) {
                        if (!Double.isFinite(out[i])) {
                            throw new IllegalStateException(who + " returned " + out[i] + " as the loss with "
                                    + layout.name(params[i]) + " moved by " + deltas[i]);
                        }
                    }
                    return out;
                }

                @Override
                public double[] gradient(double[] theta, dev.gradproof.network.Dataset data,
                                         dev.gradproof.network.Forward forward) {
                    Evaluation e;
                    try {
                        e = impl.evaluate(description, Conversions.parameters(mlp.layout(), theta), Conversions.batch(data));
                    } catch (RuntimeException ex) {
                        throw new IllegalStateException(who + " threw " + ex.getClass().getSimpleName()
                                + (ex.getMessage() == null ? "" : ": " + ex.getMessage()), ex);
                    }
                    if (e == null) {
                        throw new IllegalStateException(who + " returned no evaluation");
                    }
                    if (!Double.isFinite(e.loss())) {
                        throw new IllegalStateException(who + " returned " + e.loss() + " as its loss");
                    }
                    lastLoss = e.loss();
                    return Conversions.flatten(mlp.layout(), e.gradient(), who);
                }

                @Override
                public double unitRoundoff() {
                    return unitRoundoffOf(impl.dtype());
                }
            };
        };
    }
}
