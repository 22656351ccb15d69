package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.AttentionOptions;

/**
 * Self-attention's backward pass written by hand with one of two slips in dL/ds (s the scaled scores):
 * the 1/√d of the forward pass forgotten, so the query and key projections' gradients (and what flows
 * below through them) are √d times too large; or the softmax's Jacobian reduced to its diagonal,
 * ds = p(1 − p)·dp, dropping the −p_i·p_t coupling of the other keys; or, under a causal mask, the
 * probabilities recomputed in backward without the mask, for dL/ds (the mask applied in forward only) or
 * for dL/dv (the value gradient from the unmasked weights). The output projection is right in every case. PyTorch's MultiheadAttention layout (in_proj_weight [3D, D], in_proj_bias,
 * out_proj.weight, out_proj.bias).
 */
final class AttentionBugs extends WrongBackward {
    enum Slip { NO_SCALE, SOFTMAX_DIAGONAL, CAUSAL_MASK_FORGOTTEN, VALUE_UNMASKED }

    private final Slip slip;
    private final int steps;
    private final int dim;
    private final int heads;
    private final int d;
    private final boolean causal;
    private final boolean bias;

    AttentionBugs(GraphNetwork g, GraphNode node, Slip slip) {
        super(g, node);
        this.slip = slip;
        AttentionOptions o = (AttentionOptions) node.options();
        steps = inputs[0].dim(0);
        dim = inputs[0].dim(1);
        heads = o.heads();
        d = dim / heads;
        causal = o.causal();
        bias = o.bias();
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

    private int allowed(int i) {
        return causal ? i + 1 : steps;
    }

    /** Query i's attention probabilities over keys 0 .. count of head h. */
    private double[] softmax(double[] qkv, int h, int i, int count, double scale) {
        double[] row = new double[count];
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < count; t++) {
            double raw = 0;
            for (int e = 0; e < d; e++) {
                raw += qkv[i * 3 * dim + h * d + e] * qkv[t * 3 * dim + dim + h * d + e];
            }
            row[t] = scale * raw;
            max = Math.max(max, row[t]);
        }
        double sum = 0;
        for (int t = 0; t < count; t++) {
            row[t] = Math.exp(row[t] - max);
            sum += row[t];
        }
        for (int t = 0; t < count; t++) {
            row[t] /= sum;
        }
        return row;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        double scale = 1 / Math.sqrt(d);
        for (int n = 0; n < b.examples(); n++) {
            double[] qkv = new double[steps * 3 * dim];
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < 3 * dim; j++) {
                    double s = bias ? theta[inB(base, j)] : 0;
                    for (int c = 0; c < dim; c++) {
                        s += theta[inW(base, j, c)] * x[0][(n * steps + t) * dim + c];
                    }
                    qkv[t * 3 * dim + j] = s;
                }
            }
            double[][][] p = new double[heads][steps][];
            double[][][] unmasked = new double[heads][steps][];
            double[] o = new double[steps * dim];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < steps; i++) {
                    double[] row = softmax(qkv, h, i, allowed(i), scale);
                    for (int t = 0; t < row.length; t++) {
                        for (int e = 0; e < d; e++) {
                            o[i * dim + h * d + e] += row[t] * qkv[t * 3 * dim + 2 * dim + h * d + e];
                        }
                    }
                    p[h][i] = row;
                    unmasked[h][i] = causal ? softmax(qkv, h, i, steps, scale) : row;
                }
            }
            double[] dO = new double[steps * dim];
            for (int i = 0; i < steps; i++) {
                int oo = (n * steps + i) * dim;
                for (int j = 0; j < dim; j++) {
                    double g = dy[oo + j];
                    if (bias) {
                        grad[outB(base, j)] += g;
                    }
                    for (int c = 0; c < dim; c++) {
                        grad[outW(base, j, c)] += g * o[i * dim + c];
                        dO[i * dim + c] += theta[outW(base, j, c)] * g;
                    }
                }
            }
            double[] dQkv = new double[steps * 3 * dim];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < steps; i++) {
                    // reference: p[h][i] for both, the causal mask's probabilities as the forward pass used them
                    double[] pv = slip == Slip.VALUE_UNMASKED ? unmasked[h][i] : p[h][i];
                    double[] ps = slip == Slip.CAUSAL_MASK_FORGOTTEN ? unmasked[h][i] : p[h][i];
                    double[] dp = new double[ps.length];
                    for (int t = 0; t < Math.max(pv.length, ps.length); t++) {
                        for (int e = 0; e < d; e++) {
                            double go = dO[i * dim + h * d + e];
                            if (t < ps.length) {
                                dp[t] += go * qkv[t * 3 * dim + 2 * dim + h * d + e];
                            }
                            if (t < pv.length) {
                                dQkv[t * 3 * dim + 2 * dim + h * d + e] += pv[t] * go;
                            }
                        }
                    }
                    double dot = 0;
                    for (int t = 0; t < ps.length; t++) {
                        dot += ps[t] * dp[t];
                    }
                    for (int t = 0; t < ps.length; t++) {
                        // reference: p·(dp − Σ p·dp)·scale
                        double ds = slip == Slip.NO_SCALE ? ps[t] * (dp[t] - dot)
                                : slip == Slip.SOFTMAX_DIAGONAL ? ps[t] * (1 - ps[t]) * dp[t] * scale
                                : ps[t] * (dp[t] - dot) * scale;
                        for (int e = 0; e < d; e++) {
                            dQkv[i * 3 * dim + h * d + e] += ds * qkv[t * 3 * dim + dim + h * d + e];
                            dQkv[t * 3 * dim + dim + h * d + e] += ds * qkv[i * 3 * dim + h * d + e];
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
}
