package dev.gradproof.expr;

import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * The DerivativeStructure first derivative agrees with a 5-point central difference.
 *
 * <p>With points x_k = x + k·h, D = (f(x−2h) − 8f(x−h) + 8f(x+h) − f(x+2h)) / 12h satisfies
 * f'(x) = D + (h⁴/30)·f⁽⁵⁾(ξ) for some ξ in [x−2h, x+2h]. The tolerance is the sum of
 * <ul>
 *   <li>truncation: h⁴/30 · M5, where M5 is the largest |f⁽⁵⁾| at the five stencil points (from an order-5
 *       DerivativeStructure) doubled, since f⁽⁵⁾ barely changes over an interval of width 4h = 0.004;</li>
 *   <li>rounding of the samples: (e₋₂ + 8e₋₁ + 8e₁ + e₂) / 12h with e_k = roundingErrorBound(x_k);</li>
 *   <li>rounding of the points: x ± h is not exact, and an abscissa off by δ ≤ u|x ± 2h| shifts a sample
 *       by |f'|·δ, weighted like the samples: 18/12h · max|f'| · δ;</li>
 * </ul>
 * times 2 for the second-order terms dropped by each estimate. With h = 1e-3, h⁴/30 ≈ 3e-14 and the
 * rounding terms are ≈ 1e-13·|f|, so the check is sharp: an error in a derivative rule (a wrong sign or
 * factor) is off by O(1).
 */
class DerivativeFiniteDifferenceProperties {

    private static final double H = 1e-3;
    private static final double U = Math.ulp(1.0) / 2;

    @Provide
    Arbitrary<String> smoothExpressions() {
        return Arbitraries.of(
                "sin(x) * cos(x)",
                "tanh(x)",
                "sigmoid(2*x) - 0.5",
                "softplus(x) - x/2",
                "exp(-x^2/2) / sqrt(2*pi)",
                "x^3 - 2*x + 1",
                "atan(x) / (1 + x^2)",
                "sqrt(1 + x^2)",
                "log(1 + x^2) * cosh(x/2)",
                "sinh(x) / (2 + cos(x))",
                "2^x - e^(x/3)",
                "(1 + x^2)^x",
                "(1 + x^2)^0.75",
                "tan(x/3)",
                "1 / (1 + exp(-x)) ^ 2",
                "x^2 * sigmoid(-x)");
    }

    @Property(tries = 400)
    void firstDerivativeMatchesFivePointStencil(@ForAll("smoothExpressions") String source,
            @ForAll @DoubleRange(min = -3, max = 3) double x) throws ExpressionException {
        Expression f = Expression.parse(source);
        double[] offsets = {-2, -1, 0, 1, 2};
        double[] weights = {1, -8, 0, 8, -1};
        double stencil = 0; // 12h times the central difference
        double sampleError = 0;
        double maxFifth = 0;
        double maxSlope = 0;
        for (int k = 0; k < offsets.length; k++) {
            double xk = x + offsets[k] * H;
            stencil += weights[k] * f.value(xk);
            sampleError += Math.abs(weights[k]) * f.roundingErrorBound(xk);
            DerivativeStructure d = f.value(new DerivativeStructure(1, 5, 0, xk));
            maxFifth = Math.max(maxFifth, Math.abs(d.getPartialDerivative(5)));
            maxSlope = Math.max(maxSlope, Math.abs(d.getPartialDerivative(1)));
        }
        double truncation = Math.pow(H, 4) / 30 * 2 * maxFifth;
        double abscissaError = 18 / (12 * H) * maxSlope * U * (Math.abs(x) + 2 * H);
        double tolerance = 2 * (truncation + sampleError / (12 * H) + abscissaError);

        double difference = stencil / (12 * H);
        double exact = f.value(new DerivativeStructure(1, 1, 0, x)).getPartialDerivative(1);
        assertTrue(Math.abs(exact - difference) <= tolerance, () -> source + " at x=" + x + ": DS " + exact
                + ", stencil " + difference + ", gap " + Math.abs(exact - difference) + " > " + tolerance);
    }
}
