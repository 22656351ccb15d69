package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;

import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Everything known about one spec after a run; the report is a rendering of this. Three parts: which
 * spec ({@link Identity}), how much was checked ({@link Coverage}) and the evidence ({@link Evidence}),
 * with the verdict. Built with {@link #builder()}; the accessors below read through the parts.
 *
 * @param error   why the verdict is {@code error}; null otherwise
 * @param shard   which share of the parameters this result covers
 * @param skipped why the spec was not checked at all (the implementation refused it, and the run was
 *                asked to skip refusals); null for a spec that was checked or failed. A skipped spec
 *                counts as neither passed nor failed.
 * @param reproduction how to redraw the first failing trial from the command line; null when not known
 */
@API(status = INTERNAL, since = "0.2")
public record SpecResult(Identity identity, Verdict verdict, boolean metExpectation, String error, Coverage coverage,
                         Evidence evidence, double seconds, Shard shard, String skipped,
                         Reproduction reproduction) {

    /**
     * @param recipe  the trial's recipe ({@code seed=.. examples=.. digits=.. units=..}), or for a layer
     *                graph the seed and trial count that redraw it
     * @param command the whole command that checks it again
     */
    public record Reproduction(String recipe, String command) {
    }

    /**
     * @param spec null when the spec could not be loaded
     */
    public record Identity(String name, Path file, Spec spec, Expectation expect, long seed) {
    }

    /**
     * @param parametersTotal   trainable parameters in the network
     * @param parametersChecked how many were compared per trial
     * @param sampled           names of the sampled parameters when not all were checked, else empty
     */
    public record Coverage(int trials, int parametersTotal, int parametersChecked, List<String> sampled, int kinks,
                           int inconclusive, double maxRelativeError) {
        public Coverage {
            sampled = List.copyOf(sampled);
        }

        static final Coverage NONE = new Coverage(0, 0, 0, List.of(), 0, 0, 0);
    }

    /**
     * @param mismatches   the mismatching parameter-trials, largest relative error first
     * @param all          every parameter-trial compared, in trial then parameter order
     * @param findings     what the evidence says about where and what the error is (empty on a plain pass)
     * @param consistency  per trial, the consistency checks of an implementation with its own forward pass
     */
    public record Evidence(List<LayerSummary> layers, List<ParameterResult> mismatches,
                           List<ParameterResult> inconclusiveResults, List<ActivationCheck> activationChecks,
                           List<ParameterResult> all, List<String> findings, List<Consistency> consistency) {
        public Evidence {
            layers = List.copyOf(layers);
            mismatches = List.copyOf(mismatches);
            inconclusiveResults = List.copyOf(inconclusiveResults);
            activationChecks = List.copyOf(activationChecks);
            all = List.copyOf(all);
            findings = List.copyOf(findings);
            consistency = List.copyOf(consistency);
        }

        static final Evidence NONE = new Evidence(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder().identity(identity).verdict(verdict, metExpectation).error(error).coverage(coverage)
                .evidence(evidence).seconds(seconds).shard(shard).skipped(skipped)
                .reproduction(reproduction);
    }

    /** A spec that could not be checked: its expectation is met only if it expected this error. */
    public static SpecResult error(String name, Path file, Spec spec, Expectation expect, String message, long seed,
                                   double seconds) {
        Expectation e = expect == null ? Expectation.pass() : expect;
        boolean met = e.verdict() == Verdict.ERROR && (e.messageFragment() == null || message.contains(e.messageFragment()));
        return builder().identity(new Identity(name, file, spec, e, seed)).verdict(Verdict.ERROR, met).error(message)
                .seconds(seconds).build();
    }

    /** A spec not checked, and why (for example {@code refused by the implementation: <its reason>}). */
    public static SpecResult skipped(Spec spec, String why) {
        return builder().identity(new Identity(spec.name(), spec.file(), spec, spec.expect(), spec.seed()))
                .verdict(Verdict.ERROR, false).error(why).skipped(why).build();
    }

    public boolean isSkipped() {
        return skipped != null;
    }

    public String name() {
        return identity.name();
    }

    public Path file() {
        return identity.file();
    }

    public Spec spec() {
        return identity.spec();
    }

    public Expectation expect() {
        return identity.expect();
    }

    public long seed() {
        return identity.seed();
    }

    public int trials() {
        return coverage.trials();
    }

    public int parametersTotal() {
        return coverage.parametersTotal();
    }

    public int parametersChecked() {
        return coverage.parametersChecked();
    }

    public List<String> sampled() {
        return coverage.sampled();
    }

    public int kinks() {
        return coverage.kinks();
    }

    public int inconclusive() {
        return coverage.inconclusive();
    }

    public double maxRelativeError() {
        return coverage.maxRelativeError();
    }

    /**
     * How close the agreeing parameter-trials came to their tolerance: the largest |error| / tolerance
     * among them (below 1 by definition; kinks, whose derivative is a convention, aside). NaN when none
     * agreed. A pass at 1e-05 of its tolerance and one at 0.9 are both passes; this says which is which.
     */
    public double maxErrorOfTolerance() {
        return all().stream().filter(p -> p.status() == Status.OK).mapToDouble(ParameterResult::errorRatio).max()
                .orElse(Double.NaN);
    }

    public List<LayerSummary> layers() {
        return evidence.layers();
    }

    public List<ParameterResult> mismatches() {
        return evidence.mismatches();
    }

    public List<ParameterResult> inconclusiveResults() {
        return evidence.inconclusiveResults();
    }

    public List<ActivationCheck> activationChecks() {
        return evidence.activationChecks();
    }

    public List<ParameterResult> all() {
        return evidence.all();
    }

    public List<String> findings() {
        return evidence.findings();
    }

    public List<Consistency> consistency() {
        return evidence.consistency();
    }

    /** Builds a result; parts not given are empty, the shard is the whole network. */
    public static final class Builder {
        private Identity identity;
        private Verdict verdict = Verdict.ERROR;
        private boolean met;
        private String error;
        private Coverage coverage = Coverage.NONE;
        private Evidence evidence = Evidence.NONE;
        private double seconds;
        private Shard shard = Shard.ALL;
        private String skipped;
        private Reproduction reproduction;

        public Builder identity(Identity value) {
            identity = value;
            return this;
        }

        public Builder identity(String name, Path file, Spec spec, Expectation expect, long seed) {
            return identity(new Identity(name, file, spec, expect, seed));
        }

        public Builder verdict(Verdict value, boolean metExpectation) {
            verdict = value;
            met = metExpectation;
            return this;
        }

        public Builder error(String message) {
            error = message;
            return this;
        }

        public Builder coverage(Coverage value) {
            coverage = value;
            return this;
        }

        public Builder coverage(int trials, int total, int checked, List<String> sampled, int kinks, int inconclusive,
                                double maxRelativeError) {
            return coverage(new Coverage(trials, total, checked, sampled, kinks, inconclusive, maxRelativeError));
        }

        public Builder trials(int trials) {
            return coverage(new Coverage(trials, coverage.parametersTotal(), coverage.parametersChecked(),
                    coverage.sampled(), coverage.kinks(), coverage.inconclusive(), coverage.maxRelativeError()));
        }

        public Builder evidence(Evidence value) {
            evidence = value;
            return this;
        }

        public Builder evidence(List<LayerSummary> layers, List<ParameterResult> mismatches,
                                List<ParameterResult> inconclusive, List<ActivationCheck> activationChecks,
                                List<ParameterResult> all, List<String> findings, List<Consistency> consistency) {
            return evidence(new Evidence(layers, mismatches, inconclusive, activationChecks, all, findings, consistency));
        }

        public Builder seconds(double value) {
            seconds = value;
            return this;
        }

        public Builder shard(Shard value) {
            shard = value;
            return this;
        }

        public Builder skipped(String why) {
            skipped = why;
            return this;
        }

        public Builder reproduction(Reproduction value) {
            reproduction = value;
            return this;
        }

        public SpecResult build() {
            if (identity == null) {
                throw new IllegalStateException("a result needs the spec's identity");
            }
            return new SpecResult(identity, verdict, met, error, coverage, evidence, seconds, shard, skipped, reproduction);
        }
    }
}
