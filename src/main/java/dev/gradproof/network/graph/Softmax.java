package dev.gradproof.network.graph;

/**
 * Softmax over k consecutive values, in its three forms: forward p = e^(z − m)·(1/Σe^(z − m)) with m the
 * maximum, hand-written backward dz = p ⊙ (g − Σ p g), exact form on the tape (m a constant: a shift
 * does not change a softmax, so nothing flows through the maximum, as in PyTorch).
 */
final class Softmax {
    private Softmax() {
    }

    static void forward(double[] z, double[] p, int off, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, z[off + i]);
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            p[off + i] = Math.exp(z[off + i] - m);
            s += p[off + i];
        }
        double r = 1 / s;
        for (int i = 0; i < k; i++) {
            p[off + i] = p[off + i] * r;
        }
    }

    static void backward(double[] p, double[] g, double[] dz, int off, int k) {
        double dot = 0;
        for (int i = 0; i < k; i++) {
            dot += p[off + i] * g[off + i];
        }
        for (int i = 0; i < k; i++) {
            dz[off + i] += p[off + i] * (g[off + i] - dot);
        }
    }

    /** The softmax of the nodes z[zOff ..] into p[pOff ..]. */
    static void exact(Tape t, int[] z, int zOff, int[] p, int pOff, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, t.value(z[zOff + i]));
        }
        int[] e = new int[k];
        for (int i = 0; i < k; i++) {
            t.begin(-m);
            t.term(1, z[zOff + i]);
            e[i] = t.unary(Elementaries.EXP, t.end());
        }
        int r = t.unary(Elementaries.RECIPROCAL, GraphLosses.sum(t, e));
        for (int i = 0; i < k; i++) {
            t.begin(0);
            t.term(1, e[i], r);
            p[pOff + i] = t.end();
        }
    }
}
