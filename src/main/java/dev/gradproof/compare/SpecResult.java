package dev.gradproof.compare;

import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything known about one spec after a run; the report is a rendering of this.
 *
 * @param spec               null when the spec could not be loaded
 * @param parametersTotal    trainable parameters in the network
 * @param parametersChecked  how many were compared per trial
 * @param sampled            names of the sampled parameters when not all were checked, else empty
 * @param results            every parameter-trial compared
 * @param mismatches         the mismatching ones, largest relative error first
 * @param all                every parameter-trial compared (for plots), in trial then parameter order
 * @param findings           what the evidence says about where and what the error is (empty on a pass)
 * @param consistency        per trial, the consistency checks of an implementation with its own forward pass
 * @param shard              which share of the parameters this result covers
 */
public record SpecResult(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean metExpectation,
                         long seed, int trials, int parametersTotal, int parametersChecked, List<String> sampled,
                         int kinks, int inconclusive, double maxRelativeError, List<LayerSummary> layers,
                         List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                         List<ActivationCheck> activationChecks, String error, double seconds,
                         List<ParameterResult> all, List<String> findings, List<Consistency> consistency,
                         Shard shard) {

    public SpecResult(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean metExpectation,
                      long seed, int trials, int parametersTotal, int parametersChecked, List<String> sampled,
                      int kinks, int inconclusive, double maxRelativeError, List<LayerSummary> layers,
                      List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                      List<ActivationCheck> activationChecks, String error, double seconds, List<ParameterResult> all,
                      List<String> findings) {
        this(name, file, spec, expect, verdict, metExpectation, seed, trials, parametersTotal, parametersChecked,
                sampled, kinks, inconclusive, maxRelativeError, layers, mismatches, inconclusiveResults,
                activationChecks, error, seconds, all, findings, List.of(), Shard.ALL);
    }

    public SpecResult(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean metExpectation,
                      long seed, int trials, int parametersTotal, int parametersChecked, List<String> sampled,
                      int kinks, int inconclusive, double maxRelativeError, List<LayerSummary> layers,
                      List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                      List<ActivationCheck> activationChecks, String error, double seconds, List<ParameterResult> all) {
        this(name, file, spec, expect, verdict, metExpectation, seed, trials, parametersTotal, parametersChecked,
                sampled, kinks, inconclusive, maxRelativeError, layers, mismatches, inconclusiveResults,
                activationChecks, error, seconds, all, List.of());
    }

    /** A result without the per-parameter list (plots then show only the summaries). */
    public SpecResult(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean metExpectation,
                      long seed, int trials, int parametersTotal, int parametersChecked, List<String> sampled,
                      int kinks, int inconclusive, double maxRelativeError, List<LayerSummary> layers,
                      List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                      List<ActivationCheck> activationChecks, String error, double seconds) {
        this(name, file, spec, expect, verdict, metExpectation, seed, trials, parametersTotal, parametersChecked,
                sampled, kinks, inconclusive, maxRelativeError, layers, mismatches, inconclusiveResults,
                activationChecks, error, seconds, List.of(), List.of());
    }

    public static SpecResult error(String name, Path file, Spec spec, Expectation expect, String message, long seed,
                                   double seconds) {
        Expectation e = expect == null ? Expectation.pass() : expect;
        boolean met = e.verdict() == Verdict.ERROR
                && (e.messageFragment() == null || message.contains(e.messageFragment()));
        return new SpecResult(name, file, spec, e, Verdict.ERROR, met, seed, 0, 0, 0, List.of(), 0, 0, 0, List.of(),
                List.of(), List.of(), List.of(), message, seconds);
    }
}
