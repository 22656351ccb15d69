package dev.gradproof.oracle.graph;

import java.util.Map;
import java.util.TreeMap;

/**
 * What sending a max's adjoint to a tied candidate j instead of the chosen x can change, for the
 * allowance of {@link Reverse}: a·(∂j/∂p − ∂x/∂p) for every leaf p, with |a| bounded by magK.
 *
 * <p>Bounding |∂j/∂p| and |∂x/∂p| apart, as a plain absolute sweep does, makes the allowance as wide as
 * both paths together, and it swamps gradients the convention cannot touch: a conv bias reaches two
 * tied cells of its channel with the same derivative (the tie makes their activations equal), so the
 * switch changes its gradient by nothing, while the separate bound is twice its whole gradient. So the
 * difference is taken signed over the few nodes right under x and j (the activation and the sum of a
 * conv or dense unit), where such terms cancel exactly, and only below that cut is it bounded by
 * absolute values: |Σ_f s_f ∂f/∂p| ≤ Σ_f |s_f| |∂f/∂p|, which the sweep carries on from each f.
 */
final class TieSwitch {
    /** Nodes more than this many edges below x or j are the cut. */
    static final int DEPTH = 2;

    private TieSwitch() {
    }

    /** The signed difference seeded +1 at x and −1 at j, as |value| at each node of the cut. */
    static Map<Integer, Double> cut(ScalarTape t, int x, int j) {
        TreeMap<Integer, double[]> open = new TreeMap<>();   // node -> {signed value, depth}
        add(open, x, 1, 0);
        add(open, j, -1, 0);
        TreeMap<Integer, Double> cut = new TreeMap<>();
        while (!open.isEmpty()) {
            // Highest id first: every contribution to a node arrives before it is expanded.
            Map.Entry<Integer, double[]> e = open.pollLastEntry();
            int v = e.getKey();
            double s = e.getValue()[0];
            int depth = (int) e.getValue()[1];
            byte k = t.kind[v];
            if (s == 0) {
                continue;
            }
            if (depth >= DEPTH || k == ScalarTape.LEAF) {
                cut.merge(v, Math.abs(s), Double::sum);
            } else if (k == ScalarTape.SUM) {
                for (int q = t.termStart[v]; q < t.termStart[v + 1]; q++) {
                    int l = t.left[q];
                    int r = t.right[q];
                    double co = t.coef[q];
                    add(open, l, s * (r < 0 ? co : co * t.value[r]), depth + 1);
                    if (r >= 0) {
                        add(open, r, s * co * t.value[l], depth + 1);
                    }
                }
            } else if (k == ScalarTape.UNARY) {
                add(open, t.arg[v], s * t.deriv[v], depth + 1);
            } else {
                add(open, t.arg[v], s, depth + 1);   // a max below: its chosen candidate (its own ties are its own)
            }
        }
        return cut;
    }

    private static void add(TreeMap<Integer, double[]> open, int node, double s, int depth) {
        double[] at = open.get(node);
        if (at == null) {
            open.put(node, new double[] {s, depth});
        } else {
            at[0] += s;
            at[1] = Math.min(at[1], depth);
        }
    }
}
