package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.Elementary;
import dev.gradproof.network.graph.Tape;
import dev.gradproof.oracle.Kinks;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * A scalar tape in primitive arrays: one entry per node (value, forward rounding bound, kind, fan-out)
 * and, for sums of products, their terms in three parallel arrays (left node, right node or −1,
 * coefficient), so LeNet-5 at batch 16 (about 5 M multiply-adds) costs 16 bytes a term and no object.
 *
 * <p>While recording it keeps a running bound on each node's forward rounding error (Higham's γ_n for a
 * sum of n products, first-order propagation through unary functions), which places kinks and ties:
 * a unary node is at a kink, and a max has a tie, when the distance is within that rounding (and never
 * less than {@link Kinks#radius}). {@link #reverse} then differentiates the recording.
 */
@API(status = INTERNAL, since = "0.2")
public final class ScalarTape implements Tape {
    static final byte LEAF = 0;
    static final byte SUM = 1;
    static final byte UNARY = 2;
    static final byte MAX = 3;

    private static final double U = Activations.U;

    // Per node.
    double[] value;
    double[] err;
    byte[] kind;
    int[] arg;        // UNARY: its input; MAX: the chosen candidate
    int[] termStart;  // SUM: first term; its terms end where the next node's start
    int[] fanout;
    double[] deriv;   // UNARY: exact local derivative
    double[] derivErr; // UNARY: bound on a correct local derivative's distance from it
    int nodes;

    // Per term of a SUM.
    int[] left;
    int[] right;
    double[] coef;
    int terms;

    // Unary nodes at a kink: node, jump, larger one-sided slope (in node order).
    int[] kinkNode = new int[16];
    double[] kinkJump = new double[16];
    double[] kinkSlope = new double[16];
    int kinkCount;

    // Max nodes with ties: node, and its tied candidates in tiePool[tieStart[i] .. tieStart[i + 1]).
    int[] tieNode = new int[16];
    int[] tieStart = new int[17];
    int[] tiePool = new int[16];
    int tieCount;

    // The sum being recorded.
    private double s;
    private double sAbs;
    private double sErr;
    private int sStart;
    private boolean open;

    public ScalarTape(int nodeCapacity, int termCapacity) {
        int n = Math.max(16, nodeCapacity);
        value = new double[n];
        err = new double[n];
        kind = new byte[n];
        arg = new int[n];
        termStart = new int[n + 1];
        fanout = new int[n];
        deriv = new double[n];
        derivErr = new double[n];
        int t = Math.max(16, termCapacity);
        left = new int[t];
        right = new int[t];
        coef = new double[t];
    }

    public int size() {
        return nodes;
    }

    public int termCount() {
        return terms;
    }

    /** A leaf (a parameter or an input) with its value. */
    public int leaf(double v) {
        int id = newNode(LEAF);
        value[id] = v;
        return id;
    }

    private int newNode(byte k) {
        if (nodes == value.length) {
            int n = nodes + (nodes >> 1) + 16;
            value = Arrays.copyOf(value, n);
            err = Arrays.copyOf(err, n);
            kind = Arrays.copyOf(kind, n);
            arg = Arrays.copyOf(arg, n);
            termStart = Arrays.copyOf(termStart, n + 1);
            fanout = Arrays.copyOf(fanout, n);
            deriv = Arrays.copyOf(deriv, n);
            derivErr = Arrays.copyOf(derivErr, n);
        }
        int id = nodes++;
        kind[id] = k;
        termStart[id] = terms;
        termStart[id + 1] = terms;
        return id;
    }

    @Override
    public double value(int node) {
        return value[node];
    }

    /** Bound on how far node's value may be from the exact value of its formula (rounding of the forward pass). */
    public double forwardError(int node) {
        return err[node];
    }

    @Override
    public void begin(double c0) {
        if (open) {
            throw new IllegalStateException("a sum is already being recorded");
        }
        open = true;
        s = c0;
        sAbs = Math.abs(c0);
        sErr = 0;
        sStart = terms;
    }

    private void room() {
        if (terms == left.length) {
            int n = terms + (terms >> 1) + 16;
            left = Arrays.copyOf(left, n);
            right = Arrays.copyOf(right, n);
            coef = Arrays.copyOf(coef, n);
        }
    }

    @Override
    public void term(double c, int x) {
        room();
        left[terms] = x;
        right[terms] = -1;
        coef[terms] = c;
        terms++;
        double t = c * value[x];
        s += t;
        sAbs += Math.abs(t);
        sErr += Math.abs(c) * err[x];
        fanout[x]++;
    }

    @Override
    public void term(double c, int x, int y) {
        room();
        left[terms] = x;
        right[terms] = y;
        coef[terms] = c;
        terms++;
        double vx = value[x];
        double vy = value[y];
        double t = c * vx * vy;
        s += t;
        sAbs += Math.abs(t);
        sErr += Math.abs(c) * (Math.abs(vy) * err[x] + Math.abs(vx) * err[y] + err[x] * err[y]);
        fanout[x]++;
        fanout[y]++;
    }

    @Override
    public int end() {
        if (!open) {
            throw new IllegalStateException("end() without begin()");
        }
        open = false;
        int n = terms - sStart;
        int id = newNode(SUM);
        termStart[id] = sStart;
        termStart[id + 1] = terms;
        value[id] = s;
        // Each term passes through at most n + 2 roundings (two products, then the running sum).
        err[id] = sErr + Activations.gamma(n + 2, U) * sAbs + (n + 2) * Double.MIN_VALUE;
        return id;
    }

    @Override
    public int unary(Elementary f, int x) {
        if (open) {
            throw new IllegalStateException("a node cannot be made while a sum is being recorded");
        }
        double vx = value[x];
        int id = newNode(UNARY);
        double v = f.value(vx);
        double d = f.exactDerivative(vx);
        value[id] = v;
        arg[id] = x;
        deriv[id] = d;
        derivErr[id] = f.derivativeError(vx);
        fanout[x]++;
        double slope = Math.abs(d);
        for (double k : f.kinks()) {
            if (Math.abs(vx - k) <= Kinks.radius(vx, err[x])) {
                double maxSlope = f.maxSlope(k);
                slope = Math.max(slope, maxSlope);
                addKink(id, f.derivativeJump(k), maxSlope);
                break;
            }
        }
        // First order in the input's error, plus the function's own rounding (a few ulps).
        err[id] = slope * err[x] + 8 * U * Math.abs(v) + Double.MIN_VALUE;
        return id;
    }

    private void addKink(int id, double jump, double slope) {
        if (kinkCount == kinkNode.length) {
            kinkNode = Arrays.copyOf(kinkNode, 2 * kinkCount);
            kinkJump = Arrays.copyOf(kinkJump, 2 * kinkCount);
            kinkSlope = Arrays.copyOf(kinkSlope, 2 * kinkCount);
        }
        kinkNode[kinkCount] = id;
        kinkJump[kinkCount] = jump;
        kinkSlope[kinkCount] = slope;
        kinkCount++;
    }

    @Override
    public int max(int[] candidates, int count) {
        if (open) {
            throw new IllegalStateException("a node cannot be made while a sum is being recorded");
        }
        int chosen = candidates[0];
        double best = value[chosen];
        double worstErr = err[chosen];
        for (int i = 1; i < count; i++) {
            double v = value[candidates[i]];
            worstErr = Math.max(worstErr, err[candidates[i]]);
            if (v > best) {
                best = v;
                chosen = candidates[i];
            }
        }
        int id = newNode(MAX);
        value[id] = best;
        arg[id] = chosen;
        err[id] = worstErr;
        fanout[chosen]++;
        int tied = 0;
        for (int i = 0; i < count; i++) {
            int c = candidates[i];
            if (c != chosen && best - value[c] <= Kinks.radius(best, err[chosen] + err[c])) {
                if (tied == 0) {
                    openTie(id);
                }
                addTied(c);
                fanout[c]++;
                tied++;
            }
        }
        return id;
    }

    private void openTie(int id) {
        if (tieCount + 1 >= tieNode.length) {
            tieNode = Arrays.copyOf(tieNode, 2 * tieNode.length);
            tieStart = Arrays.copyOf(tieStart, 2 * tieNode.length + 1);
        }
        tieNode[tieCount] = id;
        tieStart[tieCount + 1] = tieStart[tieCount];
        tieCount++;
    }

    private void addTied(int c) {
        int at = tieStart[tieCount];
        if (at == tiePool.length) {
            tiePool = Arrays.copyOf(tiePool, 2 * tiePool.length);
        }
        tiePool[at] = c;
        tieStart[tieCount] = at + 1;
    }

    /** Unary nodes recorded at a kink, and max nodes recorded with a tie. */
    public int kinks() {
        return kinkCount;
    }

    public int ties() {
        return tieCount;
    }

    /**
     * Differentiates {@code root} with respect to the first {@code leaves} nodes. {@code errorSeeds}
     * (node, bound) widen chosen nodes' widened magnitude by a local error known only there (a loss
     * gradient's own rounding).
     */
    public Reverse reverse(int root, int leaves, int[] errorSeedNodes, double[] errorSeeds) {
        return new Reverse(this, root, leaves, errorSeedNodes, errorSeeds);
    }
}
