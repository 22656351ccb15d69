package dev.gradproof.expr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.apache.commons.math3.dfp.Dfp;
import org.apache.commons.math3.dfp.DfpField;
import org.apache.commons.math3.dfp.DfpMath;

/**
 * roundingErrorBound(x) bounds the true error of value(x), with "true" computed by evaluating the same tree
 * in 40-digit decimal arithmetic (Dfp), where rounding is ~1e-40 and so invisible at double's 1e-16.
 * Literals enter the reference as their decimal text, so literal rounding is part of the measured error.
 */
class RoundingErrorBoundProperties {

    private static final DfpField FIELD = new DfpField(40);

    @Provide
    Arbitrary<String> expressions() {
        return Arbitraries.of(
                "1 - tanh(x)*tanh(x)",
                "1 - tanh(x)^2",
                "1/(1+abs(x))^2",
                "x/(1+abs(x))",
                "sigmoid(x)*(1-sigmoid(x))",
                "softplus(x) - log(1 + exp(x))",
                "exp(-x^2/2)/sqrt(2*pi)",
                "sin(x)^2 + cos(x)^2 - 1",
                "cosh(x) - sinh(x)",
                "max(x, 0.1*x) + min(x, 0)",
                "0.1*x^3 - 0.3*x + 0.7",
                "tan(x)",
                "atan(x)/x",
                "2^x * e^(-x)",
                "(1 + x^2)^0.3 + (3.5 + x)^(1/3)",
                "(1 + x*x)^x");
    }

    @Property(tries = 1000)
    void boundCoversTheActualError(@ForAll("expressions") String source,
            @ForAll @DoubleRange(min = -3, max = 3) double x) throws ExpressionException {
        Expression f = Expression.parse(source);
        double computed = f.value(x);
        Dfp exact = exact(f.root(), FIELD.newDfp(x));
        double actual = exact.subtract(FIELD.newDfp(computed)).abs().toDouble();
        double bound = f.roundingErrorBound(x);
        // Infinity is the documented answer where a value is not finite (atan(x)/x at 0).
        assertTrue(bound == Double.POSITIVE_INFINITY || actual <= bound, () -> source + " at x=" + x + ": error " + actual + " > bound " + bound);
    }

    @Example
    void boundIsNotAbsurdlyLoose() throws ExpressionException {
        // The true value is ~0.79; a few ulps of that is ~5e-16.
        assertTrue(Expression.parse("1 - tanh(x)^2").roundingErrorBound(0.5) < 1e-14);
        assertTrue(Expression.parse("sigmoid(x)*(1-sigmoid(x))").roundingErrorBound(1.0) < 1e-15);
        assertTrue(Expression.parse("x/(1+abs(x))").roundingErrorBound(2.0) < 1e-15);
    }

    @Example
    void exactArithmeticHasZeroBound() throws ExpressionException {
        // x is exact, and negation, abs, max and min do not round.
        assertEquals(0.0, Expression.parse("max(-x, min(abs(x), 2))").roundingErrorBound(0.375));
        assertEquals(0.0, Expression.parse("-x").roundingErrorBound(1e300));
    }

    @Example
    void nonFiniteValuesGiveInfinity() throws ExpressionException {
        assertEquals(Double.POSITIVE_INFINITY, Expression.parse("1/x").roundingErrorBound(0));
        assertEquals(Double.POSITIVE_INFINITY, Expression.parse("log(x)").roundingErrorBound(-1));
        assertEquals(Double.POSITIVE_INFINITY, Expression.parse("1/exp(x)").roundingErrorBound(1000));
        assertEquals(Double.POSITIVE_INFINITY, Expression.parse("x").roundingErrorBound(Double.NaN));
    }

    @Example
    void tanNearItsPoleHasAHugeBound() throws ExpressionException {
        double nearPole = Math.PI / 2 - 1e-9;
        assertTrue(Expression.parse("tan(x)").roundingErrorBound(nearPole) > 1e-8);
        // Here the argument x/1.0 is exact; once it is rounded, the pole amplifies it by 1/cos² ~ 1e18.
        assertTrue(Expression.parse("tan(x*0.1*10)").roundingErrorBound(nearPole) > 1e1);
    }

    // ---- 40-digit reference evaluation of the same tree ----

    private static Dfp exact(Node node, Dfp x) {
        if (node instanceof Node.Const c) {
            return switch (c.text()) {
                case "pi" -> FIELD.getPi();
                case "e" -> FIELD.getE();
                default -> FIELD.newDfp(c.text());
            };
        }
        if (node instanceof Node.Var) {
            return x;
        }
        if (node instanceof Node.Neg n) {
            return exact(n.operand(), x).negate();
        }
        if (node instanceof Node.Binary b) {
            Dfp l = exact(b.left(), x);
            Dfp r = exact(b.right(), x);
            return switch (b.op()) {
                case ADD -> l.add(r);
                case SUB -> l.subtract(r);
                case MUL -> l.multiply(r);
                case DIV -> l.divide(r);
                case MAX -> l.lessThan(r) ? r : l;
                case MIN -> r.lessThan(l) ? r : l;
            };
        }
        if (node instanceof Node.Call c) {
            return function(c.fn(), exact(c.arg(), x));
        }
        Node.Pow p = (Node.Pow) node;
        Dfp base = exact(p.base(), x);
        if (p.kind() == Node.PowKind.INTEGER) {
            return DfpMath.pow(base, (int) p.constant());
        }
        return DfpMath.pow(base, exact(p.exponent(), x));
    }

    private static Dfp function(Fn fn, Dfp a) {
        Dfp one = FIELD.getOne();
        return switch (fn) {
            case ABS -> a.abs();
            case EXP -> DfpMath.exp(a);
            case LOG -> DfpMath.log(a);
            case SQRT -> a.sqrt();
            case SIN -> DfpMath.sin(a);
            case COS -> DfpMath.cos(a);
            case TAN -> DfpMath.tan(a);
            case ATAN -> DfpMath.atan(a);
            case TANH -> {
                Dfp e2 = DfpMath.exp(a.multiply(2));
                yield e2.subtract(one).divide(e2.add(one));
            }
            case SINH -> DfpMath.exp(a).subtract(DfpMath.exp(a.negate())).divide(2);
            case COSH -> DfpMath.exp(a).add(DfpMath.exp(a.negate())).divide(2);
            case SIGMOID -> one.divide(one.add(DfpMath.exp(a.negate())));
            case SOFTPLUS -> DfpMath.log(one.add(DfpMath.exp(a)));
        };
    }
}
