package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
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
    final double[] adj;
    final double[] mag;
    final double[] magE;
    final double[] magK;
    final double[] allow;
    final double[] magF;
    final int[] chain;
    final boolean[] kinkPath;

    /** Roundings per edge of a sum (the local derivative c·y, then its product with the adjoint). */
    private static final int SUM_EDGE = 2;
    /** Roundings per unary edge (the product with the adjoint; the derivative's own error is in magE). */
    private static final int UNARY_EDGE = 2;

    Reverse(ScalarTape t, int root, int leaves, int[] seedNodes, double[] seeds) {
        int n = root + 1;
        adj = new double[n];
        mag = new double[n];
        magE = new double[n];
        magK = new double[n];
        allow = new double[n];
        magF = new double[n];
        chain = new int[n];
        kinkPath = new boolean[n];
        boolean[] reached = new boolean[n];
        adj[root] = 1;
        mag[root] = 1;
        magE[root] = 1;
        magK[root] = 1;
        magF[root] = 1;
        reached[root] = true;
        if (seedNodes != null) {
            for (int i = 0; i < seedNodes.length; i++) {
                magE[seedNodes[i]] += seeds[i];
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
            double a = adj[v];
            double m = mag[v];
            double me = magE[v];
            double mk = magK[v];
            double al = allow[v];
            double mf = magF[v];
            boolean kp = kinkPath[v];
            int c = chain[v];
            if (k == ScalarTape.SUM) {
                int end = t.termStart[v + 1];
                int ce = c + SUM_EDGE;
                for (int q = t.termStart[v]; q < end; q++) {
                    int l = t.left[q];
                    int r = t.right[q];
                    double co = t.coef[q];
                    double dl = r < 0 ? co : co * t.value[r];
                    double abs = Math.abs(dl);
                    adj[l] += a * dl;
                    mag[l] += m * abs;
                    magF[l] += mf * (r < 0 ? abs : Math.abs(co) * (Math.abs(t.value[r]) + t.err[r]));
                    magE[l] += me * abs;
                    magK[l] += mk * abs;
                    allow[l] += al * abs;
                    if (chain[l] < ce) {
                        chain[l] = ce;
                    }
                    kinkPath[l] |= kp;
                    reached[l] = true;
                    if (r >= 0) {
                        double dr = co * t.value[l];
                        double absR = Math.abs(dr);
                        adj[r] += a * dr;
                        mag[r] += m * absR;
                        magF[r] += mf * Math.abs(co) * (Math.abs(t.value[l]) + t.err[l]);
                        magE[r] += me * absR;
                        magK[r] += mk * absR;
                        allow[r] += al * absR;
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
                adj[x] += a * d;
                mag[x] += m * abs;
                magF[x] += mf * abs;
                magE[x] += me * (abs + t.derivErr[v]);
                if (kink >= 0 && t.kinkNode[kink] == v) {
                    double slope = t.kinkSlope[kink];
                    magK[x] += mk * slope;
                    allow[x] += al * slope + t.kinkJump[kink] * mk;
                    kinkPath[x] = true;
                } else {
                    magK[x] += mk * abs;
                    allow[x] += al * abs;
                    kinkPath[x] |= kp;
                }
                chain[x] = Math.max(chain[x], c + UNARY_EDGE);
                reached[x] = true;
            } else {
                int x = t.arg[v];
                adj[x] += a;
                mag[x] += m;
                magF[x] += mf;
                magE[x] += me;
                magK[x] += mk;
                allow[x] += al;
                chain[x] = Math.max(chain[x], c + 1);
                kinkPath[x] |= kp;
                reached[x] = true;
                if (tie >= 0 && t.tieNode[tie] == v) {
                    // Another convention sends the adjoint to a tied candidate instead of the chosen one:
                    // the difference of the two paths, signed just below them (TieSwitch), bounds the change.
                    kinkPath[x] = true;
                    for (int q = t.tieStart[tie]; q < t.tieStart[tie + 1]; q++) {
                        int j = t.tiePool[q];
                        magK[j] += mk;
                        magF[j] += mf;
                        allow[j] += al;
                        chain[j] = Math.max(chain[j], c + 1);
                        kinkPath[j] = true;
                        reached[j] = true;
                        for (Map.Entry<Integer, Double> f : TieSwitch.cut(t, x, j).entrySet()) {
                            allow[f.getKey()] += mk * f.getValue();
                            kinkPath[f.getKey()] = true;
                            reached[f.getKey()] = true;
                        }
                    }
                }
            }
        }
    }

    /** The first {@code count} entries of {@code a}: the leaves' values. */
    static double[] head(double[] a, int from, int count) {
        return Arrays.copyOfRange(a, from, from + count);
    }
}
