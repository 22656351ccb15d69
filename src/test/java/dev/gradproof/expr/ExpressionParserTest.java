package dev.gradproof.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExpressionParserTest {

    private static double eval(String source, double x) throws ExpressionException {
        return Expression.parse(source).value(x);
    }

    // Every expected value here is exactly representable and computed exactly, so assertEquals is exact.
    @ParameterizedTest(name = "{0} at x={1} is {2}")
    @CsvSource(delimiter = ';', value = {
        "1 + 2 * 3; 0; 7",
        "(1 + 2) * 3; 0; 9",
        "2^3^2; 0; 512",
        "(2^3)^2; 0; 64",
        "-2^2; 0; -4",
        "(-2)^2; 0; 4",
        "-x^2; 3; -9",
        "2*-3; 0; -6",
        "2^-1; 0; 0.5",
        "-2^-2; 0; -0.25",
        "x - 1 - 1; 5; 3",
        "x - (1 - 1); 5; 5",
        "8 / 4 / 2; 0; 1",
        "8 / (4 / 2); 0; 4",
        "2 * 3 ^ 2; 0; 18",
        "- - x; 3; 3",
        "+x; 3; 3",
        "-+-x; 3; 3",
        "1 - -1; 0; 2",
        "x^2; -3; 9",
        "x^3; -2; -8",
        "x^-1; 4; 0.25",
        "max(x, 1) + min(x, 1); 3; 4",
        "max(-x, x^2); -2; 4",
        "abs(x - 5); 2; 3",
        "sqrt(x)^2 - x + 2; 4; 2",
    })
    void precedenceAndAssociativity(String source, double x, double expected) throws ExpressionException {
        assertEquals(expected, eval(source, x), source);
    }

    @ParameterizedTest
    @CsvSource(delimiter = ';', value = {
        "2; 2", "0.5; 0.5", ".5; 0.5", "5.; 5", "1e-3; 0.001", "2.5E+4; 25000", "1E3; 1000",
        "007; 7", "0.1; 0.1", "3.25e0; 3.25",
    })
    void numbers(String source, double expected) throws ExpressionException {
        assertEquals(expected, eval(source, 0));
    }

    @Test
    void constantsAreTheDoubleConstants() throws ExpressionException {
        assertEquals(Math.PI, eval("pi", 0));
        assertEquals(Math.E, eval("e", 0));
        assertEquals(2 * Math.PI, eval("2*pi", 0));
        assertEquals(Math.exp(1) * 2, eval("exp(1)*2", 0));
    }

    @Test
    void whitespaceAnywhereBetweenTokens() throws ExpressionException {
        Expression tight = Expression.parse("max(x,2)*sin(x)^2+1");
        Expression loose = Expression.parse("\t max ( x , 2 ) *\n sin ( x ) ^ 2 + 1  ");
        for (double x : new double[] {-2, 0.3, 5}) {
            assertEquals(tight.value(x), loose.value(x));
        }
    }

    @Test
    void depthCountsTreeLevels() throws ExpressionException {
        assertEquals(1, Expression.parse("x").depth());
        assertEquals(1, Expression.parse("((x))").depth());
        assertEquals(2, Expression.parse("-x").depth());
        assertEquals(3, Expression.parse("1 + 2 * x").depth());
        assertEquals(4, Expression.parse("sin(x^2) + 1").depth());
    }

    @Test
    void constantnessAndSmoothness() throws ExpressionException {
        assertTrue(Expression.parse("2 * pi + e^2").isConstant());
        assertFalse(Expression.parse("2 * x").isConstant());
        assertFalse(Expression.parse("tanh(x) + sigmoid(x)").usesNonSmooth());
        assertTrue(Expression.parse("1 + abs(x)").usesNonSmooth());
        assertTrue(Expression.parse("sin(max(x, 0))").usesNonSmooth());
        assertTrue(Expression.parse("min(x, 0)").usesNonSmooth());
    }

    @Test
    void sourceAndToStringAreTheInput() throws ExpressionException {
        Expression e = Expression.parse(" x ^ 2 ");
        assertEquals(" x ^ 2 ", e.source());
        assertEquals(" x ^ 2 ", e.toString());
    }

    @Test
    void sixtyFourLevelsAreAccepted() throws ExpressionException {
        String deep = "(".repeat(64) + "x" + ")".repeat(64);
        assertEquals(2.5, eval(deep, 2.5));
        Expression chain = Expression.parse("x" + "+x".repeat(63));
        assertEquals(64, chain.depth());
        assertEquals(64, chain.value(1));
    }

    /** pow(DS) goes through log(base); an integer exponent must not, or x^2 would be NaN for x < 0. */
    @Test
    void integerExponentDifferentiatesAtNegativeBase() throws ExpressionException {
        DerivativeStructure x = new DerivativeStructure(1, 2, 0, -3.0);
        DerivativeStructure square = Expression.parse("x^2").value(x);
        assertEquals(9, square.getValue());
        assertEquals(-6, square.getPartialDerivative(1));
        assertEquals(2, square.getPartialDerivative(2));
        DerivativeStructure cube = Expression.parse("x^(1+2)").value(x);
        assertEquals(27, cube.getPartialDerivative(1));
    }

    @Test
    void variableExponentUsesTheLogRoute() throws ExpressionException {
        // d/dx 2^x = 2^x ln 2; d/dx x^x = x^x (ln x + 1)
        DerivativeStructure x = new DerivativeStructure(1, 1, 0, 1.5);
        assertEquals(Math.pow(2, 1.5) * Math.log(2), Expression.parse("2^x").value(x).getPartialDerivative(1), 1e-15);
        double xx = Math.pow(1.5, 1.5);
        assertEquals(xx * (Math.log(1.5) + 1), Expression.parse("x^x").value(x).getPartialDerivative(1), 1e-14);
    }

    @Test
    void worksWithSeveralFreeParameters() throws ExpressionException {
        // x = 2a + 3b: df/da = 2 f'(x), df/db = 3 f'(x).
        DerivativeStructure a = new DerivativeStructure(2, 1, 0, 0.25);
        DerivativeStructure b = new DerivativeStructure(2, 1, 1, 0.5);
        DerivativeStructure x = a.multiply(2).add(b.multiply(3));
        DerivativeStructure f = Expression.parse("x^3 + 1").value(x);
        double slope = 3 * 2.0 * 2.0;
        assertEquals(2 * slope, f.getPartialDerivative(1, 0));
        assertEquals(3 * slope, f.getPartialDerivative(0, 1));
    }

    @Test
    void maxAndMinDifferentiateTheSelectedArgument() throws ExpressionException {
        Expression relu = Expression.parse("max(x, 0)");
        assertEquals(1, relu.value(new DerivativeStructure(1, 1, 0, 2.0)).getPartialDerivative(1));
        assertEquals(0, relu.value(new DerivativeStructure(1, 1, 0, -2.0)).getPartialDerivative(1));
        // At the tie the left argument is taken: a one-sided derivative.
        assertEquals(1, relu.value(new DerivativeStructure(1, 1, 0, 0.0)).getPartialDerivative(1));
        Expression floor = Expression.parse("min(2*x, 1)");
        assertEquals(2, floor.value(new DerivativeStructure(1, 1, 0, 0.0)).getPartialDerivative(1));
        assertEquals(0, floor.value(new DerivativeStructure(1, 1, 0, 3.0)).getPartialDerivative(1));
    }
}
