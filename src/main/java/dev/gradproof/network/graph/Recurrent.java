package dev.gradproof.network.graph;

import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * What the three recurrent cells share: shapes ([N, T, F] in, hidden H, G gates), PyTorch's parameter
 * layout (weight_ih [G·H, F], weight_hh [G·H, H], bias_ih, bias_hh), the zero initial state, and the
 * gate sums written once for the reference, the backward pass and the tape:
 *
 * <pre>  a_j = b_ih[j] + Σ_f W_ih[j,f]·x_t[f] + b_hh[j] + Σ_k W_hh[j,k]·h_{t−1}[k]</pre>
 *
 * summed in that order (at t = 0 the W_hh terms are absent: h_{−1} = 0 adds nothing).
 */
abstract class Recurrent extends Layer {
    final int steps;
    final int f;
    final int hidden;
    final int gates;
    final boolean bias;
    final boolean sequence;
    /** False only in {@link #truncatedThroughTime}'s copy: the state's gradient stops at each step. */
    boolean carry = true;

    Recurrent(RecurrentOptions o, List<Shape> inputs) {
        super(o, inputs);
        steps = in[0].dim(0);
        f = in[0].dim(1);
        hidden = o.hidden();
        gates = o.cell().gates() * hidden;
        bias = o.bias();
        sequence = o.returnSequence();
    }

    /** A new cell of the same type, options and shapes. */
    abstract Recurrent copy();

    @Override
    public Layer truncatedThroughTime() {
        Recurrent t = copy();
        t.carry = false;
        return t;
    }

    /** What the step before receives of a state's gradient: all of it, or nothing when truncated. */
    double[] carried(double[] gradient) {
        return carry ? gradient : new double[gradient.length];
    }

    int wih(int base, int j, int k) {
        return base + j * f + k;
    }

    int whh(int base, int j, int k) {
        return base + gates * f + j * hidden + k;
    }

    int bih(int base, int j) {
        return base + gates * f + gates * hidden + j;
    }

    int bhh(int base, int j) {
        return bih(base, j) + gates;
    }

    /** Input part b_ih[j] + Σ W_ih[j,:]·x_t, continuing the sum s. */
    double inputSum(double s, double[] theta, int base, double[] x, int xo, int j) {
        if (bias) {
            s += theta[bih(base, j)];
        }
        for (int k = 0; k < f; k++) {
            s += theta[wih(base, j, k)] * x[xo + k];
        }
        return s;
    }

    /**
     * Example n's input parts b_ih[j] + Σ W_ih[j,:]·x_t for every step and gate row into {@code input} from
     * index {@code into} ([T, G]): copied from the unmoved pass's {@code cached} ([N, T, G]) except row
     * {@code moved} (−1: none, when a recurrent weight moved), or all summed when nothing is cached. They do
     * not depend on h, so a finite difference of a recurrent weight reuses them all.
     */
    void inputParts(double[] theta, int base, double[] x, int n, double[] input, int into, double[] cached,
                    int moved) {
        for (int t = 0; t < steps; t++) {
            int xo = (n * steps + t) * f;
            int io = into + t * gates;
            if (cached != null) {
                System.arraycopy(cached, (n * steps + t) * gates, input, io, gates);
                if (moved >= 0) {
                    input[io + moved] = inputSum(0, theta, base, x, xo, moved);
                }
            } else {
                for (int j = 0; j < gates; j++) {
                    input[io + j] = inputSum(0, theta, base, x, xo, j);
                }
            }
        }
    }

    /** The gate row a moved parameter's input part belongs to; −1 for a recurrent weight or bias. */
    int inputRow(int local) {
        if (local < gates * f) {
            return local / f;
        }
        int bi = local - gates * f - gates * hidden;
        return bi >= 0 && bi < gates ? bi : -1;
    }

    /**
     * W_hh by columns, [H][G]: column k holds every row's weight on h[k], so that the gate sums below run
     * over rows in unit stride with no offset, a loop C2 turns into vector code (with an offset into one
     * flat array it does not). Made from θ as it is in the pass, a moved W_hh entry included.
     */
    double[][] columns(double[] theta, int base) {
        return ColumnSums.columns(theta, whh(base, 0, 0), gates, hidden);
    }

