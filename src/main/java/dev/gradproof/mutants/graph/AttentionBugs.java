package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.AttentionOptions;

/**
 * Self-attention's backward pass written by hand with one of two slips in dL/ds (s the scaled scores):
 * the 1/√d of the forward pass forgotten, so the query and key projections' gradients (and what flows
 * below through them) are √d times too large; or the softmax's Jacobian reduced to its diagonal,
 * ds = p(1 − p)·dp, dropping the −p_i·p_t coupling of the other keys. The value and output projections
 * are right either way. PyTorch's MultiheadAttention layout (in_proj_weight [3D, D], in_proj_bias,
 * out_proj.weight, out_proj.bias).
 */
final class AttentionBugs extends WrongBackward {
    enum Slip { NO_SCALE, SOFTMAX_DIAGONAL }

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
            double[] o = new double[steps * dim];
            for (int h = 0; h < heads; h++) {
                for (int i = 0; i < steps; i++) {
                    int count = allowed(i);
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
                        for (int e = 0; e < d; e++) {
                            o[i * dim + h * d + e] += row[t] * qkv[t * 3 * dim + 2 * dim + h * d + e];
                        }
                    }
                    p[h][i] = row;
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
                    int count = allowed(i);
                    double[] dp = new double[count];
                    for (int t = 0; t < count; t++) {
                        for (int e = 0; e < d; e++) {
                            double go = dO[i * dim + h * d + e];
                            dp[t] += go * qkv[t * 3 * dim + 2 * dim + h * d + e];
                            dQkv[t * 3 * dim + 2 * dim + h * d + e] += p[h][i][t] * go;
                        }
                    }
                    double dot = 0;
                    for (int t = 0; t < count; t++) {
                        dot += p[h][i][t] * dp[t];
                    }
                    for (int t = 0; t < count; t++) {
                        // reference: p·(dp − Σ p·dp)·scale
                        double ds = slip == Slip.NO_SCALE ? p[h][i][t] * (dp[t] - dot)
                                : p[h][i][t] * (1 - p[h][i][t]) * dp[t] * scale;
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
