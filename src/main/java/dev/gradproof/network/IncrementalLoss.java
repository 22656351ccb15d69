package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * L(θ + δ·e_p) − L(θ) for one parameter and a few steps δ at once, from a cached forward pass: what
 * a finite difference needs, at a small fraction of a forward pass per parameter.
 *
 * <p>A perturbation of W_l[i,j] (or b_l[i]) moves only unit i of layer l; the layer above moves by
 * W_{l+1}[:, i] times that unit's change, and only layers above that are recomputed in full. The
 * per-example changes are summed, so two large totals never cancel, and the output stage forms each
 * example's change directly ({@link OutputStage#change}: no exp or log for sigmoid + cross-entropy).
 * All steps of a stencil share one pass over the examples, and the cached columns a parameter reads
 * are stored transposed, so that pass reads memory in order.
 *
 * <p>Thread-safe: each thread gets its own scratch buffers; nothing is allocated per call.
 */
@API(status = INTERNAL, since = "0.2")
public final class IncrementalLoss {
    private final Mlp mlp;
    private final ParameterLayout layout;
    private final double[] theta;
    private final Dataset data;
    private final Forward f;
    private final double[][] aT; // aT[l][j·n + e] = a[l][e·width + j], for l < layers
    private final double[][] zT; // the same for the hidden layers' z
    private final SigmoidCrossEntropyChanges prepared; // null unless the output stage is sigmoid + BCE
    private final ThreadLocal<Scratch> scratch;

    public IncrementalLoss(Mlp mlp, double[] theta, Dataset data, Forward f) {
        this.mlp = mlp;
        this.layout = mlp.layout();
        this.theta = theta;
        this.data = data;
        this.f = f;
        int layers = layout.layers();
        int n = data.examples();
        aT = new double[layers][];
        zT = new double[layers][];
        for (int l = 0; l < layers; l++) {
            aT[l] = transpose(f.a[l], n, layout.size(l));
            if (l > 0) {
                zT[l] = transpose(f.z[l], n, layout.size(l));
            }
        }
        prepared = mlp.output().prepareChanges(f.z[layers], data.y(), n);
        int width = layout.maxWidth();
        int k = layout.size(layers);
        scratch = ThreadLocal.withInitial(() -> new Scratch(width, k));
    }

