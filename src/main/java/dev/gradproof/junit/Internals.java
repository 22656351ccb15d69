package dev.gradproof.junit;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.Trial;
import dev.gradproof.network.TrialCase;
import dev.gradproof.spec.Spec;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/** From the public types users hold to the engine's: every GradientSpec and Trial comes from the engine. */
final class Internals {
    private Internals() {
    }

    static Spec spec(GradientSpec spec) {
        if (spec instanceof Spec s) {
            return s;
        }
        if (spec instanceof UnloadableSpec u && u.skipped()) {
            throw new TestAbortedException("not checked: " + u.problem());
        }
        if (spec instanceof UnloadableSpec u) {
            throw new AssertionFailedError("the spec could not be read: " + u.problem());
        }
        throw new IllegalArgumentException("not a spec gradproof loaded: " + spec + " (load one with Specs.load)");
    }

    static TrialCase trial(Trial trial) {
        if (trial instanceof TrialCase t) {
            return t;
        }
        throw new IllegalArgumentException("not a trial gradproof drew: " + trial + " (draw them with Trials.of)");
    }
}
