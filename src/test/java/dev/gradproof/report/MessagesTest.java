package dev.gradproof.report;

import static dev.gradproof.report.Results.TANH_BUG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.LayerSummary;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.Status;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Expectation;

class MessagesTest {

    private static final String BUG_MESSAGE =
            "specs/broken.yaml:7:12: network.layers[1].units: expected a positive integer, got -3";

    private static final String TANH_ACTIVATION_LINE = "layer 1 " + TANH_BUG
            + ": 40 of 41 grid points differ from the exact derivative; "
            + "first differs at tanh' at x=0.25: declared 0.937, exact 0.940; "
            + "wrong sign at tanh' at x=1.00: declared -0.186, exact 0.420; "
            + "worst at tanh' at x=4.75: declared 27.6, exact 0.000299";

    /** A pass over a sample of a large network, with kinks and inconclusive parameters. */
    private static SpecResult sampled(int checked, int total) {
        List<String> names = IntStream.range(0, checked).mapToObj(i -> "W1[0," + i + "]").toList();
        return Results.result("ng-ex4", Path.of("specs/ng-ex4.yaml"), null, Expectation.pass(), Verdict.PASS, true, 1, 1,
                total, checked, names, 8, 2, 1.47e-4, List.of(), List.of(), List.of(), List.of(), null, 5.066);
    }

    // ---- specLine --------------------------------------------------------------------------------

    @Test
    void specLineForAPass() {
        assertEquals("ok    tanh-fixed: pass (expected pass), 3 trials x 31 parameters, max rel. error 1.06e-14, 0.00 s",
                Messages.specLine(Results.pass("tanh-fixed")));
    }

    @Test
    void aPassWithComparisonsShowsHowCloseItCameToItsTolerance() {
        SpecResult r = Results.pass("tanh-fixed");
        // |error| / tolerance: 0.1 and 0.4 agreeing, 3.0 at a kink (a convention there, so not counted)
        var agreeing = new dev.gradproof.compare.ParameterResult("W1[0,0]", 0, 1, false, 0, 1.0, 1.0, 1.0, 1e-15, 1e-8,
                1e-9, 1e-8, dev.gradproof.compare.Status.OK, null);
        var closest = new dev.gradproof.compare.ParameterResult("W1[0,1]", 1, 1, false, 1, 1.0, 1.0, 1.0, 1e-15, 1e-8,
                4e-9, 1e-8, dev.gradproof.compare.Status.OK, null);
        var kink = new dev.gradproof.compare.ParameterResult("W1[0,2]", 2, 1, false, 1, 1.0, 1.0, 1.0, 1e-15, 1e-8,
                3e-8, 1e-8, dev.gradproof.compare.Status.KINK, null);
        SpecResult withAll = r.toBuilder().evidence(r.layers(), List.of(), List.of(), List.of(),
                List.of(agreeing, closest, kink), List.of(), List.of()).build();

        assertEquals(0.4, withAll.maxErrorOfTolerance(), 1e-15);
        assertEquals("ok    tanh-fixed: pass (expected pass), 3 trials x 31 parameters, max rel. error 1.06e-14, "
                + "max error 4.0e-01 of tolerance, 0.00 s", Messages.specLine(withAll));
        SpecResult mismatch = withAll.toBuilder().verdict(Verdict.MISMATCH, false).build();
        assertFalse(Messages.specLine(mismatch).contains("of tolerance"), "only a pass needs it");
    }

    @Test
    void specLineForAnExpectedMismatch() {
        assertEquals("ok    tanh-bug: mismatch (expected mismatch), 3 trials x 17 parameters, max rel. error 1.96, 0.04 s",
                Messages.specLine(Results.tanhMismatch(Verdict.MISMATCH, 12)));
    }

    @Test
    void specLineForAnUnexpectedMismatch() {
        assertEquals("FAIL  tanh-bug: mismatch (expected pass), 3 trials x 17 parameters, max rel. error 1.96, 0.04 s",
                Messages.specLine(Results.tanhMismatch(Verdict.PASS, 12)));
    }

