package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.FlattenOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/** {@code flatten}: the same numbers, read as one feature vector; no arithmetic, so no rounding. */
@API(status = INTERNAL, since = "0.2")
public final class Flatten extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.FLATTEN, Set.of(),
            (o, in) -> new Flatten((FlattenOptions) o, in),
            List.of(Sample.of("flatten a sequence", Shape.sequence(3, 2), 2,
                    b -> b.dense(null, 3).activation(Activations.tanh()).flatten().dense(null, 2))),
            rnd -> {
                int t = 1 + rnd.nextInt(3);
                int f = 1 + rnd.nextInt(3);
                return Sample.of("flatten [" + t + ", " + f + "]", Shape.sequence(t, f), 1 + rnd.nextInt(3),
                        b -> b.dense(null, 2).flatten().dense(null, 2));
            });

    private final int size;

    public Flatten(FlattenOptions o, List<Shape> inputs) {
        super(o, inputs);
        size = out.size();
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            System.arraycopy(x[0], n * size, y, n * size, size);
        }
        return null;
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return changed;
    }

    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int o = b.row(r) * size;
            for (int i : changed[0]) {
                y[o + i] = x[0][o + i];
            }
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        if (dx[0] != null) {
            for (int i = 0; i < dy.length; i++) {
                dx[0][i] += dy[i];
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        System.arraycopy(x[0], 0, y, 0, y.length);
    }
}
