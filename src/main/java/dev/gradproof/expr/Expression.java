package dev.gradproof.expr;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

/**
 * A parsed expression in one variable {@code x}, evaluable on {@code double} and on
 * {@link DerivativeStructure}. Parsed once; evaluation allocates nothing on the double path.
 * STUB: the real implementation is being written.
 */
public final class Expression {

    private final String source;

    private Expression(String source) {
        this.source = source;
    }

    /** Parses {@code source}; errors carry the 1-based column. */
    public static Expression parse(String source) throws ExpressionException {
        throw new ExpressionException(1, "not implemented yet");
    }

    public String source() {
        return source;
    }

    public double value(double x) {
        throw new UnsupportedOperationException();
    }

    public DerivativeStructure value(DerivativeStructure x) {
        throw new UnsupportedOperationException();
    }

    /**
     * An upper bound on |value(x) computed in double − value(x) exact|, from a running (Wilkinson-style)
     * error analysis of the tree, assuming x itself is exact.
     */
    public double roundingErrorBound(double x) {
        throw new UnsupportedOperationException();
    }

    /** Nesting depth of the tree (a leaf has depth 1). */
    public int depth() {
        throw new UnsupportedOperationException();
    }
}
