package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.spec.LossSpec.Reduction;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.IntToDoubleFunction;

import org.junit.jupiter.api.Test;

/** The batch-summed gradient is named a convention only when N times the exact gradient is what every parameter has. */
class SummedBatchGradientTest {
    private static final int N = 40;
    private static final double[] EXACT = {0.31, -0.052, 1.7, 0.0, -2.4e-3, 0.9};
    private static final double TOLERANCE = 1e-15;
    private static final List<Consistency> SAME_LOSS = List.of(new Consistency(true, 0.7, 0.7, 1e-15, 0, List.of()));

    /** Every parameter-trial judged as the check judges it, its analytic gradient given by its index. */
    private static List<ParameterResult> judged(IntToDoubleFunction analytic) {
        List<ParameterResult> all = new ArrayList<>();
        for (int i = 0; i < EXACT.length; i++) {
            double a = analytic.applyAsDouble(i);
            double tol = TOLERANCE * Math.max(1, Math.abs(EXACT[i]));
            Status s = Within.agrees(a, EXACT[i], tol) ? Status.OK : Status.MISMATCH;
            all.add(new ParameterResult("W1[0," + i + "]", i, 1, false, 0, a, EXACT[i], EXACT[i], 0, 0,
                    Math.abs(a - EXACT[i]), tol, s, null));
        }
        return all;
    }

    private static Optional<String> finding(IntToDoubleFunction analytic) {
        return SummedBatchGradient.finding(judged(analytic), SAME_LOSS, N, Reduction.MEAN);
    }

    @Test
    void exactlyNTimesEveryParameterWithTheSpecsMeanLossIsTheConvention() {
        Optional<String> f = finding(i -> N * EXACT[i]);
        assertTrue(f.isPresent());
        assertTrue(f.get().startsWith(SummedBatchGradient.FINDING + " (analytic = N × exact, N = 40, at all 6 "
                + "parameter-trials to within N × rounding): "), f.get());
    }

    @Test
    void roundingOfTheSummedGradientIsAllowedForAsNTimesTheBound() {
        // an error of half the bound per unit of N: beyond the unscaled bound for every nonzero entry, within N times it
        assertTrue(finding(i -> N * EXACT[i] * (1 + 0.5 * TOLERANCE)).isPresent());
    }

    @Test
    void anyOtherFactorIsNotIt() {
        for (double k : new double[] {2, N / 2.0, N + 1, 2.0 * N, 1.0 / N, -N}) {
            assertFalse(finding(i -> k * EXACT[i]).isPresent(), "factor " + k);
        }
    }

    @Test
    void aFactorOffByOnePartInAMillionIsNotIt() {
        // Diagnosis' constant-factor hint accepts this spread; a convention must hold to rounding.
        assertFalse(finding(i -> N * (1 + 1e-7) * EXACT[i]).isPresent());
        assertFalse(finding(i -> i == 2 ? N * (1 + 1e-9) * EXACT[i] : N * EXACT[i]).isPresent());
    }

    @Test
    void nTimesOnSomeParametersOnlyIsNotIt() {
        // one parameter right, the rest N times: the parameter that agrees must be N times too
        assertFalse(finding(i -> i == 0 ? EXACT[i] : N * EXACT[i]).isPresent());
        // the zero gradient stays zero under N; a nonzero one there is not the convention
        assertFalse(finding(i -> i == 3 ? 1e-3 : N * EXACT[i]).isPresent());
    }

    @Test
    void itNeedsTheSpecsMeanLossReportedByTheImplementation() {
        List<ParameterResult> times = judged(i -> N * EXACT[i]);
        assertFalse(SummedBatchGradient.finding(times, SAME_LOSS, N, Reduction.SUM).isPresent(), "sum: N× is a bug");
        assertFalse(SummedBatchGradient.finding(times, SAME_LOSS, 1, Reduction.MEAN).isPresent(), "one example");
        assertFalse(SummedBatchGradient.finding(times, List.of(Consistency.notApplicable()), N, Reduction.MEAN)
                .isPresent(), "no loss reported");
        List<Consistency> summedLoss = List.of(new Consistency(true, N * 0.7, 0.7, 1e-15, 0, List.of()));
        assertFalse(SummedBatchGradient.finding(times, summedLoss, N, Reduction.MEAN).isPresent(), "loss summed too");
    }

    @Test
    void aCorrectGradientNeedsNoConvention() {
        assertEquals(Optional.empty(), finding(i -> EXACT[i]));
    }
}
