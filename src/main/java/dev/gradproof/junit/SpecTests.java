package dev.gradproof.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.gradproof.run.SpecListeners;
import dev.gradproof.run.SpecOutcome;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.jqwik.Trials;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.graph.GraphTrialCase;
import dev.gradproof.report.CounterexampleJson;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.ReportJson;
import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.SpecRun;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;
import net.jqwik.api.Shrinkable;
import org.junit.jupiter.api.DynamicTest;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.io.InputStream;
import java.util.function.Predicate;

import org.apiguardian.api.API;

/**
 * Every spec of a folder as a JUnit test, honouring its {@code expect}:
 *
 * <pre>{@code
 * @TestFactory
 * Stream<DynamicTest> specs() {
 *     return SpecTests.inFolder(Path.of("specs"));
 * }
 * }</pre>
 *
 * Same engine and seeds as {@code gradproof check}, so the verdicts are the same. When a spec that
 * should pass mismatches, the failing trial is shrunk with jqwik's shrinking candidates and the
 * failure shows the original and the shrunk counterexample with the recipe that redraws it.
 *
 * <p>A spec that names a program ({@code implementation: {process: ...}}) fails with a refusal unless
 * it is allowed, as on the command line: {@code inFolder(folder, ProcessPermission.all())} for specs
 * you have read, {@code ProcessPermission.trusting(TrustedCommands.read(file))} for the commands of a
 * trusted-commands file (docs/PROTOCOL.md, "Security").
 */
@API(status = STABLE, since = "0.2")
public final class SpecTests {
    /** Shrinking steps accepted at most; each costs one check of a smaller trial. */
    static final int MAX_SHRINK_STEPS = 60;

    private SpecTests() {
    }

    public static Stream<DynamicTest> inFolder(Path folder) {
        return inFolder(folder, p -> true);
    }

    /** With {@code permission} for the programs the specs name. */
    public static Stream<DynamicTest> inFolder(Path folder, ProcessPermission permission) {
        return inFolder(folder, p -> true, permission);
    }

    /** Only the spec files {@code include} accepts (paths as found under {@code folder}). */
    public static Stream<DynamicTest> inFolder(Path folder, Predicate<Path> include) {
        return inFolder(folder, include, ProcessPermission.none());
    }

    /**
     * Only the spec files {@code include} accepts, with {@code permission} for the programs they name.
     * Whatever the search passes over (a link loop, a hidden spec) becomes a skipped test that says why,
     * so a run never checks less than it was given without saying so.
     */
    public static Stream<DynamicTest> inFolder(Path folder, Predicate<Path> include,
                                               ProcessPermission permission) {
        SpecFiles.Found found;
        try {
            found = SpecFiles.expand(List.of(folder));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list specs in " + folder, e);
        }
        Stream<DynamicTest> specs = found.files().stream().filter(include)
                .map(f -> DynamicTest.dynamicTest(SpecLoader.declared(f).name(), f.toUri(), () -> check(f, permission)));
        Stream<DynamicTest> skipped = found.skipped().stream().map(why -> DynamicTest.dynamicTest("skipped " + why,
                () -> { throw new TestAbortedException("not checked: " + why); }));
        return Stream.concat(specs, skipped);
    }

    /** Checks one spec file; throws an assertion failure when its expectation is not met. */
    public static SpecOutcome check(Path file) {
        return check(file, ProcessPermission.none());
    }

    /** The same, with {@code permission} for the program the spec names. */
    public static SpecOutcome check(Path file, ProcessPermission permission) {
        SpecOutcome outcome = run(file, permission);
        SpecListeners.specChecked(outcome);
        if (!outcome.result().metExpectation()) {
            throw new AssertionFailedError(outcome.failureMessage(Medium.JUNIT));
        }
        return outcome;
    }

    /** Runs a spec file and, if it failed where it should pass, shrinks the failing trial. */
    public static SpecOutcome run(Path file) {
        return run(file, ProcessPermission.none());
    }

    /** The same, with {@code permission} for the program the spec names. */
    public static SpecOutcome run(Path file, ProcessPermission permission) {
        String source = read(file);
        Spec spec;
        try {
            spec = new SpecLoader().load(file);
        } catch (SpecException e) {
            SpecLoader.Declared declared = SpecLoader.declared(file);
            SpecResult r = SpecResult.error(declared.name(), file, null, declared.expect(), e.getMessage(), 0, 0);
            return new SpecOutcome(file, source, null, r, null, null, 0);
        }
        SpecResult r = SpecRun.run(spec, null, null, SpecChecker.Progress.NONE, Shard.ALL, permission);
        if (!spec.implementation().isReference()) {
            return new SpecOutcome(file, source, spec, r, null, null, 0);
        }
        if (r.metExpectation() || r.verdict() != Verdict.MISMATCH || spec.expect().verdict() != Verdict.PASS) {
            return new SpecOutcome(file, source, spec, r, null, null, 0);
        }
        int failingTrial = r.mismatches().get(0).trial();
        if (spec.network().isGraph()) {
            Shrinkable<GraphTrialCase> first = Trials.graphTrial(spec, failingTrial);
            int[] steps = {0};
            Shrinkable<GraphTrialCase> smallest = Trials.shrink(first, c -> {
                steps[0]++;
                return GraphSpecChecker.runCase(c, GraphTrialCheck.Analytic.REFERENCE).verdict() == Verdict.MISMATCH;
            }, MAX_SHRINK_STEPS);
            return new SpecOutcome(file, source, spec, r, first.value(), smallest.value(), steps[0]);
        }
        Shrinkable<TrialCase> original = Trials.trial(spec, failingTrial);
        int[] steps = {0};
        Shrinkable<TrialCase> shrunk = Trials.shrink(original, c -> {
            steps[0]++;
            return SpecChecker.runCases(spec, List.of(c), SpecChecker.Implementation.REFERENCE, SpecChecker.Progress.NONE)
                    .verdict() == Verdict.MISMATCH;
        }, MAX_SHRINK_STEPS);
        return new SpecOutcome(file, source, spec, r, original.value(), shrunk.value(), steps[0]);
    }

    /** The spec's text for reports, bounded like the loader's read; empty when it is not a readable file. */
    private static String read(Path f) {
        if (!Files.isRegularFile(f)) {
            return "";
        }
        try (InputStream in = Files.newInputStream(f)) {
            return new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
