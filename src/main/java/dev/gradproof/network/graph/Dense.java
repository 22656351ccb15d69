package dev.gradproof.network.graph;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.DenseOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;

/**
 * {@code dense}: y = W x + b on every position (one for a vector, T for a sequence). W [units, F] is
 * row-major, then b.
 */
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
        for (int r = 0; r < b.count(); r++) {
            for (int i = 0; i < units; i++) {
                unit(theta, base, x[0], y, b.row(r), i);
            }
        }
        return null;
    }

    /** Unit i of example n at every position: s = b_i, then s += W[i,j]·x_j in order of j. */
    private void unit(double[] theta, int base, double[] x, double[] y, int n, int i) {
        int row = base + i * f;
        int bi = base + units * f + i;
        for (int t = 0; t < positions; t++) {
            int xo = (n * positions + t) * f;
            double s = 0;
            if (bias) {
                s += theta[bi];
            }
            for (int j = 0; j < f; j++) {
                s += theta[row + j] * x[xo + j];
            }
            y[(n * positions + t) * units + i] = s;
        }
    }

    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Batch b) {
        int i = local < units * f ? local / f : local - units * f;
        for (int r = 0; r < b.count(); r++) {
            unit(theta, base, x[0], y, b.row(r), i);
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
