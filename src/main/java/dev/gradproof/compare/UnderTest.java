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
