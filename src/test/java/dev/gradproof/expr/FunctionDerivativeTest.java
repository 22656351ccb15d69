package dev.gradproof.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import java.util.stream.Stream;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each function's value against java.lang.Math, and its first and second DerivativeStructure derivatives
 * against the closed form.
 *
 * <p>Tolerance: 8 ulps of max(|expected|, 1). Both sides are a handful of correctly-rounded-or-1-ulp
 * operations (commons-math composes f, f', f'' through FastMath and a few products and sums; the closed
 * form uses Math and a few products), so each is within a few ulps of the true value. The floor of 1
 * stops a derivative that crosses zero (e.g. sigmoid'' at 0, reached by cancelling O(1) terms) from
 * demanding relative accuracy that neither side can have.
 */
class FunctionDerivativeTest {

    private static final double ULPS = 8;

    record Case(String function, double[] points, DoubleUnaryOperator value, DoubleUnaryOperator first,
            DoubleUnaryOperator second) {
        @Override
        public String toString() {
            return function;
        }
    }

    private static final double[] REALS = {-2.5, -0.7, 0.3, 1.9};
    private static final double[] POSITIVE = {0.2, 1.0, 3.7};

    private static double s(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    static Stream<Case> cases() {
        return Stream.of(
            new Case("abs", REALS, Math::abs, Math::signum, x -> 0),
            new Case("exp", REALS, Math::exp, Math::exp, Math::exp),
            new Case("log", POSITIVE, Math::log, x -> 1 / x, x -> -1 / (x * x)),
            new Case("sqrt", POSITIVE, Math::sqrt, x -> 0.5 / Math.sqrt(x), x -> -0.25 / (x * Math.sqrt(x))),
            new Case("sin", REALS, Math::sin, Math::cos, x -> -Math.sin(x)),
            new Case("cos", REALS, Math::cos, x -> -Math.sin(x), x -> -Math.cos(x)),
            new Case("tan", new double[] {-1.2, 0.4, 1.1}, Math::tan,
                    x -> 1 + Math.tan(x) * Math.tan(x), x -> 2 * Math.tan(x) * (1 + Math.tan(x) * Math.tan(x))),
            new Case("tanh", REALS, Math::tanh,
                    x -> 1 - Math.tanh(x) * Math.tanh(x), x -> -2 * Math.tanh(x) * (1 - Math.tanh(x) * Math.tanh(x))),
            new Case("sinh", REALS, Math::sinh, Math::cosh, Math::sinh),
            new Case("cosh", REALS, Math::cosh, Math::sinh, Math::cosh),
            new Case("atan", REALS, Math::atan,
                    x -> 1 / (1 + x * x), x -> -2 * x / ((1 + x * x) * (1 + x * x))),
            new Case("sigmoid", REALS, FunctionDerivativeTest::s,
                    x -> s(x) * (1 - s(x)), x -> s(x) * (1 - s(x)) * (1 - 2 * s(x))),
            new Case("softplus", REALS, x -> Math.log(1 + Math.exp(x)),
                    FunctionDerivativeTest::s, x -> s(x) * (1 - s(x))));
    }

    private static void assertClose(double expected, double actual, String what) {
        double tolerance = ULPS * Math.ulp(Math.max(Math.abs(expected), 1.0));
        assertTrue(Math.abs(expected - actual) <= tolerance,
                () -> what + ": expected " + expected + " but was " + actual + " (tolerance " + tolerance + ")");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void valueAndDerivatives(Case c) throws ExpressionException {
        Expression f = Expression.parse(c.function() + "(x)");
        for (double x : c.points()) {
            String at = c.function() + " at " + x;
            assertClose(c.value().applyAsDouble(x), f.value(x), at + " value");
            DerivativeStructure d = f.value(new DerivativeStructure(1, 2, 0, x));
            assertEquals(f.value(x), d.getValue(), Math.ulp(f.value(x)), at + " DS value");
            assertClose(c.first().applyAsDouble(x), d.getPartialDerivative(1), at + " f'");
            assertClose(c.second().applyAsDouble(x), d.getPartialDerivative(2), at + " f''");
        }
    }

    @Test
    void javaMathFunctionsAreCalledDirectly() throws ExpressionException {
        for (double x : REALS) {
            assertEquals(Math.tanh(x), Expression.parse("tanh(x)").value(x));
            assertEquals(Math.atan(x), Expression.parse("atan(x)").value(x));
            assertEquals(Math.exp(x), Expression.parse("exp(x)").value(x));
        }
    }

    @Test
    void maxAndMinOnDoubles() throws ExpressionException {
        assertEquals(3.0, Expression.parse("max(x, 3)").value(1));
        assertEquals(1.0, Expression.parse("min(x, 3)").value(1));
        assertTrue(Double.isNaN(Expression.parse("max(x, 3)").value(Double.NaN)));
    }

    /** The textbook formulas overflow to NaN/Infinity here; the stable ones must not. */
    @Test
    void sigmoidAndSoftplusAreStableAtExtremes() throws ExpressionException {
        Expression sigmoid = Expression.parse("sigmoid(x)");
        Expression softplus = Expression.parse("softplus(x)");
        assertEquals(1.0, sigmoid.value(800));
        assertEquals(0.0, sigmoid.value(-800));
        assertEquals(Math.exp(-700), sigmoid.value(-700), Math.ulp(Math.exp(-700)) * 4);
        assertEquals(800.0, softplus.value(800));
        assertEquals(Math.exp(-700), softplus.value(-700), Math.ulp(Math.exp(-700)) * 4);
        assertEquals(Math.log(2), softplus.value(0));

        DerivativeStructure big = new DerivativeStructure(1, 2, 0, 800);
        assertEquals(0.0, sigmoid.value(big).getPartialDerivative(1));
        assertEquals(1.0, softplus.value(big).getPartialDerivative(1));
        DerivativeStructure small = new DerivativeStructure(1, 2, 0, -800);
        assertEquals(0.0, sigmoid.value(small).getPartialDerivative(1));
        assertEquals(0.0, softplus.value(small).getPartialDerivative(1));
    }

    @Test
    void powersAgainstClosedForm() throws ExpressionException {
        DerivativeStructure x = new DerivativeStructure(1, 2, 0, 1.7);
        DerivativeStructure cube = Expression.parse("x^3").value(x);
        assertClose(3 * 1.7 * 1.7, cube.getPartialDerivative(1), "x^3'");
        assertClose(6 * 1.7, cube.getPartialDerivative(2), "x^3''");
        DerivativeStructure root = Expression.parse("x^0.5").value(x);
        assertClose(0.5 / Math.sqrt(1.7), root.getPartialDerivative(1), "x^0.5'");
        assertClose(-0.25 / (1.7 * Math.sqrt(1.7)), root.getPartialDerivative(2), "x^0.5''");
        DerivativeStructure expo = Expression.parse("e^x").value(x);
        assertClose(Math.exp(1.7), expo.getPartialDerivative(1), "e^x'");
        assertClose(Math.exp(1.7), expo.getPartialDerivative(2), "e^x''");
    }
}
