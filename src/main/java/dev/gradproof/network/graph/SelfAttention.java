package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code attention}: multi-head self-attention, PyTorch's MultiheadAttention with query = key = value =
 * x (batch first). Per example: q, k, v = x·in_proj_weightᵀ + in_proj_bias (rows [0, D), [D, 2D), [2D, 3D));
 * per head h (columns [h·d, (h+1)·d), d = D/heads) scores s[i, t] = (Σ_e q[i, e]·k[t, e])·(1/√d) over the
 * steps t allowed (t ≤ i when causal), p = softmax(s), o[i, e] = Σ_t p[i, t]·v[t, e]; heads side by side,
 * y = o·out_proj.weightᵀ + out_proj.bias.
 */
@API(status = INTERNAL, since = "0.2")
public final class SelfAttention extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.ATTENTION, Set.of(Catalogue.Flag.SEQUENCE),
            (o, in) -> new SelfAttention((AttentionOptions) o, in),
            List.of(
                    Sample.of("attention, 2 heads", Shape.sequence(4, 4), 2, b -> b.attention(null, 2, false)),
                    Sample.of("causal attention, 3 heads", Shape.sequence(5, 6), 2, b -> b.attention(null, 3, true)),
                    Sample.of("attention on a length-1 sequence", Shape.sequence(1, 4), 2, b -> b.attention(null, 2, true)),
                    Sample.of("attention without bias, one head", Shape.sequence(3, 3), 2,
                            b -> b.layer(null, new AttentionOptions(1, 3, false, false))),
                    Sample.of("attention with a residual and layer norm", Shape.tokens(4), 2, b -> b
                            .embedding("embed", 5, 4).positionEmbedding("pos")
                            .attention("attn", 2, true)
                            .add("res", "pos", "attn")
                            .layerNorm("norm")
                            .dense("out", 5).softmax()).withInputs(SampleData.tokens(5))),
            rnd -> {
                int heads = 1 + rnd.nextInt(3);
                int d = 1 + rnd.nextInt(3);
                int t = 1 + rnd.nextInt(4);
                boolean causal = rnd.nextBoolean();
                boolean bias = rnd.nextInt(4) > 0;
                AttentionOptions o = new AttentionOptions(heads, heads * d, causal, bias);
                return Sample.of("attention " + heads + " heads of " + d + " on " + t + " steps" + (causal ? ", causal" : "")
                        + (bias ? "" : ", no bias"), Shape.sequence(t, heads * d), 1 + rnd.nextInt(3),
                        b -> b.layer(null, o));
            });

    private final int steps;
    private final int dim;
    private final int heads;
    private final int d;
    private final boolean causal;
    private final boolean bias;
    private final double scale;

    public SelfAttention(AttentionOptions o, List<Shape> inputs) {
        super(o, inputs);
        steps = in[0].dim(0);
        dim = in[0].dim(1);
        heads = o.heads();
        d = dim / heads;
        causal = o.causal();
        bias = o.bias();
        scale = 1 / Math.sqrt(d);
    }

    private int inW(int base, int row, int col) {
        return base + row * dim + col;
    }

    private int inB(int base, int row) {
        return base + 3 * dim * dim + row;
    }

    private int outW(int base, int row, int col) {
        return base + 3 * dim * dim + (bias ? 3 * dim : 0) + row * dim + col;
    }

    private int outB(int base, int row) {
        return outW(base, dim, 0) + row;
    }

    /** Steps step i may attend to: [0, allowed(i)). */
    private int allowed(int i) {
        return causal ? i + 1 : steps;
    }

    /**
     * Flat over the batch: q, k, v side by side per step [T, 3D]; p [heads, T, T] (0 where masked); o [T, D];
     * in_proj and out_proj weights by columns ([D][3D], [D][D]) where the pass used them, else null.
     */
    record Saved(double[] qkv, double[] p, double[] o, double[][] inColumns, double[][] outColumns) {
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        if (b.count() * steps >= ColumnSums.FROM_POSITIONS) {
            return run(theta, base, x[0], y, b, ColumnSums.columns(theta, base, 3 * dim, dim),
                    ColumnSums.columns(theta, outW(base, 0, 0), dim, dim));
        }
        return run(theta, base, x[0], y, b, null, null);
    }

    /** The unmoved pass's weights by columns serve again while only the input moved. */
    @Override
    public Object forwardOwnUnmoved(double[] theta, int base, double[][] x, double[] y, Object saved, Batch b) {
        Saved old = (Saved) saved;
        if (old.inColumns != null && b.count() * steps >= ColumnSums.FROM_POSITIONS) {
            return run(theta, base, x[0], y, b, old.inColumns, old.outColumns);
        }
        return forward(theta, base, x, y, b);
    }

    private Saved run(double[] theta, int base, double[] x, double[] y, Batch b, double[][] in, double[][] out) {
        int n0 = b.examples();
        Saved s = new Saved(new double[n0 * steps * 3 * dim], new double[n0 * heads * steps * steps],
                new double[n0 * steps * dim], in, out);
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            if (in != null) {
                byColumns(theta, inB(base, 0), in, x, s.qkv, n, 3 * dim);
            } else {
                for (int t = 0; t < steps; t++) {
                    projections(theta, base, x, s.qkv, n, t, 0, 3 * dim);
                }
            }
            for (int h = 0; h < heads; h++) {
                head(s, n, h);
            }
            outputs(theta, base, s, y, n);
        }
        return s;
    }

    /** Every output unit of example n, by columns where the pass has them. */
    private void outputs(double[] theta, int base, Saved s, double[] y, int n) {
        if (s.outColumns != null) {
            byColumns(theta, outB(base, 0), s.outColumns, s.o, y, n, dim);
            return;
        }
        for (int i = 0; i < steps; i++) {
            output(theta, base, s.o, y, n, i, 0, dim);
        }
    }

    /**
     * out[t, j] = 0 + b_j + Σ_c W[j, c]·v[t, c] in order of c at every step of example n, for the {@code rows}
     * rows of W held as {@code columns}, its bias at θ[bias ..]: the numbers of {@link #projections} and
     * {@link #output}, with sums that run across rows (vectorised).
     */
    private void byColumns(double[] theta, int biasAt, double[][] columns, double[] v, double[] out, int n, int rows) {
        double[] start = ColumnSums.start(theta, biasAt, rows, bias);
        double[] acc = new double[rows];
        for (int t = 0; t < steps; t++) {
            int p = n * steps + t;
            ColumnSums.affine(start, columns, v, p * dim, acc, out, p * rows);
        }
    }

    /**
     * A moved projection entry recomputes its q, k or v column and its head, the other heads' outputs
     * are the unmoved ones; a moved output entry only its output unit.
     */
    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        Saved old = (Saved) saved;
        int outStart = 3 * dim * dim + (bias ? 3 * dim : 0);
        if (local >= outStart) {
            int j = local < outStart + dim * dim ? (local - outStart) / dim : local - outStart - dim * dim;
            for (int r = 0; r < b.count(); r++) {
                for (int i = 0; i < steps; i++) {
                    output(theta, base, old.o, y, b.row(r), i, j, j + 1);
                }
            }
            return old;
        }
        int row = local < 3 * dim * dim ? local / dim : local - 3 * dim * dim;
        // in_proj moved: the unmoved in_proj columns no longer hold; out_proj's still do.
        Saved s = new Saved(old.qkv.clone(), old.p.clone(), old.o.clone(), null,
                b.count() * steps >= ColumnSums.FROM_POSITIONS ? old.outColumns : null);
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int t = 0; t < steps; t++) {
                projections(theta, base, x[0], s.qkv, n, t, row, row + 1);
            }
            head(s, n, (row % dim) / d);
            outputs(theta, base, s, y, n);
        }
        return s;
    }

    @Override
    public int[] outputsReached(int local) {
        int outStart = 3 * dim * dim + (bias ? 3 * dim : 0);
        if (local < outStart) {
            return null;
        }
        int j = local < outStart + dim * dim ? (local - outStart) / dim : local - outStart - dim * dim;
        int[] at = new int[steps];
        for (int i = 0; i < steps; i++) {
            at[i] = i * dim + j;
        }
        return at;
    }

    /** in_proj rows [from, to) at step t: b + Σ W·x, four rows side by side (each sum in its own order). */
    private void projections(double[] theta, int base, double[] x, double[] qkv, int n, int t, int from, int to) {
        int xo = (n * steps + t) * dim;
        int qo = (n * steps + t) * 3 * dim;
        int j = from;
        for (; j + 4 <= to; j += 4) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            if (bias) {
                s0 += theta[inB(base, j)];
                s1 += theta[inB(base, j + 1)];
                s2 += theta[inB(base, j + 2)];
                s3 += theta[inB(base, j + 3)];
            }
            int w0 = inW(base, j, 0);
            for (int c = 0; c < dim; c++) {
                double xv = x[xo + c];
                s0 += theta[w0 + c] * xv;
                s1 += theta[w0 + dim + c] * xv;
                s2 += theta[w0 + 2 * dim + c] * xv;
                s3 += theta[w0 + 3 * dim + c] * xv;
            }
            qkv[qo + j] = s0;
            qkv[qo + j + 1] = s1;
            qkv[qo + j + 2] = s2;
            qkv[qo + j + 3] = s3;
        }
        for (; j < to; j++) {
            double sum = 0;
            if (bias) {
                sum += theta[inB(base, j)];
            }
            for (int c = 0; c < dim; c++) {
                sum += theta[inW(base, j, c)] * x[xo + c];
            }
            qkv[qo + j] = sum;
        }
    }

    /** Head h of example n: scores, softmax and its columns of o. */
    private void head(Saved s, int n, int h) {
        double[] row = new double[steps];
        for (int i = 0; i < steps; i++) {
            int count = allowed(i);
            for (int t = 0; t < count; t++) {
                double raw = 0;
                for (int e = 0; e < d; e++) {
                    raw += qkv(s.qkv, n, i, 0, h * d + e) * qkv(s.qkv, n, t, 1, h * d + e);
                }
                row[t] = scale * raw;
            }
            int po = ((n * heads + h) * steps + i) * steps;
            softmaxInto(row, s.p, po, count);
            for (int e = 0; e < d; e++) {
                double sum = 0;
                for (int t = 0; t < count; t++) {
                    sum += s.p[po + t] * qkv(s.qkv, n, t, 2, h * d + e);
                }
                s.o[(n * steps + i) * dim + h * d + e] = sum;
            }
        }
    }

    /** Output units [from, to) at step i: b + Σ W·o, four units side by side. */
    private void output(double[] theta, int base, double[] o, double[] y, int n, int i, int from, int to) {
        int oo = (n * steps + i) * dim;
        int j = from;
        for (; j + 4 <= to; j += 4) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            if (bias) {
                s0 += theta[outB(base, j)];
                s1 += theta[outB(base, j + 1)];
                s2 += theta[outB(base, j + 2)];
                s3 += theta[outB(base, j + 3)];
            }
            int w0 = outW(base, j, 0);
            for (int c = 0; c < dim; c++) {
                double ov = o[oo + c];
                s0 += theta[w0 + c] * ov;
                s1 += theta[w0 + dim + c] * ov;
                s2 += theta[w0 + 2 * dim + c] * ov;
                s3 += theta[w0 + 3 * dim + c] * ov;
            }
            y[oo + j] = s0;
            y[oo + j + 1] = s1;
            y[oo + j + 2] = s2;
            y[oo + j + 3] = s3;
        }
        for (; j < to; j++) {
            double sum = 0;
            if (bias) {
                sum += theta[outB(base, j)];
            }
            for (int c = 0; c < dim; c++) {
                sum += theta[outW(base, j, c)] * o[oo + c];
            }
            y[oo + j] = sum;
        }
    }

    private static void softmaxInto(double[] scores, double[] p, int off, int count) {
        double[] tmp = new double[count];
        Softmax.forward(scores, tmp, 0, count);
        System.arraycopy(tmp, 0, p, off, count);
    }

    /** Entry of q (part 0), k (1) or v (2) at step t, column c. */
    private double qkv(double[] qkv, int n, int t, int part, int c) {
        return qkv[(n * steps + t) * 3 * dim + part * dim + c];
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        Saved s = (Saved) saved;
        for (int n = 0; n < b.examples(); n++) {
            double[] dO = new double[steps * dim];
            double[] dQkv = new double[steps * 3 * dim];
            for (int i = 0; i < steps; i++) {
                int oo = (n * steps + i) * dim;
                for (int j = 0; j < dim; j++) {
                    double g = dy[oo + j];
                    if (bias) {
                        grad[outB(base, j)] += g;
                    }
                    for (int c = 0; c < dim; c++) {
                        grad[outW(base, j, c)] += g * s.o[oo + c];
                        dO[i * dim + c] += theta[outW(base, j, c)] * g;
                    }
                }
            }
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < steps; i++) {
                    int count = allowed(i);
                    int po = ((n * heads + h) * steps + i) * steps;
                    double[] dp = new double[count];
                    for (int t = 0; t < count; t++) {
                        for (int e = 0; e < d; e++) {
                            double go = dO[i * dim + h * d + e];
                            dp[t] += go * qkv(s.qkv, n, t, 2, h * d + e);
                            dQkv[t * 3 * dim + 2 * dim + h * d + e] += s.p[po + t] * go;
                        }
                    }
                    double dot = 0;
                    for (int t = 0; t < count; t++) {
                        dot += s.p[po + t] * dp[t];
                    }
                    for (int t = 0; t < count; t++) {
                        double ds = s.p[po + t] * (dp[t] - dot) * scale;
                        for (int e = 0; e < d; e++) {
                            dQkv[i * 3 * dim + h * d + e] += ds * qkv(s.qkv, n, t, 1, h * d + e);
                            dQkv[t * 3 * dim + dim + h * d + e] += ds * qkv(s.qkv, n, i, 0, h * d + e);
                        }
                    }
                }
            }
            for (int t = 0; t < steps; t++) {
                int xo = (n * steps + t) * dim;
                for (int j = 0; j < 3 * dim; j++) {
                    double g = dQkv[t * 3 * dim + j];
                    if (bias) {
                        grad[inB(base, j)] += g;
                    }
                    for (int c = 0; c < dim; c++) {
                        grad[inW(base, j, c)] += g * x[0][xo + c];
                        if (dx[0] != null) {
                            dx[0][xo + c] += theta[inW(base, j, c)] * g;
                        }
                    }
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        int[] qkv = new int[steps * 3 * dim];
        int[] o = new int[steps * dim];
        int[] scores = new int[steps];
        int[] p = new int[steps];
        for (int n = 0; n < b.examples(); n++) {
            for (int t = 0; t < steps; t++) {
                int xo = (n * steps + t) * dim;
                for (int j = 0; j < 3 * dim; j++) {
                    tape.begin(0);
                    if (bias) {
                        tape.term(1, inB(base, j));
                    }
                    for (int c = 0; c < dim; c++) {
                        tape.term(1, inW(base, j, c), x[0][xo + c]);
                    }
                    qkv[t * 3 * dim + j] = tape.end();
                }
            }
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < steps; i++) {
                    int count = allowed(i);
                    for (int t = 0; t < count; t++) {
                        tape.begin(0);
                        for (int e = 0; e < d; e++) {
                            tape.term(1, qkv[i * 3 * dim + h * d + e], qkv[t * 3 * dim + dim + h * d + e]);
                        }
                        scores[t] = tape.scale(scale, tape.end());
                    }
                    Softmax.exact(tape, scores, 0, p, 0, count);
                    for (int e = 0; e < d; e++) {
                        tape.begin(0);
                        for (int t = 0; t < count; t++) {
                            tape.term(1, p[t], qkv[t * 3 * dim + 2 * dim + h * d + e]);
                        }
                        o[i * dim + h * d + e] = tape.end();
                    }
                }
            }
            for (int i = 0; i < steps; i++) {
                for (int j = 0; j < dim; j++) {
                    tape.begin(0);
                    if (bias) {
                        tape.term(1, outB(base, j));
                    }
                    for (int c = 0; c < dim; c++) {
                        tape.term(1, outW(base, j, c), o[i * dim + c]);
                    }
                    y[(n * steps + i) * dim + j] = tape.end();
                }
            }
        }
    }
}
