package dev.gradproof.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;

import org.junit.jupiter.api.Test;

class RichardsonStencilTest {

    private static double[] changes(DoubleUnaryOperator f, double x, double h) {
        double[] moves = RichardsonStencil.moves(h);
        double[] c = new double[4];
        for (int i = 0; i < 4; i++) {
            c[i] = f.applyAsDouble(x + moves[i]) - f.applyAsDouble(x);
        }
        return c;
    }

    @Test
    void theCentralEstimateIsWithinItsBoundOnASmoothFunction() {
        double h = 0x1.0p-10;
        FiniteDifference fd = RichardsonStencil.estimate(changes(Math::sin, 0.7, h), 0, h, 0x1.0p-53);
        assertTrue(Math.abs(fd.value() - Math.cos(0.7)) <= fd.error(), fd.toString());
        // The bound is generous (it bounds D(h)'s truncation, not R's); the estimate itself is good to ~1e-12.
        assertTrue(Math.abs(fd.value() - Math.cos(0.7)) < 1e-11, fd.toString());
    }

    /** relu just left of its kink: the central stencil straddles it; the backward side does not. */
    @Test
    void aOneSidedEstimateKeepsEvidenceNextToAKinkAndItsBoundFlagsTheSideThatCrossesIt() {
        DoubleUnaryOperator relu = x -> Math.max(0, x);
        double h = 0x1.0p-16;
        double x = -1e-5;
        double[] c = changes(relu, x, h);
        FiniteDifference backward = RichardsonStencil.oneSided(c, 0, h, 0x1.0p-53, false);
        FiniteDifference forward = RichardsonStencil.oneSided(c, 0, h, 0x1.0p-53, true);
        FiniteDifference central = RichardsonStencil.estimate(c, 0, h, 0x1.0p-53);
        assertEquals(0.0, backward.value(), backward.error());
        assertTrue(backward.error() < 1e-10, backward.toString());
        assertTrue(forward.error() > 0.1, "crossing the kink shows in the bound: " + forward);
        assertTrue(Math.abs(central.value()) > 0.1, "the central one is thrown off: " + central);
    }

    @Test
    void aOneSidedEstimateIsWithinItsBoundOnASmoothFunction() {
        double h = 0x1.0p-16;
        for (boolean forward : new boolean[] {true, false}) {
            FiniteDifference fd = RichardsonStencil.oneSided(changes(Math::exp, 0.3, h), 0, h, 0x1.0p-53, forward);
            assertTrue(Math.abs(fd.value() - Math.exp(0.3)) <= fd.error(), fd.toString());
        }
    }
}
