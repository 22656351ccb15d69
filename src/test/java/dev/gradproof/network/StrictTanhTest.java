package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Java tanh is StrictMath's bit for bit: on the boundaries of every branch of fdlibm's tanh and expm1,
 * on the special values, and on a few million drawn inputs (random bit patterns, and values where the
 * networks live). The reference forward pass and the tape both use it, so a difference here would not show
 * anywhere else.
 */
class StrictTanhTest {

    private static final double[] SPECIAL = {0.0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
            Double.MAX_VALUE, -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1, -1, 22, -22,
            0x1p-55, -0x1p-55, 0x1p-54, 0x1p-56, 0.5 * Math.log(2), 1.5 * Math.log(2), 56 * Math.log(2),
            -56 * Math.log(2), 19 * Math.log(2), 20 * Math.log(2), 21 * Math.log(2), -0.25, 709.78, 709.79, 710,
            -710, 38, -38, 1e-300, -1e-300};

    @Test
    void specialValuesAndBranchBoundariesAreStrictMaths() {
        List<String> bad = new ArrayList<>();
        for (double x : SPECIAL) {
            for (double y : new double[]{x, Math.nextUp(x), Math.nextDown(x)}) {
                compare(y, bad);
            }
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void drawnInputsAreStrictMaths() {
        SplittableRandom rnd = new SplittableRandom(20261206L);
        List<String> bad = new ArrayList<>();
        for (int i = 0; i < 2_000_000 && bad.size() < 10; i++) {
            double x = switch (i % 4) {
                case 0 -> Double.longBitsToDouble(rnd.nextLong());
                case 1 -> rnd.nextDouble(-25, 25);
                case 2 -> rnd.nextDouble(-1, 1) * Math.scalb(1.0, -rnd.nextInt(60));
                default -> rnd.nextDouble(-800, 800);
            };
            compare(x, bad);
        }
        assertEquals(List.of(), bad);
    }

    @Test
    void nanStaysNan() {
        assertEquals(Double.NaN, StrictTanh.tanh(Double.NaN));
        assertEquals(Double.NaN, StrictTanh.expm1(Double.NaN));
    }

    /** The comparison can fail: a value one ulp off is told apart. */
    @Test
    void oneUlpIsADifference() {
        List<String> bad = new ArrayList<>();
        same("tanh", 0.3, Math.nextUp(StrictMath.tanh(0.3)), StrictMath.tanh(0.3), bad);
        assertNotEquals(List.of(), bad);
    }

    private static void compare(double x, List<String> bad) {
        if (Double.isNaN(x)) {
            return;
        }
        same("tanh", x, StrictTanh.tanh(x), StrictMath.tanh(x), bad);
        same("expm1", x, StrictTanh.expm1(x), StrictMath.expm1(x), bad);
    }

    private static void same(String f, double x, double ours, double strict, List<String> bad) {
        if (Double.doubleToRawLongBits(ours) != Double.doubleToRawLongBits(strict)) {
            bad.add(f + "(" + x + "): " + ours + " but StrictMath " + strict);
        }
    }
}
