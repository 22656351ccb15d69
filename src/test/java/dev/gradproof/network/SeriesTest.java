package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import java.util.function.DoubleUnaryOperator;

/**
 * The truncated series against StrictMath (fdlibm, within 1 ulp of the true value) over their whole
 * range: the documented 2 ulps plus StrictMath's own 1.
 */
class SeriesTest {

    private static double worstUlps(DoubleUnaryOperator series,
                                    DoubleUnaryOperator reference, double limit) {
        SplittableRandom r = new SplittableRandom(7);
        double worst = 0;
        for (int t = 0; t < 2_000_000; t++) {
            // Uniform in the exponent as well as the mantissa: small arguments are the common case.
            double x = (r.nextBoolean() ? 1 : -1) * limit * r.nextDouble() * Math.pow(2, -r.nextInt(40));
            double ref = reference.applyAsDouble(x);
            worst = Math.max(worst, Math.abs(series.applyAsDouble(x) - ref) / Math.ulp(ref));
        }
        for (double x : new double[]{limit, -limit, Math.nextDown(limit), 0x1.0p-1074}) {
            double ref = reference.applyAsDouble(x);
            worst = Math.max(worst, Math.abs(series.applyAsDouble(x) - ref) / Math.ulp(ref));
        }
        return worst;
    }

    @Test
    void expm1IsWithinThreeUlpsOfStrictMath() {
        double worst = worstUlps(Series::expm1, StrictMath::expm1, Series.LIMIT);
        assertTrue(worst <= 3, "worst " + worst + " ulps");
    }

    @Test
    void log1pIsWithinThreeUlpsOfStrictMath() {
        double worst = worstUlps(Series::log1p, StrictMath::log1p, 1.001 * Series.LIMIT);
        assertTrue(worst <= 3, "worst " + worst + " ulps");
    }

    /** The limit is where it is for a reason: at 16 times it, the dropped terms show. */
    @Test
    void beyondTheLimitTheTruncationShows() {
        double x = 16 * Series.LIMIT;
        assertTrue(Math.abs(Series.expm1(x) - StrictMath.expm1(x)) > 4 * Math.ulp(StrictMath.expm1(x)));
        assertTrue(Math.abs(Series.log1p(x) - StrictMath.log1p(x)) > 4 * Math.ulp(StrictMath.log1p(x)));
        assertEquals(0.0, Series.expm1(0.0));
    }
}
