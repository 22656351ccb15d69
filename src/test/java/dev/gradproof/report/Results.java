package dev.gradproof.report;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.LayerSummary;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;

/** SpecResults built by hand with known numbers, for the report tests. */
public final class Results {

    static final String TANH_BUG = "tanh with declared f'(x) = 1 - tanh(x) * tan(x)";

    /** A result from its fields in the order reports list them (fixtures written before SpecResult had parts). */
    public static SpecResult result(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean met,
                                    long seed, int trials, int total, int checked, List<String> sampled, int kinks,
                                    int inconclusive, double maxRel, List<LayerSummary> layers,
                                    List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                                    List<ActivationCheck> activationChecks, String error, double seconds,
                                    List<ParameterResult> all, List<String> findings) {
        return SpecResult.builder().identity(name, file, spec, expect, seed).verdict(verdict, met).error(error)
                .coverage(trials, total, checked, sampled, kinks, inconclusive, maxRel)
                .evidence(layers, mismatches, inconclusiveResults, activationChecks, all, findings, List.of())
                .seconds(seconds).build();
    }

    public static SpecResult result(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean met,
                                    long seed, int trials, int total, int checked, List<String> sampled, int kinks,
                                    int inconclusive, double maxRel, List<LayerSummary> layers,
                                    List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                                    List<ActivationCheck> activationChecks, String error, double seconds,
                                    List<ParameterResult> all) {
        return result(name, file, spec, expect, verdict, met, seed, trials, total, checked, sampled, kinks, inconclusive,
                maxRel, layers, mismatches, inconclusiveResults, activationChecks, error, seconds, all, List.of());
    }

    public static SpecResult result(String name, Path file, Spec spec, Expectation expect, Verdict verdict, boolean met,
                                    long seed, int trials, int total, int checked, List<String> sampled, int kinks,
                                    int inconclusive, double maxRel, List<LayerSummary> layers,
                                    List<ParameterResult> mismatches, List<ParameterResult> inconclusiveResults,
                                    List<ActivationCheck> activationChecks, String error, double seconds) {
        return result(name, file, spec, expect, verdict, met, seed, trials, total, checked, sampled, kinks, inconclusive,
                maxRel, layers, mismatches, inconclusiveResults, activationChecks, error, seconds, List.of(), List.of());
    }

    private Results() {
    }

    static Expectation expect(Verdict v) {
        return new Expectation(v, null);
    }

    static SpecResult pass(String name) {
        return result(name, Path.of("specs/" + name + ".yaml"), null, Expectation.pass(), Verdict.PASS, true,
                7, 3, 31, 31, List.of(), 0, 0, 1.06e-14,
                List.of(new LayerSummary(1, "tanh", false, 93, 0, 0, 0, 0, 0, 1.06e-14, 2.0e-16)),
                List.of(), List.of(), List.of(passedActivation()), null, 0.004);
    }

    static ActivationCheck passedActivation() {
        return passedActivation(1, "tanh");
    }

    static ActivationCheck passedActivation(int layer, String name) {
        return new ActivationCheck(layer, name, name, 41, 0, List.of(), 1.1e-16);
    }

    /** The tutorial's tanh derivative, with the grid points the checker reports for it. */
    static ActivationCheck tanhBugActivation(int layer) {
        return new ActivationCheck(layer, "tanh", TANH_BUG, 41, 40, List.of(
                new ActivationCheck.Point("first", 0.25, 0.9374619981989505, 0.940014848806378),
                new ActivationCheck.Point("sign", 1.0, -0.1861126215375386, 0.41997434161402614),
                new ActivationCheck.Point("worst", 4.75, 27.571436092000766, 0.00029936250221151983)),
                27.571136729498555);
    }

    static ParameterResult mismatch(String parameter, int layer, boolean bias, int trial, double analytic,
                                    double finiteDifference, double exact, double absoluteTolerance) {
        double ref = Double.isNaN(exact) ? finiteDifference : exact;
        double scale = Math.max(Math.abs(analytic), Math.abs(ref));
        double err = Math.abs(analytic - ref);
        return new ParameterResult(parameter, 0, layer, bias, trial, analytic, finiteDifference, exact, err / scale,
                absoluteTolerance / scale, err, absoluteTolerance, Status.MISMATCH, null);
    }

    /**
     * 2 → 4 tanh (bug) → 1 sigmoid: 12 + 5 = 17 parameters, 3 trials, 12 mismatches in layer 1
     * (8 weights, 4 biases), expected {@code expect}.
     */
    static SpecResult tanhMismatch(Verdict expect, int listed) {
        List<ParameterResult> mismatches = new ArrayList<>();
        mismatches.add(mismatch("W1[2,0]", 1, false, 2, 83.4567, 0.0024713, 0.0024712, 2.5612e-17 * 83.4567));
        mismatches.add(mismatch("b1[2]", 1, true, 0, -10.6, Double.NaN, 0.0376, 1.0e-15));
        for (int i = mismatches.size(); i < listed; i++) {
            mismatches.add(mismatch("W1[" + (i % 4) + ",1]", 1, false, i % 3, 1.0, 0.5, 0.5, 1e-16));
        }
        return result("tanh-bug", Path.of("specs/tanh-bug.yaml"), null, expect(expect), Verdict.MISMATCH,
                expect == Verdict.MISMATCH, 7, 3, 17, 17, List.of(), 0, 0, 1.9626872197266034,
                List.of(new LayerSummary(1, TANH_BUG, false, 36, 12, 8, 4, 0, 0, 1.4189744277331953, 1.0002794845857967),
                        new LayerSummary(2, "sigmoid", false, 15, 0, 0, 0, 0, 0, 1.06e-14, 0)),
                mismatches, List.of(), List.of(tanhBugActivation(1), passedActivation(2, "sigmoid")), null, 0.036);
    }

    static SpecResult error(String name, String message, Expectation expect) {
        return SpecResult.error(name, Path.of("specs/" + name + ".yaml"), null, expect, message, 0, 0);
    }
}
