package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Map;
import org.apiguardian.api.API;

/**
 * One reverse sweep over a {@link ScalarTape}, carrying six quantities from the root to the leaves at
 * once (nodes are visited once, in reverse recording order, which is a reverse topological order):
 *
 * <ul>
 *   <li>{@code adj}: the gradient, every local derivative exact (DerivativeStructure for unary nodes,
 *       the other factor's value for a product);</li>
 *   <li>{@code mag}: the same on absolute values, Σ over paths of |products|, the size of the terms a
 *       gradient entry is a sum of, which rounding scales with;</li>
 *   <li>{@code magE}: {@code mag} with every unary node's |local derivative| widened by its error bound
 *       (and loss gradients by theirs); magE − mag is the first-order effect of those errors;</li>
 *   <li>{@code magK}: {@code mag} with every node at a kink passing on its larger one-sided slope and
 *       every tied max passing to each tied candidate: a bound on |dL/dv| under any convention;</li>
 *   <li>{@code allow}: what switching conventions can change: seeded at each kink with jump × magK and
 *       at each tie with magK × the signed difference of the chosen and each tied candidate's paths,
 *       taken a few nodes down ({@link TieSwitch}), then carried down like magK;</li>
 *   <li>{@code magF}: {@code mag} with every product's other factor widened by its forward rounding bound
 *       (|c|·(|y| + err(y))): the size of the terms allowing for a forward pass that rounds differently,
 *       as another framework's does (first order; unary derivatives are taken as they are);</li>
 *   <li>{@code chain}: the longest chain of rounded operations from the root: each node's adjoint is a
 *       sum over its fan-out, each edge a product or two.</li>
 * </ul>
 */
@API(status = INTERNAL, since = "0.2")
public final class Reverse {
    /**
     * The six sums of node i at acc[i·W + ADJ], ..., acc[i·W + MAGF], side by side: a sum node adds into its
     * terms' nodes, which lie anywhere on a tape of millions, and one node's six sums then share a cache
     * line or two instead of taking a miss in each of six arrays. Nothing else changes: the same
     * operations in the same order.
     */
    static final int W = 6;
    static final int ADJ = 0;
    static final int MAG = 1;
    static final int MAGE = 2;
    static final int MAGK = 3;
    static final int ALLOW = 4;
    static final int MAGF = 5;
    final double[] acc;
    final int[] chain;
    final boolean[] kinkPath;

    /** Roundings per edge of a sum (the local derivative c·y, then its product with the adjoint). */
    private static final int SUM_EDGE = 2;
    /** Roundings per unary edge (the product with the adjoint; the derivative's own error is in magE). */
    private static final int UNARY_EDGE = 2;

