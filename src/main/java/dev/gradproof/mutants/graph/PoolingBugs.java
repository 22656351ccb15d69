package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.PoolOptions;

/** Pooling backward passes written by hand: three bugs and a correct tie convention. */
final class PoolingBugs {
    private PoolingBugs() {
    }

    /** Windows over [C, H, W]: kernel, stride, padding (padded cells are not in the window). */
    abstract static class Windows extends WrongBackward {
        final int c;
        final int h;
        final int w;
        final int oh;
        final int ow;
        final int kh;
        final int kw;
        final int sy;
        final int sx;
        final int py;
        final int px;

        Windows(GraphNetwork g, GraphNode node) {
            super(g, node);
            PoolOptions o = (PoolOptions) node.options();
            c = inputs[0].dim(0);
            h = inputs[0].dim(1);
            w = inputs[0].dim(2);
            oh = out.dim(1);
            ow = out.dim(2);
            kh = o.kernel()[0];
            kw = o.kernel()[1];
            sy = o.stride()[0];
            sx = o.stride()[1];
            py = o.padding()[0];
            px = o.padding()[1];
        }

        /** The window's input indices within the example, row-major; returns how many. */
        int window(int ch, int oy, int ox, int[] into) {
            int count = 0;
            for (int ky = 0; ky < kh; ky++) {
                int iy = oy * sy - py + ky;
                for (int kx = 0; kx < kw; kx++) {
                    int ix = ox * sx - px + kx;
                    if (iy >= 0 && iy < h && ix >= 0 && ix < w) {
                        into[count++] = (ch * h + iy) * w + ix;
                    }
                }
            }
            return count;
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            if (dx[0] == null) {
                return;
            }
            int[] win = new int[kh * kw];
            for (int n = 0; n < b.examples(); n++) {
                int xo = n * c * h * w;
                for (int ch = 0; ch < c; ch++) {
                    for (int oy = 0; oy < oh; oy++) {
                        for (int ox = 0; ox < ow; ox++) {
                            int count = window(ch, oy, ox, win);
                            route(x[0], xo, win, count, dy[((n * c + ch) * oh + oy) * ow + ox], dx[0]);
                        }
                    }
                }
            }
        }

        /** Sends one output's gradient g back to its window's cells {@code win[0 .. count)} of the example at xo. */
        abstract void route(double[] x, int xo, int[] win, int count, double g, double[] dx);
    }

    /**
     * The whole gradient to every cell of the window: max pooling treated as a sum (reference: only the
     * argmax's cell), or average pooling without its 1/(kh·kw) (reference: g / (kh * kw) to each cell).
     */
    static final class ToEveryCell extends Windows {
        ToEveryCell(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        void route(double[] x, int xo, int[] win, int count, double g, double[] dx) {
            for (int i = 0; i < count; i++) {
                dx[xo + win[i]] += g;
            }
        }
    }

    /** Max pooling routing a tie to the last maximum in row-major order (the reference: the first). */
    static final class MaxLastTie extends Windows {
        MaxLastTie(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        void route(double[] x, int xo, int[] win, int count, double g, double[] dx) {
            int best = 0;
            for (int i = 1; i < count; i++) {
                if (x[xo + win[i]] >= x[xo + win[best]]) {     // reference: >
                    best = i;
                }
            }
            dx[xo + win[best]] += g;
        }
    }

    /** Max pooling's gradient to the window's first cell, whichever held the maximum. */
    static final class MaxToFirstCell extends Windows {
        MaxToFirstCell(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        void route(double[] x, int xo, int[] win, int count, double g, double[] dx) {
            dx[xo + win[0]] += g;                              // reference: dx[xo + win[argmax]] += g
        }
    }

    /** Max pooling giving a tie's gradient to every maximum of the window, so a tie of two counts it twice. */
    static final class MaxEveryTie extends Windows {
        MaxEveryTie(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        void route(double[] x, int xo, int[] win, int count, double g, double[] dx) {
            double max = Double.NEGATIVE_INFINITY;
            for (int i = 0; i < count; i++) {
                max = Math.max(max, x[xo + win[i]]);
            }
            for (int i = 0; i < count; i++) {
                if (x[xo + win[i]] == max) {                   // reference: only the first i with x == max
                    dx[xo + win[i]] += g;
                }
            }
        }
    }
}
