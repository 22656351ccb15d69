package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.expr.Expression;
import dev.gradproof.expr.ExpressionException;
import dev.gradproof.spec.ActivationSpec;
import java.util.List;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.junit.jupiter.api.Test;
import java.util.Arrays;

/**
 * Each built-in activation's three forms (double value, declared derivative, DerivativeStructure) agree
 * to the rounding bounds the harness relies on, and those bounds are tight enough to expose a wrong
 * derivative.
 */
class ActivationsTest {

    private static final List<Activation> ALL = List.of(Activations.identity(), Activations.sigmoid(),
            Activations.tanh(), Activations.relu(), Activations.leakyRelu(0.1), Activations.elu(1.0),
            Activations.elu(0.5), Activations.softplus());

    /** x = −20 … 20 in steps of 1/64 (exact binary fractions) plus 1/3-offset points, kinks excluded. */
    private static double[] grid(Activation f) {
        double[] xs = new double[2 * 2561];
        int n = 0;
        for (int i = -1280; i <= 1280; i++) {
            double x = i / 64.0;
            for (double p : new double[]{x, x + 1.0 / 192}) {
                if (!isKink(f, p) && p <= 20) {
                    xs[n++] = p;
                }
            }
        }
        return Arrays.copyOf(xs, n);
    }

    private static boolean isKink(Activation f, double x) {
        for (double k : f.kinks()) {
            if (k == x) {
                return true;
            }
        }
        return false;
    }

    /**
     * Both value forms evaluate the same formula, with java.lang.Math on one side and Commons Math's
     * FastMath (inside DerivativeStructure) on the other. Each formula has at most two elementary
     * functions (≤ 1 ulp each) and two rounded operations (≤ ½ ulp each), all with condition number ≤ 1
     * in the branch taken (sigmoid's e/(1+e), softplus's x + log1p(e^-x), elu's expm1), so each side is
     * within 3 ulp of the true value and the two within 6 ulp of it, i.e. 2·6·u·|f(x)| relative
     * (ulp ≤ 2u·|v|); below the normal range a few subnormal ulps absolutely.
     */
    @Test
    void valueAgreesWithDerivativeStructureValue() {
        for (Activation f : ALL) {
            for (double x : grid(f)) {
                double v = f.value(x);
                double ds = f.value(new DerivativeStructure(1, 1, 0, x)).getValue();
                double bound = 12 * Activations.U * Math.abs(v) + 6 * Double.MIN_VALUE;
                assertTrue(Math.abs(v - ds) <= bound, () -> f.name() + "(" + x + "): " + v + " vs " + ds);
            }
        }
    }

    /** The bound TrialCheck relies on: |declared − exact| ≤ declaredDerivativeError + exactDerivativeError. */
    @Test
    void declaredDerivativeAgreesWithExactWithinTheDeclaredBounds() {
        for (Activation f : ALL) {
            for (double x : grid(f)) {
                double declared = f.derivative(x);
                double exact = f.exactDerivative(x);
                double bound = f.declaredDerivativeError(x) + f.exactDerivativeError(x);
                assertTrue(Math.abs(declared - exact) <= bound, () -> f.name() + "'(" + x + "): declared " + declared
                        + " exact " + exact + " differ by " + Math.abs(declared - exact) + " > " + bound);
            }
        }
    }

    /**
     * The bound is meaningful: for tanh it is a few u (< 1e-14) everywhere, and a wrong derivative
     * breaks it. 1 − tanh(x)·tan(x) (tan for tanh, a classic typo) at x = 1 gives 1 − 0.7616·1.5574 =
     * −0.186 against the true 1 − tanh²(1) = 0.420.
     */
    @Test
    void theBoundExposesAWrongTanhDerivative() throws ExpressionException {
        Activation tanh = Activations.tanh();
        for (double x : grid(tanh)) {
            assertTrue(tanh.declaredDerivativeError(x) + tanh.exactDerivativeError(x) < 1e-14);
        }
        String source = "1 - tanh(x)*tan(x)";
        Activation wrong = NetworkFactory.activation(
                new ActivationSpec("tanh", 0.01, 1.0, null, Expression.parse(source), null, source));
        double declared = 1 - Math.tanh(1) * Math.tan(1);
        double exact = 1 - Math.tanh(1) * Math.tanh(1);
        // Independent values. Each side: two 1-ulp functions (2u each) and a product (u) make the product
        // 5u-accurate relative, the subtraction adds u of the result; the two sides' errors add.
        double u = Activations.U;
        assertEquals(declared, wrong.derivative(1), 2 * (5 * u * Math.abs(Math.tanh(1) * Math.tan(1)) + u * Math.abs(declared)));
        assertEquals(exact, wrong.exactDerivative(1), 2 * (5 * u * Math.tanh(1) * Math.tanh(1) + u * exact));
        assertEquals(-0.186, declared, 0.0005);
        assertEquals(0.420, exact, 0.0005);
        double bound = wrong.declaredDerivativeError(1) + wrong.exactDerivativeError(1);
        assertTrue(Math.abs(wrong.derivative(1) - wrong.exactDerivative(1)) > bound, "bound " + bound);
        assertTrue(wrong.derivativeOverridden());
        assertEquals("tanh", wrong.name());
    }

    @Test
    void kinksAndJumps() {
        for (Activation f : List.of(Activations.relu(), Activations.leakyRelu(0.1), Activations.elu(1.0),
                Activations.elu(0.5))) {
            assertArrayEquals(new double[]{0.0}, f.kinks(), f.name());
            // The jump is the difference of the one-sided exact derivatives at 0: 1 − slope for
            // leaky_relu, 1 for relu, 1 − α for elu (0 for α = 1). The one-sided derivatives are exactly
            // 1 and slope (or α·e^-tiny = α), so both sides compute the same |1 − c|: equality.
            double right = f.exactDerivative(Double.MIN_VALUE);
            double left = f.exactDerivative(-Double.MIN_VALUE);
            assertEquals(Math.abs(right - left), f.derivativeJump(0), 0, f.name());
        }
        assertEquals(1.0, Activations.relu().derivativeJump(0));
        assertEquals(1 - 0.1, Activations.leakyRelu(0.1).derivativeJump(0));
        assertEquals(0.0, Activations.elu(1.0).derivativeJump(0));
        assertEquals(0.5, Activations.elu(0.5).derivativeJump(0));
        for (Activation f : List.of(Activations.identity(), Activations.sigmoid(), Activations.tanh(),
                Activations.softplus())) {
            assertEquals(0, f.kinks().length, f.name());
        }
        // relu'(0) = 0 in both the declared and the exact form: the same one-sided convention.
        assertEquals(0.0, Activations.relu().derivative(0));
        assertEquals(0.0, Activations.relu().exactDerivative(0));
    }
}