    @Test
    void specLineForASampleWithKinksAndInconclusiveInOneTrial() {
        assertEquals("ok    ng-ex4: pass (expected pass), 1 trial x 300 of 10,285 parameters, max rel. error 1.47e-04, "
                + "8 at kinks, 2 inconclusive, 5.07 s", Messages.specLine(sampled(300, 10_285)));
    }

    @Test
    void specLineForAnUnexpectedError() {
        assertEquals("FAIL  broken: error (expected pass), 0.00 s",
                Messages.specLine(Results.error("broken", BUG_MESSAGE, null)));
    }

    @Test
    void specLineForAnExpectedError() {
        SpecResult matched = Results.error("lwr", "loss.reduction: 'none' leaves one loss per example, not a scalar",
                new Expectation(Verdict.ERROR, "scalar"));
        SpecResult other = Results.error("lwr", BUG_MESSAGE, new Expectation(Verdict.ERROR, "scalar"));
        assertEquals("ok    lwr: error (expected error), 0.00 s", Messages.specLine(matched));
        assertEquals("FAIL  lwr: error (expected error), 0.00 s", Messages.specLine(other));
    }

    @Test
    void specLineShowsAnUnknownMaximumAsADash() {
        SpecResult r = Results.pass("p");
        SpecResult nan = Results.result(r.name(), r.file(), null, r.expect(), r.verdict(), true, 7, 3, 31, 31, List.of(),
                0, 0, Double.NaN, r.layers(), List.of(), List.of(), List.of(), null, 0);
        assertEquals("ok    p: pass (expected pass), 3 trials x 31 parameters, max rel. error -, 0.00 s", Messages.specLine(nan));
    }

    // ---- details ---------------------------------------------------------------------------------

    @Test
    void detailsOfAnError() {
        assertEquals("  error: " + BUG_MESSAGE + "\n", Messages.details(Results.error("broken", BUG_MESSAGE, null), Medium.CONSOLE));
    }

    @Test
    void detailsOfAPassAreEmpty() {
        assertEquals("", Messages.details(Results.pass("tanh-fixed"), Medium.CONSOLE));
    }

    @Test
    void detailsOfAMismatch() {
        String expected = ""
                + "  12 of 51 parameter-trials mismatch, in layer 1 (" + TANH_BUG + ")\n"
                + "  layer   checked   mismatch  weights   biases  max rel.err       median  activation\n"
                + "  1            36         12        8        4         1.42         1.00  " + TANH_BUG + "\n"
                + "  2            15          0        0        0     1.06e-14            0  sigmoid\n"
                + "  parameter    trial     analytic        exact  finite diff    rel.error    tolerance\n"
                + "  W1[2,0]          2         83.5      0.00247      0.00247         1.00     2.56e-17\n"
                + "  b1[2]            0        -10.6       0.0376            -         1.00     9.43e-17\n"
                + "  W1[2,1]          2         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[3,1]          0         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[0,1]          1         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[1,1]          2         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[2,1]          0         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[3,1]          1         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[0,1]          2         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  W1[1,1]          0         1.00        0.500        0.500        0.500     1.00e-16\n"
                + "  ... and 2 more (see report.json)\n"
                + "  " + TANH_ACTIVATION_LINE + "\n";
        assertEquals(expected, Messages.details(Results.tanhMismatch(Verdict.PASS, 12), Medium.CONSOLE));
    }

    @Test
    void detailsOfAMismatchWithExactlyTenRowsHasNoMoreLine() {
        String details = Messages.details(Results.tanhMismatch(Verdict.PASS, Messages.SHOWN_MISMATCHES), Medium.CONSOLE);
        assertEquals(List.of(), details.lines().filter(l -> l.contains("more (see report.json)")).toList());
        assertEquals(Messages.SHOWN_MISMATCHES, details.lines().filter(l -> l.startsWith("  W1[") || l.startsWith("  b1[")).count());
    }