    Reverse(ScalarTape t, int root, int leaves, int[] seedNodes, double[] seeds) {
        int n = root + 1;
        double[] q = new double[n * W];
        acc = q;
        chain = new int[n];
        kinkPath = new boolean[n];
        boolean[] reached = new boolean[n];
        int ro = root * W;
        q[ro + ADJ] = 1;
        q[ro + MAG] = 1;
        q[ro + MAGE] = 1;
        q[ro + MAGK] = 1;
        q[ro + MAGF] = 1;
        reached[root] = true;
        if (seedNodes != null) {
            for (int i = 0; i < seedNodes.length; i++) {
                q[seedNodes[i] * W + MAGE] += seeds[i];
            }
        }
        int kink = t.kinkCount - 1;
        int tie = t.tieCount - 1;
        for (int v = root; v >= 0; v--) {
            while (kink >= 0 && t.kinkNode[kink] > v) {
                kink--;
            }
            while (tie >= 0 && t.tieNode[tie] > v) {
                tie--;
            }
            if (!reached[v]) {
                continue;
            }
            chain[v] += t.fanout[v];
            byte k = t.kind[v];
            if (k == ScalarTape.LEAF) {
                continue;
            }
            int vo = v * W;
            double a = q[vo + ADJ];
            double m = q[vo + MAG];
            double me = q[vo + MAGE];
            double mk = q[vo + MAGK];
            double al = q[vo + ALLOW];
            double mf = q[vo + MAGF];
            boolean kp = kinkPath[v];
            int c = chain[v];
            if (k == ScalarTape.SUM) {
                int end = t.termStart[v + 1];
                int ce = c + SUM_EDGE;
                for (int i = t.termStart[v]; i < end; i++) {
                    int l = t.left[i];
                    int r = t.right[i];
                    double co = t.coef[i];
                    double dl = r < 0 ? co : co * t.value[r];
                    double abs = Math.abs(dl);
                    int lo = l * W;
                    q[lo + ADJ] += a * dl;
                    q[lo + MAG] += m * abs;
                    q[lo + MAGF] += mf * (r < 0 ? abs : Math.abs(co) * (Math.abs(t.value[r]) + t.err[r]));
                    q[lo + MAGE] += me * abs;
                    q[lo + MAGK] += mk * abs;
                    q[lo + ALLOW] += al * abs;
                    if (chain[l] < ce) {
                        chain[l] = ce;
                    }
                    kinkPath[l] |= kp;
                    reached[l] = true;
                    if (r >= 0) {
                        double dr = co * t.value[l];
                        double absR = Math.abs(dr);
                        int rr = r * W;
                        q[rr + ADJ] += a * dr;
                        q[rr + MAG] += m * absR;
                        q[rr + MAGF] += mf * Math.abs(co) * (Math.abs(t.value[l]) + t.err[l]);
                        q[rr + MAGE] += me * absR;
                        q[rr + MAGK] += mk * absR;
                        q[rr + ALLOW] += al * absR;
                        if (chain[r] < ce) {
                            chain[r] = ce;
                        }
                        kinkPath[r] |= kp;
                        reached[r] = true;
                    }
                }
            } else if (k == ScalarTape.UNARY) {
                int x = t.arg[v];
                double d = t.deriv[v];
                double abs = Math.abs(d);
                int xo = x * W;
                q[xo + ADJ] += a * d;
                q[xo + MAG] += m * abs;
                q[xo + MAGF] += mf * abs;
                q[xo + MAGE] += me * (abs + t.derivErr[v]);
                if (kink >= 0 && t.kinkNode[kink] == v) {
                    double slope = t.kinkSlope[kink];
                    q[xo + MAGK] += mk * slope;
                    q[xo + ALLOW] += al * slope + t.kinkJump[kink] * mk;
                    kinkPath[x] = true;
                } else {
                    q[xo + MAGK] += mk * abs;
                    q[xo + ALLOW] += al * abs;
                    kinkPath[x] |= kp;
                }
                chain[x] = Math.max(chain[x], c + UNARY_EDGE);
                reached[x] = true;
            } else {
                int x = t.arg[v];
                int xo = x * W;
                q[xo + ADJ] += a;
                q[xo + MAG] += m;
                q[xo + MAGF] += mf;
                q[xo + MAGE] += me;
                q[xo + MAGK] += mk;
                q[xo + ALLOW] += al;
                chain[x] = Math.max(chain[x], c + 1);
                kinkPath[x] |= kp;
                reached[x] = true;
                if (tie >= 0 && t.tieNode[tie] == v) {
                    // Another convention sends the adjoint to a tied candidate instead of the chosen one:
                    // the difference of the two paths, signed just below them (TieSwitch), bounds the change.
                    kinkPath[x] = true;
                    for (int i = t.tieStart[tie]; i < t.tieStart[tie + 1]; i++) {
                        int j = t.tiePool[i];
                        int jo = j * W;
                        q[jo + MAGK] += mk;
                        q[jo + MAGF] += mf;
                        q[jo + ALLOW] += al;
                        chain[j] = Math.max(chain[j], c + 1);
                        kinkPath[j] = true;
                        reached[j] = true;
                        for (Map.Entry<Integer, Double> f : TieSwitch.cut(t, x, j).entrySet()) {
                            q[f.getKey() * W + ALLOW] += mk * f.getValue();
                            kinkPath[f.getKey()] = true;
                            reached[f.getKey()] = true;
                        }
                    }
                }
            }
        }
    }

    /** Sum {@code which} (ADJ, MAG, ...) of node i. */
    double at(int i, int which) {
        return acc[i * W + which];
    }

    /** Sum {@code which} (ADJ, MAG, ...) of nodes [from, from + count). */
    double[] head(int which, int from, int count) {
        double[] out = new double[count];
        for (int i = 0; i < count; i++) {
            out[i] = at(from + i, which);
        }
        return out;
    }
}
