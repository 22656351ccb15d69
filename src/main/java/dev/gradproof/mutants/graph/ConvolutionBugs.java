package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.ConvOptions;

/** Convolution backward passes with one line wrong; the geometry as PyTorch's (a conv1d has height 1). */
final class ConvolutionBugs {
    private ConvolutionBugs() {
    }

    /** The index arithmetic of one convolution: [C, H, W] in, [O, H', W'] out, kernel, stride, padding, dilation. */
    abstract static class Geometry extends WrongBackward {
        final int c;
        final int h;
        final int w;
        final int outC;
        final int oh;
        final int ow;
        final int kh;
        final int kw;
        final int sy;
        final int sx;
        final int py;
        final int px;
        final int dy;
        final int dx;
        final boolean bias;

        Geometry(GraphNetwork g, GraphNode node) {
            super(g, node);
            ConvOptions o = (ConvOptions) node.options();
            boolean two = o.axes() == 2;
            c = inputs[0].dim(0);
            h = two ? inputs[0].dim(1) : 1;
            w = inputs[0].dim(o.axes());
            outC = o.outChannels();
            oh = two ? out.dim(1) : 1;
            ow = out.dim(o.axes());
            kh = two ? o.kernel()[0] : 1;
            kw = o.kernel()[o.axes() - 1];
            sy = two ? o.stride()[0] : 1;
            sx = o.stride()[o.axes() - 1];
            py = two ? o.padding()[0] : 0;
            px = o.padding()[o.axes() - 1];
            dy = two ? o.dilation()[0] : 1;
            dx = o.dilation()[o.axes() - 1];
            bias = o.bias();
        }

        int weight(int base, int o, int ci, int ky, int kx) {
            return base + ((o * c + ci) * kh + ky) * kw + kx;
        }

        int biasOf(int base, int o) {
            return base + outC * c * kh * kw + o;
        }
    }

    /**
     * The input gradient as a correlation with the kernel as stored, not flipped: each output's gradient
     * goes back to the input it read at kernel position (ky, kx) weighted by w[kh−1−ky, kw−1−kx].
     */
    static final class InputNoFlip extends Geometry {
        InputNoFlip(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] d, double[][] dxs,
                             double[] grad, Batch b) {
            parametersOnly(theta, base, x, y, saved, d, grad, b);
            if (dxs[0] == null) {
                return;
            }
            for (int n = 0; n < b.examples(); n++) {
                for (int o = 0; o < outC; o++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            double g = d[((n * outC + o) * oh + oy) * ow + ox];
                            for (int ci = 0; ci < c; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    int iy = oy * sy - py + ky * dy;
                                    for (int kx = 0; kx < kw; kx++) {
                                        int ix = ox * sx - px + kx * dx;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            // reference: theta[weight(base, o, ci, ky, kx)]
                                            dxs[0][((n * c + ci) * h + iy) * w + ix] +=
                                                    theta[weight(base, o, ci, kh - 1 - ky, kw - 1 - kx)] * g;
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

    /** The bias gradient averaged over the output positions instead of summed: 1/(H'·W') too small. */
    static final class BiasMean extends Geometry {
        BiasMean(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] d, double[][] dxs,
                             double[] grad, Batch b) {
            reference.backward(theta, base, x, y, saved, d, dxs, grad, b);
            if (bias) {
                for (int o = 0; o < outC; o++) {
                    grad[biasOf(base, o)] /= oh * ow;
                }
            }
        }
    }

    /**
     * The weight gradient (and, for dilation, the input gradient too) with one of the window's offsets
     * taken from a simpler convolution than the forward pass's: x is read at oy − p + ky·d (stride 1), at
     * oy·s + ky·d (padding forgotten), or at oy·s − p + ky (dilation 1) instead of at oy·s − p + ky·d.
     */
    static final class OffsetsIgnored extends Geometry {
        enum Slip { STRIDE, PADDING, DILATION }

        private final Slip slip;

        OffsetsIgnored(GraphNetwork g, GraphNode node, Slip slip) {
            super(g, node);
            this.slip = slip;
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] d,
                             double[][] dxs, double[] grad, Batch b) {
            int wsy = slip == Slip.STRIDE ? 1 : sy;
            int wsx = slip == Slip.STRIDE ? 1 : sx;
            int wpy = slip == Slip.PADDING ? 0 : py;
            int wpx = slip == Slip.PADDING ? 0 : px;
            int wdy = slip == Slip.DILATION ? 1 : dy;
            int wdx = slip == Slip.DILATION ? 1 : dx;
            boolean inputToo = slip == Slip.DILATION;
            for (int n = 0; n < b.examples(); n++) {
                int xo = n * c * h * w;
                for (int o = 0; o < outC; o++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            double g = d[((n * outC + o) * oh + oy) * ow + ox];
                            if (bias) {
                                grad[biasOf(base, o)] += g;
                            }
                            for (int ci = 0; ci < c; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int wi = weight(base, o, ci, ky, kx);
                                        // reference: iy = oy * sy - py + ky * dy, ix = ox * sx - px + kx * dx
                                        int iy = oy * wsy - wpy + ky * wdy;
                                        int ix = ox * wsx - wpx + kx * wdx;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            grad[wi] += g * x[0][xo + (ci * h + iy) * w + ix];
                                            if (inputToo && dxs[0] != null) {
                                                dxs[0][xo + (ci * h + iy) * w + ix] += theta[wi] * g;
                                            }
                                        }
                                        int ry = oy * sy - py + ky * dy;
                                        int rx = ox * sx - px + kx * dx;
                                        if (!inputToo && dxs[0] != null && ry >= 0 && ry < h && rx >= 0 && rx < w) {
                                            dxs[0][xo + (ci * h + ry) * w + rx] += theta[wi] * g;
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

    /**
     * The reference backward pass computed in float32: dy, x and w rounded to float, every product and sum a
     * float, each gradient added to the engine's once at the end. A correct variant under the float32
     * contract (unit roundoff 2^-24), which must never be flagged.
     */
    static final class Float32 extends Geometry {
        Float32(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] d,
                             double[][] dxs, double[] grad, Batch b) {
            float[] gw = new float[outC * c * kh * kw];
            float[] gb = new float[outC];
            float[] fdx = dxs[0] == null ? null : new float[dxs[0].length];
            for (int n = 0; n < b.examples(); n++) {
                int xo = n * c * h * w;
                for (int o = 0; o < outC; o++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            float g = (float) d[((n * outC + o) * oh + oy) * ow + ox];
                            gb[o] += g;
                            for (int ci = 0; ci < c; ci++) {
                                for (int ky = 0; ky < kh; ky++) {
                                    for (int kx = 0; kx < kw; kx++) {
                                        int iy = oy * sy - py + ky * dy;
                                        int ix = ox * sx - px + kx * dx;
                                        if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                                            int wi = weight(0, o, ci, ky, kx);
                                            int xi = xo + (ci * h + iy) * w + ix;
                                            gw[wi] += g * (float) x[0][xi];
                                            if (fdx != null) {
                                                fdx[xi] += (float) theta[base + wi] * g;
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < gw.length; i++) {
                grad[base + i] += gw[i];
            }
            for (int o = 0; bias && o < outC; o++) {
                grad[biasOf(base, o)] += gb[o];
            }
            for (int i = 0; fdx != null && i < fdx.length; i++) {
                dxs[0][i] += fdx[i];
            }
        }
    }
}
