package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.GlobalAvgPoolOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/** {@code global_avg_pool}: per channel Σ (1/S)·x over its S spatial positions, [C, ...] → [C]. */
@API(status = INTERNAL, since = "0.2")
public final class GlobalAvgPool extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.GLOBAL_AVG_POOL, Set.of(),
            (o, in) -> new GlobalAvgPool((GlobalAvgPoolOptions) o, in),
            List.of(
                    Sample.of("global_avg_pool after conv2d", Shape.channels(2, 4, 3), 2,
                            b -> b.conv2d(null, 3, 2, 1, 0).activation(Activations.tanh()).globalAvgPool().dense(null, 2)),
                    Sample.of("global_avg_pool after conv1d", Shape.channels(1, 6), 2,
                            b -> b.conv1d(null, 2, 3, 1, 1).globalAvgPool())),
            rnd -> {
                int c = 1 + rnd.nextInt(3);
                int h = 1 + rnd.nextInt(4);
                int w = 1 + rnd.nextInt(4);
                return Sample.of("global_avg_pool on [" + c + ", " + h + ", " + w + "]", Shape.channels(c, h, w),
                        1 + rnd.nextInt(3), b -> b.conv2d(null, 2, 1, 1, 0).globalAvgPool());
            });

    private final int c;
    private final int spatial;
    private final double scale;

    public GlobalAvgPool(GlobalAvgPoolOptions o, List<Shape> inputs) {
        super(o, inputs);
        c = in[0].dim(0);
        spatial = in[0].size() / c;
        scale = 1.0 / spatial;
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            for (int ch = 0; ch < c; ch++) {
                pool(x[0], y, b.row(r), ch);
            }
        }
        return null;
    }

    private void pool(double[] x, double[] y, int n, int ch) {
        int xo = (n * c + ch) * spatial;
        double s = 0;
        for (int i = 0; i < spatial; i++) {
            s += scale * x[xo + i];
        }
        y[n * c + ch] = s;
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return IndexSets.blocks(changed, spatial);
    }

    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            for (int ch : IndexSets.blocks(changed[0], spatial)) {
                pool(x[0], y, b.row(r), ch);
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
        for (int q = 0; q < dy.length; q++) {
            double d = dy[q] * scale;
            for (int i = 0; i < spatial; i++) {
                dx[0][q * spatial + i] += d;
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int q = 0; q < y.length; q++) {
            tape.begin(0);
            for (int i = 0; i < spatial; i++) {
                tape.term(scale, x[0][q * spatial + i]);
            }
            y[q] = tape.end();
        }
    }
}
