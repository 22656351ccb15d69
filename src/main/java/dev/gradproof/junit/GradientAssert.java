package dev.gradproof.junit;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.compare.Verdict;
import dev.gradproof.network.TrialCase;
import dev.gradproof.report.Messages;
import dev.gradproof.spec.Spec;
import org.opentest4j.AssertionFailedError;

import java.util.List;

/**
 * Fluent assertions on a network's gradient, in the style of AssertJ:
 *
 * <pre>{@code
 * assertThatGradient(new MyNet()).agreesWith(trial);   // one trial, e.g. from Trials.of(spec)
 * assertThatGradient(new MyNet()).agreesWith(spec);    // every trial of a spec
 * }</pre>
 *
 * A failure names the spec, the trial, the mismatching parameters with analytic, exact and finite
 * difference values, error against tolerance, and a per-layer summary (see {@link Messages}).
 */
public final class GradientAssert {
    private final NetworkUnderTest implementation;

    private GradientAssert(NetworkUnderTest implementation) {
        this.implementation = implementation;
    }

    public static GradientAssert assertThatGradient(NetworkUnderTest implementation) {
        if (implementation == null) {
            throw new IllegalArgumentException("assertThatGradient: the implementation is null");
        }
        return new GradientAssert(implementation);
    }

    /** The gradient agrees with the exact gradient, within the derived tolerance, on this trial. */
    public GradientAssert agreesWith(TrialCase trial) {
        SpecResult r = SpecChecker.runCases(trial.spec(), List.of(trial), UnderTest.of(implementation),
                SpecChecker.Progress.NONE);
        if (r.verdict() != Verdict.PASS) {
            throw new AssertionFailedError(Messages.gradientDisagrees(implementation.name(), r, trial.recipe().toString()));
        }
        return this;
    }

    /** The gradient agrees on every trial of the spec (its own seed and trial count). */
    public GradientAssert agreesWith(Spec spec) {
        SpecResult r = SpecChecker.run(spec, UnderTest.of(implementation), SpecChecker.Progress.NONE);
        if (r.verdict() != Verdict.PASS) {
            throw new AssertionFailedError(Messages.gradientDisagrees(implementation.name(), r, null));
        }
        return this;
    }
}
