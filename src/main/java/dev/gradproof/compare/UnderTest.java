package dev.gradproof.compare;

import dev.gradproof.api.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;

/** Plugs a {@link NetworkUnderTest} into the engine as the gradient under test. */
public final class UnderTest {
    private UnderTest() {
    }

    public static SpecChecker.Implementation of(NetworkUnderTest impl) {
        return (spec, mlp) -> {
            NetworkDescription description = Conversions.describe(spec);
            String who = impl.name();
            return (theta, data, forward) -> {
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
            };
        };
    }
}
