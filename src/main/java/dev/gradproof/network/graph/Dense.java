package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.DenseOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code dense}: y = W x + b on every position (one for a vector, T for a sequence). W [units, F] is
 * row-major, then b.
 */
@API(status = INTERNAL, since = "0.2")
public final class Dense extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.DENSE, Set.of(),
            (o, in) -> new Dense((DenseOptions) o, in),
            List.of(
                    Sample.of("dense tanh", Shape.features(5), 3, b -> b.dense(null, 3).activation(Activations.tanh())),
                    Sample.of("dense per step of a sequence", Shape.sequence(4, 3), 2, b -> b.dense(null, 2)),
                    Sample.of("dense without bias, relu", Shape.features(4), 3,
                            b -> b.layer(null, new DenseOptions(3, false)).activation(Activations.relu())),
                    Sample.of("dense relu at exactly 0", Shape.features(3), 4,
                            b -> b.dense(null, 4).activation(Activations.relu()).dense(null, 2))
                            .withInputs(SampleData::coarse).withTheta(SampleData.INTEGER_WEIGHTS)),
            rnd -> {
                boolean seq = rnd.nextBoolean();
                int f = 1 + rnd.nextInt(5);
                Shape in = seq ? Shape.sequence(1 + rnd.nextInt(3), f) : Shape.features(f);
                int units = 1 + rnd.nextInt(5);
                boolean bias = rnd.nextInt(4) > 0;
                return Sample.of("dense " + in + " -> " + units, in, 1 + rnd.nextInt(3),
                        b -> b.layer(null, new DenseOptions(units, bias)).activation(Activations.tanh()));
            });

    private final int positions;
    private final int f;
    private final int units;
    private final boolean bias;

    public Dense(DenseOptions o, List<Shape> inputs) {
        super(o, inputs);
        Shape x = in[0];
        positions = x.kind() == Shape.Kind.SEQUENCE ? x.dim(0) : 1;
        f = x.dim(x.rank() - 1);
        units = o.units();
        bias = o.bias();
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        if (b.count() * positions >= ColumnSums.FROM_POSITIONS) {
            double[][] columns = ColumnSums.columns(theta, base, units, f);
            byColumns(theta, base, columns, x[0], y, b);
            return columns;
        }
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int t = 0; t < positions; t++) {
                units(theta, base, x[0], y, n * positions + t, 0, units);
            }
        }
        return null;
    }

    /**
     * Every unit at the batch's positions with W copied by columns ([F][units]), the sums running across
     * units four inputs at a time, a loop C2 vectorises. Each unit still sums 0 + b_i, then W[i,j]·x_j in
     * order of j: the numbers of {@link #units}, bit for bit.
     */
    private void byColumns(double[] theta, int base, double[][] columns, double[] x, double[] y, Batch b) {
        double[] start = ColumnSums.start(theta, base + units * f, units, bias);
        double[] s = new double[units];
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int t = 0; t < positions; t++) {
                int p = n * positions + t;
                ColumnSums.affine(start, columns, x, p * f, s, y, p * units);
            }
        }
    }

    /**
     * Units [from, to) at one position: s = b_i, then s += W[i,j]·x_j in order of j. Four units are summed
     * side by side (four independent chains, each in its own order: the same numbers, faster).
     */
    private void units(double[] theta, int base, double[] x, double[] y, int p, int from, int to) {
        int xo = p * f;
        int yo = p * units;
        int bOff = base + units * f;
        int i = from;
        for (; i + 4 <= to; i += 4) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            if (bias) {
                s0 += theta[bOff + i];
                s1 += theta[bOff + i + 1];
                s2 += theta[bOff + i + 2];
                s3 += theta[bOff + i + 3];
            }
            int r0 = base + i * f;
            for (int j = 0; j < f; j++) {
                double xv = x[xo + j];
                s0 += theta[r0 + j] * xv;
                s1 += theta[r0 + f + j] * xv;
                s2 += theta[r0 + 2 * f + j] * xv;
                s3 += theta[r0 + 3 * f + j] * xv;
            }
            y[yo + i] = s0;
            y[yo + i + 1] = s1;
            y[yo + i + 2] = s2;
            y[yo + i + 3] = s3;
        }
        for (; i < to; i++) {
            double s = 0;
            if (bias) {
                s += theta[bOff + i];
            }
            int row = base + i * f;
            for (int j = 0; j < f; j++) {
                s += theta[row + j] * x[xo + j];
            }
            y[yo + i] = s;
        }
    }

    /**
     * The unmoved pass's W by columns (what {@link #forward} saved) serve again: copying them is about a
     * tenth of a perturbed pass of the transformer block's feed-forward layers.
     */
    @Override
    public Object forwardOwnUnmoved(double[] theta, int base, double[][] x, double[] y, Object saved, Batch b) {
        if (saved instanceof double[][] columns && b.count() * positions >= ColumnSums.FROM_POSITIONS) {
            byColumns(theta, base, columns, x[0], y, b);
            return columns;
        }
        return forward(theta, base, x, y, b);
    }

    private int unitOf(int local) {
        return local < units * f ? local / f : local - units * f;
    }

    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        int i = unitOf(local);
        for (int r = 0; r < b.count(); r++) {
            for (int t = 0; t < positions; t++) {
                units(theta, base, x[0], y, b.row(r) * positions + t, i, i + 1);
            }
        }
        return null;
    }

    /** A weight or bias reaches its unit at every position. */
    @Override
    public int[] outputsReached(int local) {
        int i = unitOf(local);
        int[] out = new int[positions];
        for (int t = 0; t < positions; t++) {
            out[t] = t * units + i;
        }
        return out;
    }

    /** y += W[:, j]·(x_j − x_j unmoved) for the changed inputs only, while they are few. */
    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        int[] c = changed[0];
        if (c.length * 4 > f * positions) {
            return UNHANDLED;
        }
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int idx : c) {
                int xi = n * f * positions + idx;
                double d = x[0][xi] - xBase[0][xi];
                if (d == 0) {
                    continue;
                }
                int t = idx / f;
                int j = idx % f;
                int yo = (n * positions + t) * units;
                for (int i = 0; i < units; i++) {
                    y[yo + i] += theta[base + i * f + j] * d;
                }
            }
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        double[] xs = x[0];
        double[] dxs = dx[0];
        int bOff = base + units * f;
        for (int p = 0; p < b.examples() * positions; p++) {
            int xo = p * f;
            for (int i = 0; i < units; i++) {
                double d = dy[p * units + i];
                if (d == 0) {
                    continue;
                }
                int row = base + i * f;
                for (int j = 0; j < f; j++) {
                    grad[row + j] += d * xs[xo + j];
                }
                if (dxs != null) {
                    for (int j = 0; j < f; j++) {
                        dxs[xo + j] += theta[row + j] * d;
                    }
                }
                if (bias) {
                    grad[bOff + i] += d;
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int p = 0; p < b.examples() * positions; p++) {
            int xo = p * f;
            for (int i = 0; i < units; i++) {
                tape.begin(0);
                if (bias) {
                    tape.term(1, base + units * f + i);
                }
                int row = base + i * f;
                for (int j = 0; j < f; j++) {
                    tape.term(1, row + j, x[0][xo + j]);
                }
                y[p * units + i] = tape.end();
            }
        }
    }
}
