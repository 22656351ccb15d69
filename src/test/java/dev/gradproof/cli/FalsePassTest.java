package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Regression tests for the ways gradproof once said {@code pass} about a wrong gradient (issue #11,
 * items 1 and 3): a derivative that is NaN or infinite, a tolerance that cannot fail, weights that
 * saturate every unit, and a declared derivative that is wrong only where no trial went.
 */
class FalsePassTest {

    private static Cli.Result check(String fixture) {
        return Cli.run("check", Cli.fixture(fixture).toString(), "--no-report");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "nan-derivative.yaml|nan-derivative|21 of 39|(1 - tanh(x)^2) * sqrt(x) / sqrt(x)",
        "zero-over-zero-derivative.yaml|zero-over-zero-derivative|27 of 39|0/0",
        "log-zero-derivative.yaml|log-zero-derivative|27 of 39|log(0)"})
    void aDerivativeThatIsNotFiniteIsAMismatch(String fixture, String name, String count, String derivative) {
        Cli.Result r = check(fixture);
        assertEquals(1, r.exit(), r::all);
        List<String> lines = r.outLines();
        assertTrue(lines.get(0).startsWith("FAIL  " + name + ": mismatch (expected pass), 3 trials x 13 parameters,"
                + " max rel. error Infinity"), lines.get(0));
        assertEquals("  " + count + " parameter-trials mismatch, in layer 1 (tanh with declared f'(x) = " + derivative
                + ")", lines.get(1));
        int n = Integer.parseInt(count.split(" ")[0]);
        assertTrue(lines.contains("  not a number: the analytic gradient is NaN at " + n + " parameter-trials, first"
                + " W1[0,0] in trial 0 (a declared derivative or a division that is not finite there?)"), r::all);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("  W1[0,0]          0          NaN ")), r::all);
    }

    @Test
    void aRelativeToleranceOfOneOrMoreIsRefused() {
        Cli.Result r = check("tolerance-cannot-fail.yaml");
        assertEquals(2, r.exit(), r::all);
        assertEquals("  error: " + Cli.fixture("tolerance-cannot-fail.yaml") + ":11:20: check.tolerance: a relative"
                + " tolerance of 1e308 cannot fail: with 1 or more, an analytic gradient of 0 (or of twice the exact"
                + " value) agrees with any exact gradient. Use auto (derived from rounding, docs/TOLERANCE.md) or a"
                + " number below 1, such as 1e-6", r.outLines().get(1));
    }

    @Test
    void weightsThatSaturateEveryUnitAreAnErrorNotAPass() {
        Cli.Result r = check("saturated-everywhere.yaml");
        assertEquals(1, r.exit(), r::all);
        assertEquals(List.of("FAIL  saturated-everywhere: error (expected pass), " + r.outLines().get(0)
                        .substring(r.outLines().get(0).lastIndexOf(", ") + 2),
                "  error: nothing was compared: for every parameter the gradient is 0 to within rounding (saturated or"
                        + " dead units, or overflow), so the check cannot tell a wrong gradient from a right one at these"
                        + " weights and data. Choose weights and data that keep the units responsive (a smaller"
                        + " weights.std, for example)", "0 passed, 1 failed"), r.outLines());
    }

    @Test
    void aDeclaredDerivativeWrongOnlyWhereNoTrialWentPassesWithAWarningOnTheConsole() {
        Cli.Result r = check("wrong-beyond-reach.yaml");
        assertEquals(0, r.exit(), r::all);
        assertEquals("  warning: the trials did not reach it, but layer 1 tanh with declared f'(x) = 1 - tanh(x)^2 +"
                + " (abs(x - 4.5) + x - 4.5): 2 of 41 grid points differ from the exact derivative; first differs at"
                + " tanh' at x=4.75: declared 0.500, exact 0.000299; worst at tanh' at x=5.00: declared 1.00, exact"
                + " 0.000182", r.outLines().get(1));
    }
}