    @Test
    void detailsOfAPassWhoseDeclaredDerivativeIsWrongSomewhere() {
        SpecResult r = Results.pass("p");
        SpecResult withBadActivation = Results.result(r.name(), r.file(), null, r.expect(), r.verdict(), true, 7, 3, 31, 31,
                List.of(), 0, 0, 1e-14, r.layers(), List.of(), List.of(), List.of(Results.tanhBugActivation(1)), null, 0);
        assertEquals("  " + TANH_ACTIVATION_LINE + "\n", Messages.details(withBadActivation, Medium.CONSOLE));
    }

    @Test
    void detailsOfASampledCheck() {
        assertEquals("  checked a sample of 300 of 10,285 parameters (listed in report.json)\n",
                Messages.details(sampled(300, 10_285), Medium.CONSOLE));
    }

    @Test
    void detailsOfALargeSampleGroupsBothCounts() {
        assertEquals("  checked a sample of 5,000 of 20,000 parameters (listed in report.json)\n",
                Messages.details(sampled(5_000, 20_000), Medium.CONSOLE));
    }

    // ---- where the text is read: no pointer to what is not there (issue #13) -------------------------

    @ParameterizedTest
    @CsvSource({"CONSOLE, '  ... and 2 more (see report.json)'",
            "SUMMARY, ''",
            "CONSOLE_WITHOUT_REPORT, '  ... and 2 more'",
            "JUNIT, '  ... and 2 more'",
            "TEACHING_PAGE, '  ... and 2 more'",
            "ALLURE, '  ... and 2 more (in the \"mismatches (CSV)\" attachment)'"})
    void theRestOfTheMismatchTableIsWhereTheMediumHasIt(Medium medium, String moreLine) {
        List<String> more = Messages.details(Results.tanhMismatch(Verdict.PASS, 12), medium).lines()
                .filter(l -> l.contains("more")).toList();
        assertEquals(moreLine.isEmpty() ? List.of() : List.of(moreLine), more, "summary.md shows 20 rows, so all 12");
    }

    @ParameterizedTest
    @CsvSource({"CONSOLE, ' (listed in report.json)'", "SUMMARY, ' (listed in report.json)'",
            "CONSOLE_WITHOUT_REPORT, ''", "JUNIT, ''", "ALLURE, ''", "TEACHING_PAGE, ''"})
    void theSampleIsListedOnlyWhereAReportIs(Medium medium, String where) {
        assertEquals("  checked a sample of 300 of 10,285 parameters" + where + "\n", Messages.details(sampled(300, 10_285), medium));
    }

    @Test
    void onlyAMediumBesideAReportPointsAtIt() {
        for (Medium m : Medium.values()) {
            String text = Messages.details(Results.tanhMismatch(Verdict.PASS, 40), m) + Messages.details(sampled(300, 10_285), m);
            assertEquals(m.hasReportJson(), text.contains("report.json"), m + ": " + text);
        }
        String junit = Messages.gradientDisagrees("net", Results.tanhMismatch(Verdict.PASS, 40), null);
        assertEquals(List.of("  ... and 30 more"), junit.lines().filter(l -> l.contains("more")).toList(), junit);
    }

    // ---- parts -----------------------------------------------------------------------------------

    @Test
    void mismatchHeadlineNamesEveryMismatchingLayer() {
        SpecResult one = Results.tanhMismatch(Verdict.MISMATCH, 3);
        List<LayerSummary> layers = new ArrayList<>(one.layers());
        layers.add(new LayerSummary(3, TANH_BUG, false, 10, 1, 1, 0, 0, 0, 1.5, 1.0));
        SpecResult two = Results.result(one.name(), one.file(), null, one.expect(), one.verdict(), true, 7, 1000, 17, 17,
                List.of(), 0, 0, 1.5, layers, one.mismatches(), List.of(), List.of(), null, 0);
        assertEquals("3 of 17,000 parameter-trials mismatch, in layer 1 (" + TANH_BUG + ") and layer 3 (" + TANH_BUG + ")",
                Messages.mismatchHeadline(two));
    }

