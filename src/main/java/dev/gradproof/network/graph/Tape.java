package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * What a layer's exact form records: every scalar of the forward pass as a node of a scalar tape,
 * computed in the same order as the reference forward pass. The oracle (dev.gradproof.oracle.graph)
 * implements it and differentiates the recording by reverse accumulation.
 *
 * <p>Nodes are ints. Parameter θ_p is node p; the network's inputs follow. The bulk of a network is
 * sums of products, recorded without an object per term:
 *
 * <pre>  tape.begin(c0); tape.term(c, x); tape.term(c, x, y); ... int s = tape.end();</pre>
 *
 * computes s = ((c0 + c·x) + (c·x)·y) + ... left to right, exactly as a loop {@code s += c * x * y}
 * does.
 */
@API(status = INTERNAL, since = "0.2")
public interface Tape {

    /** Starts a sum at the constant {@code c0}. */
    void begin(double c0);

    /** Adds c·x. */
    void term(double c, int x);

    /** Adds (c·x)·y. */
    void term(double c, int x, int y);

    /** Ends the sum and returns its node. */
    int end();

    /** f(x) for a scalar function whose exact derivative comes from a {@code DerivativeStructure}. */
    int unary(Elementary f, int x);

    /**
     * The maximum of the candidates, taking the first of equal maxima (PyTorch's max-pool convention);
     * the tape notes candidates tied with it to rounding, where the derivative is a convention.
     */
    int max(int[] candidates, int count);

    double value(int node);

    /** A node holding a constant. */
    default int constant(double c) {
        begin(c);
        return end();
    }

    /** c·x, one rounding, as {@code c * x}. */
    default int scale(double c, int x) {
        begin(0);
        term(c, x);
        return end();
    }
}
