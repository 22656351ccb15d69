package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import java.util.function.IntConsumer;
import org.apiguardian.api.API;

/**
 * {@code avg_pool2d}: each window's sum times 1/(kh·kw), padding counted as zeros (PyTorch's default
 * {@code count_include_pad=True}: the divisor is always the kernel's area). Summed as Σ (1/(kh·kw))·x,
 * the order the tape records.
 */
@API(status = INTERNAL, since = "0.2")
public final class AvgPool2d extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.AVG_POOL2D, Set.of(),
            (o, in) -> new AvgPool2d((PoolOptions) o, in),
            List.of(
                    Sample.of("avg_pool2d 2x2 after conv2d", Shape.channels(1, 5, 4), 2,
                            b -> b.conv2d(null, 2, 2, 1, 0).avgPool2d(2)),
                    Sample.of("avg_pool2d 3x3 stride 2 padding 1 (padding counted)", Shape.channels(2, 5, 5), 2,
                            b -> b.conv2d(null, 2, 1, 1, 0)
                                    .layer(null, new PoolOptions(false, new int[] {3}, new int[] {2}, new int[] {1})))),
            rnd -> MaxPool2d.random(rnd, false));

    private final int c;
    private final int h;
    private final int w;
    private final int oh;
    private final int ow;
    private final int kh;
    private final int kw;
    private final int sy;
    private final int sx;
    private final int py;
    private final int px;
    private final double scale;

    public AvgPool2d(PoolOptions o, List<Shape> inputs) {
        super(o, inputs);
        c = in[0].dim(0);
        h = in[0].dim(1);
        w = in[0].dim(2);
        oh = out.dim(1);
        ow = out.dim(2);
        kh = o.kernel()[0];
        kw = o.kernel()[1];
        sy = o.stride()[0];
        sx = o.stride()[1];
        py = o.padding()[0];
        px = o.padding()[1];
        scale = 1.0 / (kh * kw);
    }

    /** Calls visit(input index within the example) for each window entry inside the input, row-major. */
    private void window(int ch, int oy, int ox, IntConsumer visit) {
        for (int ky = 0; ky < kh; ky++) {
            int iy = oy * sy - py + ky;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int kx = 0; kx < kw; kx++) {
                int ix = ox * sx - px + kx;
                if (ix >= 0 && ix < w) {
                    visit.accept((ch * h + iy) * w + ix);
                }
            }
        }
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
        int xo = n * c * h * w;
        double[] s = new double[1];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                s[0] = 0;
                window(ch, oy, ox, i -> s[0] += scale * x[xo + i]);
                y[((n * c + ch) * oh + oy) * ow + ox] = s[0];
            }
        }
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return IndexSets.expand(IndexSets.blocks(changed, h * w), oh * ow);
    }

    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            for (int ch : IndexSets.blocks(changed[0], h * w)) {
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
        for (int n = 0; n < b.examples(); n++) {
            int xo = n * c * h * w;
            for (int ch = 0; ch < c; ch++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double d = dy[((n * c + ch) * oh + oy) * ow + ox] * scale;
                        window(ch, oy, ox, i -> dx[0][xo + i] += d);
                    }
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            int xo = n * c * h * w;
            for (int ch = 0; ch < c; ch++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        tape.begin(0);
                        window(ch, oy, ox, i -> tape.term(scale, x[0][xo + i]));
                        y[((n * c + ch) * oh + oy) * ow + ox] = tape.end();
                    }
                }
            }
        }
    }
}
