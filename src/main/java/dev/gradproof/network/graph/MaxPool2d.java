package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * {@code max_pool2d}: the maximum of each window, padding ignored (PyTorch pads with −∞). Of equal
 * maxima the first in row-major window order is taken, as PyTorch's CPU kernel does (it replaces the
 * running maximum only on a strictly greater value); the backward pass routes the gradient there. The
 * argmax is saved for the backward pass and for the finite difference's tie check.
 */
@API(status = INTERNAL, since = "0.2")
public final class MaxPool2d extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.MAX_POOL2D, Set.of(Catalogue.Flag.KINKS),
            (o, in) -> new MaxPool2d((PoolOptions) o, in),
            List.of(
                    Sample.of("max_pool2d 2x2 after conv2d", Shape.channels(1, 6, 6), 2,
                            b -> b.conv2d(null, 2, 3, 1, 0).maxPool2d(2)),
                    Sample.of("max_pool2d 3x3 stride 1 padding 1 (overlapping)", Shape.channels(2, 4, 5), 2,
                            b -> b.conv2d(null, 2, 1, 1, 0).activation(Activations.tanh())
                                    .layer(null, new PoolOptions(true, new int[] {3}, new int[] {1}, new int[] {1}))),
                    Sample.of("max_pool2d over tied maxima", Shape.channels(1, 4, 4), 3,
                            b -> b.conv2d(null, 2, 1, 1, 0).maxPool2d(2).flatten().dense(null, 2))
                            .withInputs(SampleData::coarse).withTheta(SampleData.INTEGER_WEIGHTS),
                    Sample.of("max_pool2d over a constant region", Shape.channels(1, 4, 4), 2,
                            b -> b.conv2d(null, 1, 1, 1, 0).maxPool2d(2).flatten().dense(null, 2))
                            .withInputs((shape, n, rnd) -> new double[shape.size() * n])),
            rnd -> random(rnd, true));

    /** A conv2d with a 1x1 kernel (so parameters sit below the pooling) then a random pooling. */
    static Sample random(SplittableRandom rnd, boolean max) {
        int c = 1 + rnd.nextInt(2);
        int h = 2 + rnd.nextInt(5);
        int w = 2 + rnd.nextInt(5);
        int[] k = {1 + rnd.nextInt(Math.min(3, h)), 1 + rnd.nextInt(Math.min(3, w))};
        int[] s = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
        int[] p = {rnd.nextInt(k[0] / 2 + 1), rnd.nextInt(k[1] / 2 + 1)};
        PoolOptions o = new PoolOptions(max, k, s, p);
        return Sample.of(o + " on " + Arrays.toString(new int[] {c, h, w}), Shape.channels(c, h, w), 1 + rnd.nextInt(3),
                b -> b.conv2d(null, c, 1, 1, 0).layer(null, o));
    }

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

    public MaxPool2d(PoolOptions o, List<Shape> inputs) {
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
    }

    /** The window's input indices (within the example), row-major, padding left out; returns how many. */
    private int window(int ch, int oy, int ox, int[] into) {
        int count = 0;
        for (int ky = 0; ky < kh; ky++) {
            int iy = oy * sy - py + ky;
            if (iy < 0 || iy >= h) {
                continue;
            }
            for (int kx = 0; kx < kw; kx++) {
                int ix = ox * sx - px + kx;
                if (ix >= 0 && ix < w) {
                    into[count++] = (ch * h + iy) * w + ix;
                }
            }
        }
        return count;
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        int[] argmax = new int[y.length];
        int[] win = new int[kh * kw];
        for (int r = 0; r < b.count(); r++) {
            for (int ch = 0; ch < c; ch++) {
                pool(x[0], y, argmax, win, b.row(r), ch);
            }
        }
        return argmax;
    }

    /** Channel ch of example n: each window's first maximum. */
    private void pool(double[] x, double[] y, int[] argmax, int[] win, int n, int ch) {
        int xo = n * c * h * w;
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                int count = window(ch, oy, ox, win);
                int best = xo + win[0];
                for (int i = 1; i < count; i++) {
                    if (x[xo + win[i]] > x[best]) {
                        best = xo + win[i];
                    }
                }
                int at = ((n * c + ch) * oh + oy) * ow + ox;
                y[at] = x[best];
                argmax[at] = best;
            }
        }
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return IndexSets.expand(IndexSets.blocks(changed, h * w), oh * ow);
    }

    /** Only the channels whose input changed. */
    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        int[] argmax = ((int[]) saved).clone();
        int[] win = new int[kh * kw];
        for (int r = 0; r < b.count(); r++) {
            for (int ch : IndexSets.blocks(changed[0], h * w)) {
                pool(x[0], y, argmax, win, b.row(r), ch);
            }
        }
        return argmax;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        int[] argmax = (int[]) saved;
        if (dx[0] != null) {
            for (int i = 0; i < dy.length; i++) {
                dx[0][argmax[i]] += dy[i];
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        int[] win = new int[kh * kw];
        int[] nodes = new int[kh * kw];
        for (int n = 0; n < b.examples(); n++) {
            int xo = n * c * h * w;
            for (int ch = 0; ch < c; ch++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int count = window(ch, oy, ox, win);
                        for (int i = 0; i < count; i++) {
                            nodes[i] = x[0][xo + win[i]];
                        }
                        y[((n * c + ch) * oh + oy) * ow + ox] = tape.max(nodes, count);
                    }
                }
            }
        }
    }

    /** The same argmax at every recomputed output, or a tie (or a new maximum) was crossed. */
    @Override
    public boolean sameBranches(Object base, Object moved, Batch b) {
        int[] a0 = (int[]) base;
        int[] a1 = (int[]) moved;
        int per = c * oh * ow;
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int i = n * per; i < (n + 1) * per; i++) {
                if (a0[i] != a1[i]) {
                    return false;
                }
            }
        }
        return true;
    }
}
