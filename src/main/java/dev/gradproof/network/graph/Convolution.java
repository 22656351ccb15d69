package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * {@code conv1d} and {@code conv2d}: PyTorch's cross-correlation with zero padding, stride and
 * dilation. A conv1d is a conv2d of height 1 (its [out, in, k] kernel has the layout of [out, in, 1, k]),
 * so one class serves both. y[o, oy, ox] = b[o] + Σ_c Σ_ky Σ_kx w[o, c, ky, kx]·x[c, oy·s − p + ky·d, ...],
 * summed in that order, padded positions skipped (they add zeros).
 */
@API(status = INTERNAL, since = "0.2")
public final class Convolution extends Layer {
    static final Catalogue.Entry ENTRY_2D = new Catalogue.Entry(LayerType.CONV2D, Set.of(),
            (o, in) -> new Convolution((ConvOptions) o, in),
            List.of(
                    Sample.of("conv2d 3x3", Shape.channels(2, 5, 5), 2,
                            b -> b.conv2d(null, 3, 3, 1, 0).activation(Activations.tanh())),
                    Sample.of("conv2d stride 2 with padding 1", Shape.channels(2, 6, 5), 2,
                            b -> b.conv2d(null, 2, 3, 2, 1)),
                    Sample.of("conv2d dilation 2", Shape.channels(1, 7, 6), 2,
                            b -> b.layer(null, new ConvOptions(2, 2, new int[] {3}, null, new int[] {1}, new int[] {2}, true))),
                    Sample.of("conv2d kernel = input", Shape.channels(2, 4, 3), 3,
                            b -> b.layer(null, new ConvOptions(2, 2, new int[] {4, 3}, null, null, null, true))),
                    Sample.of("conv2d rectangular kernel, stride and padding", Shape.channels(1, 5, 6), 2,
                            b -> b.layer(null, new ConvOptions(2, 2, new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 0},
                                    null, false)).activation(Activations.sigmoid())),
                    Sample.of("conv2d relu at exactly 0", Shape.channels(1, 4, 4), 2,
                            b -> b.conv2d(null, 2, 2, 1, 0).activation(Activations.relu()).flatten().dense(null, 2))
                            .withInputs(SampleData::coarse).withTheta(SampleData.INTEGER_WEIGHTS)),
            rnd -> random(rnd, 2));

    static final Catalogue.Entry ENTRY_1D = new Catalogue.Entry(LayerType.CONV1D, Set.of(),
            (o, in) -> new Convolution((ConvOptions) o, in),
            List.of(
                    Sample.of("conv1d stride 2 with padding 1", Shape.channels(2, 7), 2,
                            b -> b.conv1d(null, 3, 3, 2, 1).activation(Activations.tanh())),
                    Sample.of("conv1d dilation 3", Shape.channels(1, 9), 2,
                            b -> b.layer(null, new ConvOptions(1, 2, new int[] {3}, null, null, new int[] {3}, true))),
                    Sample.of("conv1d kernel = input", Shape.channels(3, 4), 2, b -> b.conv1d(null, 2, 4, 1, 0))),
            rnd -> random(rnd, 1));

    /** Random channels, sizes, kernel, stride, padding and dilation that fit together. */
    static Sample random(SplittableRandom rnd, int axes) {
        int c = 1 + rnd.nextInt(3);
        int out = 1 + rnd.nextInt(3);
        int[] size = new int[axes];
        int[] k = new int[axes];
        int[] s = new int[axes];
        int[] p = new int[axes];
        int[] d = new int[axes];
        for (int a = 0; a < axes; a++) {
            size[a] = 2 + rnd.nextInt(6);
            p[a] = rnd.nextInt(3);
            d[a] = 1 + rnd.nextInt(2);
            int span = size[a] + 2 * p[a];
            k[a] = 1 + rnd.nextInt(Math.max(1, Math.min(4, (span - 1) / d[a] + 1)));
            s[a] = 1 + rnd.nextInt(3);
        }
        int[] dims = new int[axes + 1];
        dims[0] = c;
        System.arraycopy(size, 0, dims, 1, axes);
        boolean bias = rnd.nextInt(4) > 0;
        ConvOptions o = new ConvOptions(axes, out, k, s, p, d, bias);
        return Sample.of(o.toString() + " on " + Arrays.toString(dims), Shape.channels(dims), 1 + rnd.nextInt(3),
                b -> b.layer(null, o).activation(Activations.tanh()));
    }

    private final int c;
    private final int h;
    private final int w;
    private final int outC;
    private final int oh;
    private final int ow;
    private final int kh;
    private final int kw;
    private final int sy;
    private final int sx;
    private final int py;
    private final int px;
    private final int dy;
    private final int dx;
    private final boolean bias;

    public Convolution(ConvOptions o, List<Shape> inputs) {
        super(o, inputs);
        boolean two = o.axes() == 2;
        Shape x = in[0];
        c = x.dim(0);
        h = two ? x.dim(1) : 1;
        w = two ? x.dim(2) : x.dim(1);
        outC = o.outChannels();
        oh = two ? out.dim(1) : 1;
        ow = two ? out.dim(2) : out.dim(1);
        int[] k = o.kernel();
        int[] s = o.stride();
        int[] p = o.padding();
        int[] d = o.dilation();
        kh = two ? k[0] : 1;
        kw = k[o.axes() - 1];
        sy = two ? s[0] : 1;
        sx = s[o.axes() - 1];
        py = two ? p[0] : 0;
        px = p[o.axes() - 1];
        dy = two ? d[0] : 1;
        dx = d[o.axes() - 1];
        bias = o.bias();
    }

    private int weight(int base, int o, int ci, int ky, int kx) {
        return base + ((o * c + ci) * kh + ky) * kw + kx;
    }

    private int biasOf(int base, int o) {
        return base + outC * c * kh * kw + o;
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            for (int o = 0; o < outC; o++) {
                channel(theta, base, x[0], y, b.row(r), o);
            }
        }
        return null;
    }

    /**
     * Output channel o of example n. Where four neighbouring outputs of a row see no horizontal padding
     * their sums run side by side (four independent chains, each in its own order: the same numbers).
     */
    private void channel(double[] theta, int base, double[] x, double[] y, int n, int o) {
        int xo = n * c * h * w;
        for (int oy = 0; oy < oh; oy++) {
            int yo = ((n * outC + o) * oh + oy) * ow;
            int ox = 0;
            while (ox < ow) {
                if (ox + 4 <= ow && ox * sx - px >= 0 && (ox + 3) * sx - px + (kw - 1) * dx < w) {
                    four(theta, base, x, y, xo, yo, o, oy, ox);
                    ox += 4;
                } else {
                    y[yo + ox] = one(theta, base, x, xo, o, oy, ox);
                    ox++;
                }
            }
        }
    }

    private double one(double[] theta, int base, double[] x, int xo, int o, int oy, int ox) {
        double s = 0;
        if (bias) {
            s += theta[biasOf(base, o)];
        }
        for (int ci = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sy - py + ky * dy;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ox * sx - px + kx * dx;
                    if (ix >= 0 && ix < w) {
                        s += theta[weight(base, o, ci, ky, kx)] * x[xo + (ci * h + iy) * w + ix];
                    }
                }
            }
        }
        return s;
    }

    private void four(double[] theta, int base, double[] x, double[] y, int xo, int yo, int o, int oy, int ox) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        if (bias) {
            double bv = theta[biasOf(base, o)];
            s0 += bv;
            s1 += bv;
            s2 += bv;
            s3 += bv;
        }
        for (int ci = 0; ci < c; ci++) {
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sy - py + ky * dy;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                int row = xo + (ci * h + iy) * w + ox * sx - px;
                int wi = weight(base, o, ci, ky, 0);
                for (int kx = 0; kx < kw; kx++) {
                    double wv = theta[wi + kx];
                    int at = row + kx * dx;
                    s0 += wv * x[at];
                    s1 += wv * x[at + sx];
                    s2 += wv * x[at + 2 * sx];
                    s3 += wv * x[at + 3 * sx];
                }
            }
        }
        y[yo + ox] = s0;
        y[yo + ox + 1] = s1;
        y[yo + ox + 2] = s2;
        y[yo + ox + 3] = s3;
    }

    /**
     * acc[ox] += W[o, ci, ky, kx]·v[ci, iy, ix] over the taps in order of (ci in {@code channels}, ky, kx) that
     * fall inside the input, for the outputs of row oy of channel o: each output adds its own terms in the
     * order {@link #one} would, but each tap runs across the row, a loop C2 vectorises at stride 1. It pays
     * where few input channels are summed (a finite difference's change in one channel); a whole channel
     * keeps {@link #four}'s chains, faster on short rows.
     */
    private void row(double[] theta, int base, double[] v, double[] acc, int o, int oy, int[] channels) {
        for (int ci : channels) {
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sy - py + ky * dy;
                if (iy < 0 || iy >= h) {
                    continue;
                }
                int rowAt = (ci * h + iy) * w;
                int wi = weight(base, o, ci, ky, 0);
                for (int kx = 0; kx < kw; kx++) {
                    // ix = ox·sx + shift must lie in [0, w): ox in [lo, hi).
                    int shift = kx * dx - px;
                    int lo = shift >= 0 ? 0 : (-shift + sx - 1) / sx;
                    int hi = w - 1 - shift < 0 ? 0 : Math.min(ow, (w - 1 - shift) / sx + 1);
                    double wv = theta[wi + kx];
                    int at = rowAt + shift;
                    if (sx == 1) {
                        for (int ox = lo; ox < hi; ox++) {
                            acc[ox] += wv * v[at + ox];
                        }
                    } else {
                        for (int ox = lo; ox < hi; ox++) {
                            acc[ox] += wv * v[at + ox * sx];
                        }
                    }
                }
            }
        }
    }

    private int channelOf(int local) {
        int perChannel = c * kh * kw;
        return local < outC * perChannel ? local / perChannel : local - outC * perChannel;
    }

    /** A kernel entry or bias reaches its output channel only. */
    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        int o = channelOf(local);
        for (int r = 0; r < b.count(); r++) {
            channel(theta, base, x[0], y, b.row(r), o);
        }
        return null;
    }

    @Override
    public int[] outputsReached(int local) {
        int o = channelOf(local);
        return IndexSets.range(o * oh * ow, (o + 1) * oh * ow);
    }

    /** y += the contribution of x − x unmoved in the input channels that changed, while they are few. */
    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        int[] channels = IndexSets.blocks(changed[0], h * w);
        if (channels.length * 2 > c) {
            return UNHANDLED;
        }
        double[] delta = new double[c * h * w];
        double[] acc = new double[ow];
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            int xo = n * c * h * w;
            for (int ci : channels) {
                for (int i = ci * h * w; i < (ci + 1) * h * w; i++) {
                    delta[i] = x[0][xo + i] - xBase[0][xo + i];
                }
            }
            for (int o = 0; o < outC; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    Arrays.fill(acc, 0.0);
                    row(theta, base, delta, acc, o, oy, channels);
                    int yo = ((n * outC + o) * oh + oy) * ow;
                    for (int ox = 0; ox < ow; ox++) {
                        y[yo + ox] += acc[ox];
                    }
                }
            }
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dyv, double[][] dxv,
                         double[] grad, Batch b) {
        double[] xs = x[0];
        double[] dxs = dxv[0];
        for (int n = 0; n < b.examples(); n++) {
            int xo = n * c * h * w;
            for (int o = 0; o < outC; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        double d = dyv[((n * outC + o) * oh + oy) * ow + ox];
                        if (d == 0) {
                            continue;
                        }
                        if (bias) {
                            grad[biasOf(base, o)] += d;
                        }
                        for (int ci = 0; ci < c; ci++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = oy * sy - py + ky * dy;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ox * sx - px + kx * dx;
                                    if (ix >= 0 && ix < w) {
                                        int wi = weight(base, o, ci, ky, kx);
                                        int xi = xo + (ci * h + iy) * w + ix;
                                        grad[wi] += d * xs[xi];
                                        if (dxs != null) {
                                            dxs[xi] += theta[wi] * d;
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        int[] xs = x[0];
        for (int n = 0; n < b.examples(); n++) {
            int xo = n * c * h * w;
            for (int o = 0; o < outC; o++) {
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        tape.begin(0);
                        if (bias) {
                            tape.term(1, biasOf(base, o));
                        }
                        for (int ci = 0; ci < c; ci++) {
                            for (int ky = 0; ky < kh; ky++) {
                                int iy = oy * sy - py + ky * dy;
                                if (iy < 0 || iy >= h) {
                                    continue;
                                }
                                for (int kx = 0; kx < kw; kx++) {
                                    int ix = ox * sx - px + kx * dx;
                                    if (ix >= 0 && ix < w) {
                                        tape.term(1, weight(base, o, ci, ky, kx), xs[xo + (ci * h + iy) * w + ix]);
                                    }
                                }
                            }
                        }
                        y[((n * outC + o) * oh + oy) * ow + ox] = tape.end();
                    }
                }
            }
        }
    }
}