    @Test
    void layerTableMarksAFrozenLayer() {
        assertEquals(""
                        + "layer   checked   mismatch  weights   biases  max rel.err       median  activation\n"
                        + "1             0          0        0        0            0            0  relu (frozen: not checked)\n",
                Messages.layerTable(List.of(new LayerSummary(1, "relu", true, 0, 0, 0, 0, 0, 0, 0, 0)), ""));
    }

    @Test
    void aGraphsLongerNamesWidenTheParameterColumn() {
        ParameterResult r = new ParameterResult("lstm1.weight_hh[23,26]", 7, 2, false, 0, -3.5e-6, 3.44e-6, 3.44e-6,
                1.98, 7.91e-9, 6.9e-6, 2.7e-14, Status.MISMATCH, null);
        assertEquals("  parameter              trial     analytic        exact  finite diff    rel.error    tolerance\n"
                + "  lstm1.weight_hh[23,26]     0    -3.50e-06     3.44e-06     3.44e-06         1.98     7.91e-09\n",
                Messages.mismatchTable(List.of(r), Medium.CONSOLE, "  "));
    }

    @Test
    void mismatchTableIsEmptyWithoutMismatches() {
        assertEquals("", Messages.mismatchTable(List.of(), Medium.CONSOLE, "  "));
    }

    @Test
    void activationPointDescription() {
        ActivationCheck.Point p = new ActivationCheck.Point("sign", 1.0, -0.1861126215375386, 0.41997434161402614);
        assertEquals("tanh' at x=1.00: declared -0.186, exact 0.420", p.describe("tanh"));
        assertEquals("wrong sign at tanh' at x=1.00: declared -0.186, exact 0.420", p.explain("tanh"));
        assertEquals("first differs at tanh' at x=1.00: declared -0.186, exact 0.420",
                new ActivationCheck.Point("first", 1.0, -0.1861126215375386, 0.41997434161402614).explain("tanh"));
        assertEquals("worst at tanh' at x=1.00: declared -0.186, exact 0.420",
                new ActivationCheck.Point("worst", 1.0, -0.1861126215375386, 0.41997434161402614).explain("tanh"));
    }

    @Test
    void activationLine() {
        assertEquals(TANH_ACTIVATION_LINE, Messages.activationLine(Results.tanhBugActivation(1)));
    }

    // ---- closing line ----------------------------------------------------------------------------

    @Test
    void closingLineCountsWhoMetTheirExpectation() {
        assertEquals("2 passed, 1 failed", Messages.closingLine(List.of(Results.pass("a"),
                Results.tanhMismatch(Verdict.PASS, 2), Results.tanhMismatch(Verdict.MISMATCH, 2))));
        assertEquals("0 passed, 1 failed", Messages.closingLine(List.of(Results.error("b", BUG_MESSAGE, null))));
        assertEquals("0 passed, 0 failed", Messages.closingLine(List.of()));
    }

    // ---- number formats shared by every text output ----------------------------------------------

    @ParameterizedTest(name = "g({0}) = {1}")
    @CsvSource(delimiter = '|', value = {
        "NaN                  | -",
        "0                    | 0",
        "-0.0                 | 0",
        "1.9626872197266034   | 1.96",
        "-0.1861126215375386  | -0.186",
        "0.001                | 0.00100",
        "0.00029936250221152  | 2.99e-04",
        "83.4567              | 83.5",
        "99949                | 9.99e+04",
        "100000               | 1.00e+05",
        "1.06e-14             | 1.06e-14",
        "Infinity             | Infinity",
    })
    void threeSignificantDigits(double value, String text) {
        assertEquals(text, Numbers.g(value));
    }

    @Test
    void secondsAndGrouping() {
        assertEquals("0.00 s", Numbers.seconds(0.004));
        assertEquals("5.07 s", Numbers.seconds(5.066));
        assertEquals("10,285", Numbers.grouped(10_285));
        assertEquals("17", Numbers.grouped(17));
    }
}
