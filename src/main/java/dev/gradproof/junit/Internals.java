package dev.gradproof.junit;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.Trial;
import dev.gradproof.network.TrialCase;
import dev.gradproof.spec.Spec;

/** From the public types users hold to the engine's: every GradientSpec and Trial comes from the engine. */
final class Internals {
    private Internals() {
    }

    static Spec spec(GradientSpec spec) {
        if (spec instanceof Spec s) {
            return s;
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
