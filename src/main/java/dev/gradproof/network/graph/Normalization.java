package dev.gradproof.network.graph;

import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;

/**
 * What batch norm and layer norm share: groups of M values normalised together, μ = Σ (1/M)·x,
 * σ² = Σ (1/M)·d·d with d = x − μ (biased), r = 1/√(σ² + eps), x̂ = d·r, y = γ·x̂ + β. The two differ only in
 * which values form a group (a channel across the batch; one example's trailing dimensions) and which
 * affine entry each value uses, which subclasses say through {@link #index} and {@link #affine}.
 *
 * <p>Hand-written backward per group: dγ += Σ dy·x̂, dβ += Σ dy, and with g = dy·γ,
 * dx = (r/M)·(M·g − Σg − x̂·Σ(g·x̂)) (the mean and variance terms a wrong backward pass forgets).
 */
abstract class Normalization extends Layer {
    private final double eps;
    private final boolean affine;
    private final int scales;

    Normalization(LayerOptions o, List<Shape> inputs, double eps, boolean affine) {
        super(o, inputs);
        this.eps = eps;
        this.affine = affine;
        this.scales = parameters.isEmpty() ? 0 : parameters.get(0).size();
    }

    /** Groups in a batch of n examples. */
    abstract int groups(int n);

    /** Values per group in a batch of n examples. */
    abstract int size(int n);

    /** Flat index of value m of group g (in a batch of n). */
    abstract int index(int g, int m, int n);

    /** Which γ/β entry value m of group g uses. */
    abstract int affine(int g, int m);

    /** The groups example n takes part in (all of them when the groups span the batch). */
    abstract int[] groupsOf(int n, int examples);

    /** Within one example, values come in blocks of this size that belong to one group each (a channel, a position). */
    abstract int blockSize();

    /** The group block number {@code block} of example n belongs to. */
    abstract int groupOf(int block, int n);

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return IndexSets.expand(IndexSets.blocks(changed, blockSize()), blockSize());
    }

    /** Only the groups whose inputs changed (a batch norm's for every example, its groups span the batch). */
    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        Saved old = (Saved) saved;
        Saved s = new Saved(old.xhat().clone(), old.r().clone());
        int n = b.examples();
        int[] blocks = IndexSets.blocks(changed[0], blockSize());
        boolean[] done = new boolean[groups(n)];
        for (int r = 0; r < b.count(); r++) {
            for (int block : blocks) {
                int g = groupOf(block, b.row(r));
                if (!done[g]) {
                    done[g] = true;
                    group(theta, base, x[0], y, s.xhat(), s.r(), g, n);
                }
            }
        }
        return s;
    }

    /** What backward needs: per value x̂, per group r. */
    record Saved(double[] xhat, double[] r) {
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        int n = b.examples();
        double[] xhat = new double[y.length];
        double[] r = new double[groups(n)];
        if (b.all() || !perExample()) {
            for (int g = 0; g < groups(n); g++) {
                group(theta, base, x[0], y, xhat, r, g, n);
            }
        } else {
            for (int i = 0; i < b.count(); i++) {
                for (int g : groupsOf(b.row(i), n)) {
                    group(theta, base, x[0], y, xhat, r, g, n);
                }
            }
        }
        return new Saved(xhat, r);
    }

    private void group(double[] theta, int base, double[] x, double[] y, double[] xhat, double[] rs, int g, int n) {
        int m = size(n);
        double inv = 1.0 / m;
        double mu = 0;
        for (int j = 0; j < m; j++) {
            mu += inv * x[index(g, j, n)];
        }
        double var = 0;
        for (int j = 0; j < m; j++) {
            double d = x[index(g, j, n)] - mu;
            var += inv * d * d;
        }
        double r = 1 / Math.sqrt(var + eps);
        rs[g] = r;
        for (int j = 0; j < m; j++) {
            int i = index(g, j, n);
            double xh = (x[i] - mu) * r;
            xhat[i] = xh;
            if (affine) {
                int a = affine(g, j);
                y[i] = theta[base + a] * xh + theta[base + scaleCount() + a];
            } else {
                y[i] = xh;
            }
        }
    }

    /** Entries of γ (β follows them in θ). */
    private int scaleCount() {
        return scales;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        Saved s = (Saved) saved;
        int n = b.examples();
        int m = size(n);
        int gamma = scaleCount();
        for (int g = 0; g < groups(n); g++) {
            double sumG = 0;
            double sumGX = 0;
            for (int j = 0; j < m; j++) {
                int i = index(g, j, n);
                double gi = affine ? dy[i] * theta[base + affine(g, j)] : dy[i];
                sumG += gi;
                sumGX += gi * s.xhat[i];
                if (affine) {
                    grad[base + affine(g, j)] += dy[i] * s.xhat[i];
                    grad[base + gamma + affine(g, j)] += dy[i];
                }
            }
            if (dx[0] == null) {
                continue;
            }
            double r = s.r[g];
            for (int j = 0; j < m; j++) {
                int i = index(g, j, n);
                double gi = affine ? dy[i] * theta[base + affine(g, j)] : dy[i];
                dx[0][i] += r / m * (m * gi - sumG - s.xhat[i] * sumGX);
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        int n = b.examples();
        int m = size(n);
        double inv = 1.0 / m;
        int gamma = scaleCount();
        int[] d = new int[m];
        for (int g = 0; g < groups(n); g++) {
            tape.begin(0);
            for (int j = 0; j < m; j++) {
                tape.term(inv, x[0][index(g, j, n)]);
            }
            int mu = tape.end();
            for (int j = 0; j < m; j++) {
                tape.begin(0);
                tape.term(1, x[0][index(g, j, n)]);
                tape.term(-1, mu);
                d[j] = tape.end();
            }
            tape.begin(0);
            for (int j = 0; j < m; j++) {
                tape.term(inv, d[j], d[j]);
            }
            int var = tape.end();
            tape.begin(eps);
            tape.term(1, var);
            int r = tape.unary(Elementaries.RECIPROCAL, tape.unary(Elementaries.SQRT, tape.end()));
            for (int j = 0; j < m; j++) {
                tape.begin(0);
                tape.term(1, d[j], r);
                int xh = tape.end();
                if (affine) {
                    int a = affine(g, j);
                    tape.begin(0);
                    tape.term(1, base + a, xh);
                    tape.term(1, base + gamma + a);
                    y[index(g, j, n)] = tape.end();
                } else {
                    y[index(g, j, n)] = xh;
                }
            }
        }
    }
}
