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
}