    private static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                t[c * rows + r] = m[r * cols + c];
            }
        }
        return t;
    }

    private static final class Scratch {
        final double[] cur;
        final double[] next;
        final double[] dz;
        final double[] column;
        final double[] zWork;
        final double[] aWork;
        final double[] da = new double[SigmoidCrossEntropyChanges.BLOCK];
        final double[] acc = new double[SigmoidCrossEntropyChanges.BLOCK];
        double[] sums = new double[4];

        Scratch(int width, int k) {
            cur = new double[width];
            next = new double[width];
            dz = new double[k];
            column = new double[k];
            zWork = new double[k];
            aWork = new double[k];
        }
    }

    public double change(int p, double delta) {
        double[] out = new double[1];
        changes(p, new double[] {delta}, out);
        return out[0];
    }

    /** {@code out[m] = L(θ + deltas[m]·e_p) − L(θ)} for each m. */
    public void changes(int p, double[] deltas, double[] out) {
        Scratch s = scratch.get();
        if (s.sums.length < deltas.length) {
            s.sums = new double[deltas.length];
        }
        double[] sums = s.sums;
        Arrays.fill(sums, 0, deltas.length, 0);
        int layers = layout.layers();
        int l = layout.layerOf(p);
        if (l == layers - 1) {
            outputUnit(p, deltas, sums, s);
        } else if (l == layers - 2) {
            lastHiddenUnit(p, deltas, sums, s);
        } else {
            deepUnit(p, deltas, sums, s);
        }
        int n = data.examples();
        boolean penalised = mlp.penalised(p);
        for (int m = 0; m < deltas.length; m++) {
            double change = mlp.reductionScale(n) * sums[m];
            if (penalised) {
                double d = deltas[m];
                change += 0.5 * mlp.l2Scale(n) * d * (2 * theta[p] + d); // (t + d)² − t², without cancellation
            }
            out[m] = change;
        }
    }

    /** What the weight p multiplies, example by example (its input column); null for a bias. */
    private double[] inputs(int p) {
        return layout.isBias(p) ? null : aT[layout.layerOf(p)];
    }

    /** The input example e feeds parameter p: column j of {@code inputs}, or 1 for a bias. */
    private static double input(double[] inputs, int j, int e, int n) {
        return inputs == null ? 1 : inputs[j * n + e];
    }

    private void outputUnit(int p, double[] deltas, double[] sums, Scratch s) {
        int l = layout.layerOf(p);
        int i = layout.row(p);
        int n = data.examples();
        double[] zOut = f.z[l + 1];
        double[] dz = s.dz;
        Arrays.fill(dz, 0);
        double[] inputs = inputs(p);
        int j = layout.column(p);
        for (int e = 0; e < n; e++) {
            double x = input(inputs, j, e, n);
            if (x == 0) {
                continue; // an input of exactly 0: this example's loss cannot change
            }
            for (int m = 0; m < deltas.length; m++) {
                dz[i] = deltas[m] * x;
                sums[m] += mlp.output().change(zOut, e, dz, data.y(), prepared, f.exampleLoss[e],
                        s.zWork, s.aWork);
            }
        }
    }

    /**
     * Unit i of the last hidden layer: every logit of example e moves by W[:, i]·da_e. Examples go in
     * blocks; a block whose logit changes are small enough for the series takes the rank-one form.
     */
    private void lastHiddenUnit(int p, double[] deltas, double[] sums, Scratch s) {
        int l = layout.layerOf(p);
        int i = layout.row(p);
        int n = data.examples();
        int width = layout.size(l + 1);
        int k = layout.size(l + 2);
        Activation act = mlp.activation(l);
        double[] column = s.column; // W_{l+1}[:, i]
        int w = layout.weightOffset(l + 1);
        double columnMax = 0;
        for (int r = 0; r < k; r++) {
            column[r] = theta[w + r * width + i];
            columnMax = Math.max(columnMax, Math.abs(column[r]));
        }
        double[] z = zT[l + 1];
        double[] a = aT[l + 1];
        double[] da = s.da;
        double[] inputs = inputs(p);
        int j = layout.column(p);
        int block = SigmoidCrossEntropyChanges.BLOCK;
        for (int from = 0; from < n; from += block) {
            int len = Math.min(block, n - from);
            for (int m = 0; m < deltas.length; m++) {
                double daMax = 0;
                for (int e = from; e < from + len; e++) {
                    double x = input(inputs, j, e, n);
                    // An input of exactly 0 cannot change this example's loss.
                    double d = x == 0 ? 0 : act.value(z[i * n + e] + deltas[m] * x) - a[i * n + e];
                    da[e - from] = d;
                    daMax = Math.max(daMax, Math.abs(d));
                }
                if (prepared != null && prepared.fits(columnMax * daMax)) {
                    sums[m] += prepared.rankOne(from / block, column, da, len, s.acc);
                    continue;
                }
                for (int e = from; e < from + len; e++) {
                    double d = da[e - from];
                    if (d == 0) {
                        continue;
                    }
                    for (int r = 0; r < k; r++) {
                        s.dz[r] = column[r] * d;
                    }
                    sums[m] += mlp.output().change(f.z[l + 2], e, s.dz, data.y(), prepared,
                            f.exampleLoss[e], s.zWork, s.aWork);
                }
            }
        }
    }

    /** Two or more layers above the perturbed unit: the layers above the next one are recomputed. */
    private void deepUnit(int p, double[] deltas, double[] sums, Scratch s) {
        int layers = layout.layers();
        int l = layout.layerOf(p);
        int i = layout.row(p);
        int n = data.examples();
        int out = layout.size(l + 1);
        int k = layout.size(layers);
        double[] zOut = f.z[layers];
        double[] inputs = inputs(p);
        int j = layout.column(p);
        double[] cur = s.cur;
        double[] next = s.next;
        Activation unit = mlp.activation(l);
        int above = layout.size(l + 2);
        int w = layout.weightOffset(l + 1);
        for (int e = 0; e < n; e++) {
            double x = input(inputs, j, e, n);
            if (x == 0) {
                continue;
            }
            for (int m = 0; m < deltas.length; m++) {
                double da = unit.value(zT[l + 1][i * n + e] + deltas[m] * x) - aT[l + 1][i * n + e];
                System.arraycopy(f.z[l + 2], e * above, cur, 0, above);
                for (int r = 0; r < above; r++) {
                    cur[r] += theta[w + r * out + i] * da;
                }
                int width = above;
                for (int layer = l + 1; layer < layers - 1; layer++) {
                    Activation act = mlp.activation(layer);
                    for (int r = 0; r < width; r++) {
                        cur[r] = act.value(cur[r]);
                    }
                    int w2 = layout.weightOffset(layer + 1);
                    int b2 = layout.biasOffset(layer + 1);
                    int up = layout.size(layer + 2);
                    for (int r = 0; r < up; r++) {
                        double acc = b2 >= 0 ? theta[b2 + r] : 0;
                        int row = w2 + r * width;
                        for (int c = 0; c < width; c++) {
                            acc += theta[row + c] * cur[c];
                        }
                        next[r] = acc;
                    }
                    System.arraycopy(next, 0, cur, 0, up);
                    width = up;
                }
                for (int r = 0; r < k; r++) {
                    s.dz[r] = cur[r] - zOut[e * k + r];
                }
                sums[m] += mlp.output().change(zOut, e, s.dz, data.y(), prepared, f.exampleLoss[e],
                        s.zWork, s.aWork);
            }
        }
    }
}