    /**
     * The unmoved pass's columns after parameter {@code local} moved: shared as they are unless it is a
     * W_hh entry, whose column alone is copied with the entry taken from θ.
     */
    double[][] columnsMoved(double[][] unmoved, double[] theta, int base, int local) {
        int r = local - gates * f;
        if (r < 0 || r >= gates * hidden) {
            return unmoved;
        }
        int j = r / hidden;
        int k = r % hidden;
        double[][] c = unmoved.clone();
        c[k] = unmoved[k].clone();
        c[k][j] = theta[whh(base, j, k)];
        return c;
    }

    /**
     * Gate rows [from, to) at one step: a[j] = the input part (0 when {@code input} is null), then b_hh[j],
     * then W_hh[j,k]·h[k] for k = 0, 1, ... (h null at t = 0). Every row keeps that order, so the numbers
     * are those of a row-by-row loop; the loops run across rows, four columns at a time, only so that
     * they vectorise.
     */
    void gateSums(double[] theta, int base, double[][] columns, double[] input, int io, double[] h, int ho,
                  double[] a, int from, int to) {
        if (input == null) {
            for (int j = from; j < to; j++) {
                a[j] = 0.0;
            }
        } else {
            System.arraycopy(input, io + from, a, from, to - from);
        }
        if (bias) {
            int bj = bhh(base, 0);
            for (int j = from; j < to; j++) {
                a[j] += theta[bj + j];
            }
        }
        if (h == null) {
            return;
        }
        ColumnSums.add(a, columns, h, ho, hidden, from, to);
    }

    void inputTerms(Tape tape, int base, int[] x, int xo, int j) {
        if (bias) {
            tape.term(1, bih(base, j));
        }
        for (int k = 0; k < f; k++) {
            tape.term(1, wih(base, j, k), x[xo + k]);
        }
    }

    void hiddenTerms(Tape tape, int base, int[] h, int j) {
        if (bias) {
            tape.term(1, bhh(base, j));
        }
        if (h != null) {
            for (int k = 0; k < hidden; k++) {
                tape.term(1, whh(base, j, k), h[k]);
            }
        }
    }

    /** Gradients of gate row j's input part with derivative d: W_ih, b_ih and (if wanted) x_t. */
    void inputBackward(double[] theta, int base, double[] x, int xo, double[] dx, double[] grad, int j, double d) {
        if (d == 0) {
            return;
        }
        if (bias) {
            grad[bih(base, j)] += d;
        }
        for (int k = 0; k < f; k++) {
            grad[wih(base, j, k)] += d * x[xo + k];
            if (dx != null) {
                dx[xo + k] += theta[wih(base, j, k)] * d;
            }
        }
    }

    /** Gradients of gate row j's recurrent part with derivative d: W_hh, b_hh and dh_{t−1} (h null at t = 0). */
    void hiddenBackward(double[] theta, int base, double[] h, int ho, double[] dh, double[] grad, int j, double d) {
        if (d == 0) {
            return;
        }
        if (bias) {
            grad[bhh(base, j)] += d;
        }
        if (h != null) {
            for (int k = 0; k < hidden; k++) {
                grad[whh(base, j, k)] += d * h[ho + k];
                dh[k] += theta[whh(base, j, k)] * d;
            }
        }
    }

    /** Where step t's hidden state goes in the output, or −1 when only the last is returned and t is not it. */
    int outputAt(int n, int t) {
        if (sequence) {
            return (n * steps + t) * hidden;
        }
        return t == steps - 1 ? n * hidden : -1;
    }

    /** A random cell on a random sequence: lengths from 1, hidden sizes, with or without bias, sequence or last. */
    static Sample random(SplittableRandom rnd, RecurrentOptions.Cell cell) {
        int t = 1 + rnd.nextInt(4);
        int features = 1 + rnd.nextInt(3);
        int h = 1 + rnd.nextInt(3);
        boolean seq = rnd.nextBoolean();
        boolean withBias = rnd.nextInt(4) > 0;
        RecurrentOptions o = new RecurrentOptions(cell, h, seq, withBias);
        return Sample.of(cell.name().toLowerCase(Locale.ROOT) + " hidden " + h + " on [" + t + ", " + features
                + "]" + (seq ? "" : ", last") + (withBias ? "" : ", no bias"), Shape.sequence(t, features),
                1 + rnd.nextInt(3), b -> b.layer(null, o));
    }
}
