package dev.gradproof.expr;

import java.util.List;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * A node of a parsed expression tree. Evaluation is a plain recursive walk; the parser caps the depth,
 * so recursion cannot overflow the stack.
 */
sealed interface Node {

    /** Unit roundoff of double arithmetic. */
    double U = Math.ulp(1.0) / 2;

    double eval(double x);

    DerivativeStructure eval(DerivativeStructure x);

    /**
     * First-order bound on |eval(x) − exact value of this subtree|, assuming x is exact. Infinite (or NaN)
     * as soon as any value in the subtree is not finite. Children's values are recomputed rather than
     * cached so that eval stays allocation-free; the depth cap keeps that cost small.
     */
    double error(double x);

    List<Node> children();

    default int depth() {
        int deepest = 0;
        for (Node child : children()) {
            deepest = Math.max(deepest, child.depth());
        }
        return deepest + 1;
    }

    default boolean isConstant() {
        return children().stream().allMatch(Node::isConstant);
    }

    default boolean usesNonSmooth() {
        return children().stream().anyMatch(Node::usesNonSmooth);
    }

    /** Error c·u·|v| of one rounding step; the MIN_VALUE term covers results in the subnormal range. */
    static double rounding(double v, double c) {
        return Double.isFinite(v) ? c * (U * Math.abs(v) + Double.MIN_VALUE) : Double.POSITIVE_INFINITY;
    }

    /** slope·err, but an exact input contributes nothing even where the slope is infinite (sqrt at 0). */
    static double propagated(double slope, double err) {
        return err == 0 ? 0 : Math.abs(slope) * err;
    }

    /** A number literal or a named constant; text is how it was written (the exact decimal for literals). */
    record Const(double value, String text, boolean exact) implements Node {
        public double eval(double x) {
            return value;
        }

        public DerivativeStructure eval(DerivativeStructure x) {
            return x.createConstant(value);
        }

        public double error(double x) {
            return exact ? 0 : rounding(value, 1);
        }

        public List<Node> children() {
            return List.of();
        }
    }

    record Var() implements Node {
        public double eval(double x) {
            return x;
        }

        public DerivativeStructure eval(DerivativeStructure x) {
            return x;
        }

        public double error(double x) {
            return 0;
        }

        public List<Node> children() {
            return List.of();
        }

        @Override
        public boolean isConstant() {
            return false;
        }
    }

    record Neg(Node operand) implements Node {
        public double eval(double x) {
            return -operand.eval(x);
        }

        public DerivativeStructure eval(DerivativeStructure x) {
            return operand.eval(x).negate();
        }

        public double error(double x) {
            return operand.error(x);
        }

        public List<Node> children() {
            return List.of(operand);
        }
    }

    enum Op { ADD, SUB, MUL, DIV, MAX, MIN }

    record Binary(Op op, Node left, Node right) implements Node {
        public double eval(double x) {
            return apply(left.eval(x), right.eval(x));
        }

        private double apply(double a, double b) {
            return switch (op) {
                case ADD -> a + b;
                case SUB -> a - b;
                case MUL -> a * b;
                case DIV -> a / b;
                case MAX -> Math.max(a, b);
                case MIN -> Math.min(a, b);
            };
        }

        public DerivativeStructure eval(DerivativeStructure x) {
            DerivativeStructure a = left.eval(x);
            DerivativeStructure b = right.eval(x);
            return switch (op) {
                case ADD -> a.add(b);
                case SUB -> a.subtract(b);
                case MUL -> a.multiply(b);
                case DIV -> a.divide(b);
                case MAX -> pick(a, b, a.getValue() >= b.getValue());
                case MIN -> pick(a, b, a.getValue() <= b.getValue());
            };
        }

        /** Mirrors Math.max/min on NaN; at a tie the left argument wins, giving a one-sided derivative. */
        private static DerivativeStructure pick(DerivativeStructure a, DerivativeStructure b, boolean left) {
            if (Double.isNaN(a.getValue()) || Double.isNaN(b.getValue())) {
                return Double.isNaN(a.getValue()) ? a : b;
            }
            return left ? a : b;
        }

        public double error(double x) {
            double a = left.eval(x);
            double b = right.eval(x);
            double ea = left.error(x);
            double eb = right.error(x);
            double v = apply(a, b);
            return switch (op) {
                case ADD, SUB -> ea + eb + rounding(v, 1);
                case MUL -> Math.abs(a) * eb + Math.abs(b) * ea + rounding(v, 1);
                // Once the divisor's error reaches its magnitude its sign is unknown: no finite bound.
                case DIV -> eb >= Math.abs(b) ? Double.POSITIVE_INFINITY
                        : (ea + Math.abs(v) * eb) / Math.abs(b) + rounding(v, 1);
                case MAX, MIN -> Math.max(ea, eb);
            };
        }

        public List<Node> children() {
            return List.of(left, right);
        }

        @Override
        public boolean usesNonSmooth() {
            return op == Op.MAX || op == Op.MIN || Node.super.usesNonSmooth();
        }
    }

    record Call(Fn fn, Node arg) implements Node {
        public double eval(double x) {
            return fn.apply(arg.eval(x));
        }

        public DerivativeStructure eval(DerivativeStructure x) {
            return fn.apply(arg.eval(x));
        }

        public double error(double x) {
            double a = arg.eval(x);
            return propagated(fn.slope(a), arg.error(x)) + rounding(fn.apply(a), fn.roundingUlps);
        }

        public List<Node> children() {
            return List.of(arg);
        }

        @Override
        public boolean usesNonSmooth() {
            return fn == Fn.ABS || Node.super.usesNonSmooth();
        }
    }

    /**
     * How a power is differentiated. An integer exponent must use pow(int), since the pow(DS) route goes
     * through log(base) and gives NaN for x^2 at negative x.
     */
    enum PowKind { INTEGER, REAL, VARIABLE }

    /** base^exponent; for constant exponents, constant holds the exponent's value (NaN otherwise). */
    record Pow(Node base, Node exponent, PowKind kind, double constant) implements Node {
        static Pow of(Node base, Node exponent) {
            if (!exponent.isConstant()) {
                return new Pow(base, exponent, PowKind.VARIABLE, Double.NaN);
            }
            double p = exponent.eval(0.0);
            boolean integer = p == Math.rint(p) && Math.abs(p) <= Integer.MAX_VALUE;
            return new Pow(base, exponent, integer ? PowKind.INTEGER : PowKind.REAL, p);
        }

        public double eval(double x) {
            return Math.pow(base.eval(x), kind == PowKind.VARIABLE ? exponent.eval(x) : constant);
        }

        public DerivativeStructure eval(DerivativeStructure x) {
            DerivativeStructure b = base.eval(x);
            return switch (kind) {
                case INTEGER -> b.pow((int) constant);
                case REAL -> b.pow(constant);
                case VARIABLE -> b.pow(exponent.eval(x));
            };
        }

        public double error(double x) {
            double a = base.eval(x);
            double p = exponent.eval(x);
            double v = Math.pow(a, p);
            // d/da a^p = p·a^(p-1), written with |a| so it stays finite at a == 0 when p >= 1.
            double viaBase = propagated(Math.abs(p) * Math.pow(Math.abs(a), p - 1), base.error(x));
            // An exactly written integer exponent has no error, so ln|a| (NaN/−∞ at a <= 0) is never touched.
            double viaExponent = propagated(v * Math.log(Math.abs(a)), exponent.error(x));
            return viaBase + viaExponent + rounding(v, 2);
        }

        public List<Node> children() {
            return List.of(base, exponent);
        }
    }
}
