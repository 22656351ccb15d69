package dev.gradproof.expr;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A malformed expression; {@link #getMessage()} is {@code column N: problem}. */
@API(status = INTERNAL, since = "0.2")
public final class ExpressionException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int column;
    private final String problem;

    public ExpressionException(int column, String problem) {
        super("column " + column + ": " + problem);
        this.column = column;
        this.problem = problem;
    }

    /** 1-based column in the expression text. */
    public int column() {
        return column;
    }

    public String problem() {
        return problem;
    }
}
