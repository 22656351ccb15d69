package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Trial;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.graph.GraphTrialCase;
import dev.gradproof.report.CounterexampleJson;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.ReportJson;
import dev.gradproof.spec.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A spec file checked as a test: its verdict and, when a trial failed where it should have passed, the
 * counterexample shrunk from it. What {@link SpecListener}s are told.
 *
 * @param spec      null when the file could not be loaded
 * @param original  the first failing trial as drawn, when shrinking happened
 * @param shrunk    the smallest trial found that still fails
 * @param attempts  candidate trials checked while shrinking
 */
@API(status = INTERNAL, since = "0.2")
public record SpecOutcome(Path file, String source, Spec spec, SpecResult result, Trial original,
                          Trial shrunk, int attempts) {

    /** Why the spec's test failed, worded for where it is read. */
    public String failureMessage(Medium medium) {
        StringBuilder sb = new StringBuilder(Messages.expectationNotMet(result, medium));
        if (shrunk != null) {
            sb.append(Messages.counterexample(original, shrunk, attempts, file, medium));
        }
        return sb.toString();
    }

    /** The shrunk counterexample as JSON (null when nothing was shrunk). */
    public String counterexampleJson() {
        if (shrunk == null) {
            return null;
        }
        try {
            if (shrunk instanceof GraphTrialCase g) {
                return ReportJson.mapper().writeValueAsString(CounterexampleJson.of(g,
                        GraphSpecChecker.runCase(g, GraphTrialCheck.Analytic.REFERENCE)));
            }
            TrialCase c = (TrialCase) shrunk;
            SpecResult r = SpecChecker.runCases(spec, List.of(c), SpecChecker.Implementation.REFERENCE,
                    SpecChecker.Progress.NONE);
            return ReportJson.mapper().writeValueAsString(CounterexampleJson.of(c, r));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
