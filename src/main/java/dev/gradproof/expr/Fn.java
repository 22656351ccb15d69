package dev.gradproof.expr;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/** The one-argument functions an expression may call. */
enum Fn {
    // The second argument is c_f: the rounding error of the double evaluation is at most c_f·u·|result|.
    // One ulp of v is at most 2u|v|, so a function documented within 1 ulp has c_f = 2.
    ABS("abs", 0), // exact
    EXP("exp", 2),
    LOG("log", 2),
    SQRT("sqrt", 2), // correctly rounded, 2 kept for uniformity
    SIN("sin", 2),
    COS("cos", 2),
    TAN("tan", 2),
    ATAN("atan", 2),
    // java.lang.Math only promises 2.5 ulps for the hyperbolic functions.
    TANH("tanh", 5),
    SINH("sinh", 5),
    COSH("cosh", 5),
    // Composite formulas: exp (1 ulp) followed by rounded + and /; worst branch 4u|v| to first order.
    SIGMOID("sigmoid", 4),
    // exp, log1p (1 ulp each) and a rounded +; worst branch 5u|v| to first order.
    SOFTPLUS("softplus", 5);

    final String symbol;
    final double roundingUlps;

    Fn(String symbol, double roundingUlps) {
        this.symbol = symbol;
        this.roundingUlps = roundingUlps;
    }

    double apply(double a) {
        return switch (this) {
            case ABS -> Math.abs(a);
            case EXP -> Math.exp(a);
            case LOG -> Math.log(a);
            case SQRT -> Math.sqrt(a);
            case SIN -> Math.sin(a);
            case COS -> Math.cos(a);
            case TAN -> Math.tan(a);
            case ATAN -> Math.atan(a);
            case TANH -> Math.tanh(a);
            case SINH -> Math.sinh(a);
            case COSH -> Math.cosh(a);
            case SIGMOID -> sigmoid(a);
            case SOFTPLUS -> softplus(a);
        };
    }

    DerivativeStructure apply(DerivativeStructure a) {
        return switch (this) {
            case ABS -> a.abs();
            case EXP -> a.exp();
            case LOG -> a.log();
            case SQRT -> a.sqrt();
            case SIN -> a.sin();
            case COS -> a.cos();
            case TAN -> a.tan();
            case ATAN -> a.atan();
            case TANH -> a.tanh();
            case SINH -> a.sinh();
            case COSH -> a.cosh();
            case SIGMOID -> sigmoid(a);
            case SOFTPLUS -> softplus(a);
        };
    }

    /**
     * |f'(a)|, how strongly an error in the argument is amplified. For abs this is its Lipschitz constant 1,
     * not its derivative, so that an argument rounded to exactly 0 still passes its error on.
     */
    double slope(double a) {
        return switch (this) {
            case ABS -> 1;
            case EXP -> Math.exp(a);
            case LOG -> 1 / a;
            case SQRT -> 0.5 / Math.sqrt(a);
            case SIN -> Math.cos(a);
            case COS -> Math.sin(a);
            case TAN -> 1 + Math.tan(a) * Math.tan(a);
            case ATAN -> 1 / (1 + a * a);
            case TANH -> 1 / (Math.cosh(a) * Math.cosh(a)); // 1 - tanh² would round to 0 long before it is
            case SINH -> Math.cosh(a);
            case COSH -> Math.sinh(a);
            case SIGMOID -> sigmoid(a) * sigmoid(-a);
            case SOFTPLUS -> sigmoid(a);
        };
    }

    /** Never forms exp of a large positive number, so it neither overflows nor returns NaN for large |a|. */
    static double sigmoid(double a) {
        if (a >= 0) {
            return 1 / (1 + Math.exp(-a));
        }
        double t = Math.exp(a);
        return t / (1 + t);
    }

    /** log(1 + exp(a)) without overflow for large a and without losing the tail for very negative a. */
    static double softplus(double a) {
        return a > 0 ? a + Math.log1p(Math.exp(-a)) : Math.log1p(Math.exp(a));
    }

    private static DerivativeStructure sigmoid(DerivativeStructure a) {
        if (a.getValue() >= 0) {
            return a.negate().exp().add(1).reciprocal();
        }
        DerivativeStructure t = a.exp();
        return t.divide(t.add(1));
    }

    private static DerivativeStructure softplus(DerivativeStructure a) {
        return a.getValue() > 0 ? a.add(a.negate().exp().log1p()) : a.exp().log1p();
    }
}
