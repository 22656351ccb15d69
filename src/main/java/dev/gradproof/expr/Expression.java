package dev.gradproof.expr;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Objects;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/**
 * A parsed expression in one variable {@code x}, evaluable on {@code double} and on
 * {@link DerivativeStructure}. Parsed once; evaluation allocates nothing on the double path.
 *
 * <p>Syntax: numbers ({@code 2}, {@code .5}, {@code 1e-3}), {@code x}, {@code pi}, {@code e},
 * {@code + - * /}, {@code ^} (right-associative, tighter than unary minus), parentheses, and the functions
 * {@code abs exp log sqrt sin cos tan tanh sinh cosh atan sigmoid softplus} (one argument) and
 * {@code max min} (two). At most {@value ExpressionParser#MAX_LENGTH} characters and
 * {@value ExpressionParser#MAX_DEPTH} levels of nesting.
 */
@API(status = INTERNAL, since = "0.2")
public final class Expression {

    private final String source;
    private final Node root;
    private final int depth;
    private final boolean constant;
    private final boolean nonSmooth;

    private Expression(String source, Node root) {
        this.source = source;
        this.root = root;
        this.depth = root.depth();
        this.constant = root.isConstant();
        this.nonSmooth = root.usesNonSmooth();
    }

    /** Parses {@code source}; errors carry the 1-based column. */
    public static Expression parse(String source) throws ExpressionException {
        Objects.requireNonNull(source, "source");
        return new Expression(source, ExpressionParser.parse(source));
    }

    public String source() {
        return source;
    }

    public double value(double x) {
        return root.eval(x);
    }

    /**
     * Evaluates on a DerivativeStructure of any order and number of free parameters. max/min take the
     * derivative of the argument with the larger/smaller value (the left one at a tie), abs that of
     * commons-math (one-sided at 0).
     */
    public DerivativeStructure value(DerivativeStructure x) {
        return root.eval(x);
    }

    /**
     * An upper bound on |value(x) computed in double − value(x) exact|, from a running (Wilkinson-style)
     * error analysis of the tree, assuming x itself is exact. Infinite if x or any intermediate value is
     * not finite, or if a divisor's error could reach its magnitude.
     */
    public double roundingErrorBound(double x) {
        if (!Double.isFinite(x)) {
            return Double.POSITIVE_INFINITY;
        }
        // The analysis drops second-order terms (products of errors); a factor of 2 absorbs them.
        double bound = 2 * root.error(x);
        return Double.isFinite(bound) ? bound : Double.POSITIVE_INFINITY;
    }

    /** Nesting depth of the tree (a leaf has depth 1). */
    public int depth() {
        return depth;
    }

    /** True if x does not occur. */
    public boolean isConstant() {
        return constant;
    }

    /** True if abs, max or min occur, where the derivative is one-sided. */
    public boolean usesNonSmooth() {
        return nonSmooth;
    }

    /** The package's own tests walk the tree, e.g. to evaluate it in higher precision. */
    Node root() {
        return root;
    }

    @Override
    public String toString() {
        return source;
    }
}
