package dev.gradproof.junit;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;
import static org.apiguardian.api.API.Status.STABLE;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Oracle;
import dev.gradproof.api.Trial;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.graph.GraphTrialCase;
import dev.gradproof.report.Messages;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.Spec;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

import org.apiguardian.api.API;
import org.opentest4j.AssertionFailedError;

/**
 * Fluent assertions on a network's gradient, in the style of AssertJ:
 *
 * <pre>{@code
 * assertThatGradient(new MyNet()).agreesWith(spec);                        // every trial of a spec
 * assertThatGradient(new MyNet()).agreesWith(trial);                       // one trial, e.g. from Trials.of(spec)
 * assertThatGradient(new MyNet()).onlyLayers(2).withTrials(10).agreesWith(spec);
 * }</pre>
 *
 * A failure names the spec, the trial, the mismatching parameters with analytic, exact and finite
 * difference values, error against tolerance, and a per-layer summary (see {@link Messages}); its
 * expected and actual values are the exact and the analytic gradients of those parameters, so an IDE
 * shows them side by side. Each option returns a new assertion; the one it was called on is unchanged.
 */
@API(status = STABLE, since = "0.2")
public final class GradientAssert {
    private final NetworkUnderTest implementation;
    private final UnaryOperator<CheckSpec> options;

    private GradientAssert(NetworkUnderTest implementation, UnaryOperator<CheckSpec> options) {
        this.implementation = implementation;
        this.options = options;
    }

    public static GradientAssert assertThatGradient(NetworkUnderTest implementation) {
        if (implementation == null) {
            throw new IllegalArgumentException("assertThatGradient: the implementation is null");
        }
        return new GradientAssert(implementation, UnaryOperator.identity());
    }

    private GradientAssert and(UnaryOperator<CheckSpec> more) {
        UnaryOperator<CheckSpec> before = options;
        return new GradientAssert(implementation, c -> more.apply(before.apply(c)));
    }

    /**
     * A fixed relative tolerance instead of the one derived from rounding (docs/TOLERANCE.md), which is
     * far tighter; for an implementation whose own precision the harness cannot model.
     *
     * @param relative between 0 and 1 (exclusive): a tolerance of 1 or more could not fail
     */
    @API(status = EXPERIMENTAL, since = "0.2")
    public GradientAssert withTolerance(double relative) {
        if (!(relative > 0 && relative < 1)) {
            throw new IllegalArgumentException("withTolerance: a relative tolerance must be above 0 and below 1 (one of"
                    + " 1 or more cannot fail), got " + relative);
        }
        return and(c -> c.withTolerance(relative));
    }

    /** Which oracles to compare with (default both; the exact one decides when it is used). */
    public GradientAssert usingOracles(Oracle... oracles) {
        if (oracles.length == 0) {
            throw new IllegalArgumentException("usingOracles: name at least one oracle");
        }
        Set<String> names = new LinkedHashSet<>();
        Arrays.stream(oracles).forEach(o -> names.add(o.specName()));
        return and(c -> c.withOracles(names));
    }

    /** Check only these layers' parameters (layers from 1). */
    public GradientAssert onlyLayers(int... layers) {
        if (layers.length == 0) {
            throw new IllegalArgumentException("onlyLayers: name at least one layer (from 1)");
        }
        Set<Integer> set = new LinkedHashSet<>();
        for (int l : layers) {
            if (l < 1) {
                throw new IllegalArgumentException("onlyLayers: layers are numbered from 1, got " + l);
            }
            set.add(l);
        }
        return and(c -> c.withLayers(set));
    }

    /** The fast check: the gradient's projection on {@code directions} random directions (docs/TOLERANCE.md). */
    @API(status = EXPERIMENTAL, since = "0.2")
    public GradientAssert inDirectionalMode(int directions) {
        if (directions < 1) {
            throw new IllegalArgumentException("inDirectionalMode: at least 1 direction, got " + directions);
        }
        return and(c -> c.withDirections(directions).withLayers(Set.of()));
    }

    /** How many trials of a spec to check (default: the spec's {@code check.trials}). */
    public GradientAssert withTrials(int trials) {
        if (trials < 1) {
            throw new IllegalArgumentException("withTrials: at least 1 trial, got " + trials);
        }
        return and(c -> c.withTrials(trials));
    }

    /** The gradient agrees with the exact gradient, within the derived tolerance, on every trial of the spec. */
    public GradientAssert agreesWith(GradientSpec spec) {
        Spec s = Internals.spec(spec);
        Spec configured = s.withCheck(options.apply(s.check()));
        verify(SpecChecker.run(configured, UnderTest.of(implementation), SpecChecker.Progress.NONE), null);
        return this;
    }

    /** The same on one trial (the trial's own network and data). */
    public GradientAssert agreesWith(Trial trial) {
        if (trial instanceof GraphTrialCase g) {
            Spec configured = g.spec().withCheck(options.apply(g.spec().check()));
            verify(GraphSpecChecker.runCase(new GraphTrialCase(configured, g.drawn(), g.drawnBy()), implementation),
                    g.recipe());
            return this;
        }
        TrialCase t = Internals.trial(trial);
        Spec configured = t.spec().withCheck(options.apply(t.spec().check()));
        TrialCase withOptions = new TrialCase(configured, t.trial(), t.drawnBy());
        verify(SpecChecker.runCases(configured, List.of(withOptions), UnderTest.of(implementation),
                SpecChecker.Progress.NONE), t.recipe());
        return this;
    }

    private void verify(SpecResult r, String recipe) {
        if (r.verdict() == Verdict.PASS) {
            return;
        }
        String message = Messages.gradientDisagrees(implementation.name(), r, recipe);
        if (r.verdict() == Verdict.ERROR) {
            throw new AssertionFailedError(message);
        }
        throw new AssertionFailedError(message, Messages.expectedGradients(r), Messages.actualGradients(r));
    }
}
