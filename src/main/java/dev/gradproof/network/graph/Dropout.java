package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code dropout} with a fixed mask: y = m·x with m = 1/(1 − p) where kept, 0 where dropped. Whether
 * element i of example n is kept is a hash of (trial seed, layer, n, i) against p: no state, the same
 * mask in every pass of a trial (forward, backward, tape, finite differences), another one per layer.
 */
@API(status = INTERNAL, since = "0.2")
public final class Dropout extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.DROPOUT, Set.of(Catalogue.Flag.RANDOM_MASK),
            (o, in) -> new Dropout((DropoutOptions) o, in),
            List.of(
                    Sample.of("dropout 0.5 between dense layers", Shape.features(4), 3,
                            b -> b.dense(null, 6).activation(Activations.tanh()).dropout(0.5).dense(null, 2)),
                    Sample.of("dropout 0 keeps everything", Shape.sequence(2, 3), 2,
                            b -> b.dense(null, 3).dropout(0))),
            rnd -> {
                double p = rnd.nextInt(4) * 0.25;
                int f = 1 + rnd.nextInt(6);
                return Sample.of("dropout " + p + " on " + f, Shape.features(f), 1 + rnd.nextInt(4),
                        b -> b.dense(null, f).dropout(p).dense(null, 2));
            });

    private final double p;
    private final double keep;
    private final int size;

    public Dropout(DropoutOptions o, List<Shape> inputs) {
        super(o, inputs);
        p = o.p();
        keep = 1 / (1 - p);
        size = out.size();
    }

    /** The multiplier of element i of example n: 1/(1 − p) or 0. */
    public static double mask(long seed, int layer, int example, int i, double p) {
        long z = seed ^ (0x9E3779B97F4A7C15L * layer) ^ (0xBF58476D1CE4E5B9L * (((long) example << 32) + i));
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        z ^= z >>> 31;
        double u = (z >>> 11) * 0x1.0p-53;
        return u < p ? 0 : 1 / (1 - p);
    }

    private double m(Batch b, int n, int i) {
        return p == 0 ? keep : mask(b.seed(), b.layer(), n, i, p);
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int i = 0; i < size; i++) {
                y[n * size + i] = m(b, n, i) * x[0][n * size + i];
            }
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
            int n = b.row(r);
            for (int i : changed[0]) {
                y[n * size + i] = m(b, n, i) * x[0][n * size + i];
            }
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        if (dx[0] == null) {
            return;
        }
        for (int n = 0; n < b.examples(); n++) {
            for (int i = 0; i < size; i++) {
                dx[0][n * size + i] += m(b, n, i) * dy[n * size + i];
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            for (int i = 0; i < size; i++) {
                y[n * size + i] = tape.scale(m(b, n, i), x[0][n * size + i]);
            }
        }
    }
}
