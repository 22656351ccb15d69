package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.Dropout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.BatchNormOptions;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.LayerNormOptions;

/** Backward passes of batch norm, layer norm, dropout, embedding and add with one line changed. */
final class LayerBugs {
    private LayerBugs() {
    }

    /**
     * Batch norm's input gradient written by hand, with one of three classic slips: the batch mean and
     * variance treated as constants (dx = γ·r·dy, without the terms −Σg/M − x̂·Σ(g·x̂)/M that their
     * dependence on x adds), the full formula with dy where g = γ·dy belongs (γ forgotten), or the full
     * formula with r and x̂ from the unbiased variance Σd²/(M − 1) while the forward pass divides by M.
     */
    static final class BatchNormInput extends WrongBackward {
        enum Slip { CONSTANT_STATISTICS, GAMMA_FORGOTTEN, UNBIASED_VARIANCE }

        private final Slip slip;
        private final double eps;
        private final boolean affine;

        BatchNormInput(GraphNetwork g, GraphNode node, Slip slip) {
            super(g, node);
            this.slip = slip;
            BatchNormOptions o = (BatchNormOptions) node.options();
            eps = o.eps();
            affine = o.affine();
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            parametersOnly(theta, base, x, y, saved, dy, grad, b);
            if (dx[0] == null) {
                return;
            }
            int channels = inputs[0].dim(0);
            int positions = inputs[0].size() / channels;
            int n = b.examples();
            int m = n * positions;
            for (int ch = 0; ch < channels; ch++) {
                double mean = 0;
                for (int e = 0; e < n; e++) {
                    for (int s = 0; s < positions; s++) {
                        mean += x[0][(e * channels + ch) * positions + s] / m;
                    }
                }
                double variance = 0;
                int divisor = slip == Slip.UNBIASED_VARIANCE ? m - 1 : m;      // reference: m
                for (int e = 0; e < n; e++) {
                    for (int s = 0; s < positions; s++) {
                        double v = x[0][(e * channels + ch) * positions + s] - mean;
                        variance += v * v / divisor;
                    }
                }
                double r = 1 / Math.sqrt(variance + eps);
                double gamma = affine ? theta[base + ch] : 1;
                double sumG = 0;
                double sumGX = 0;
                for (int e = 0; e < n; e++) {
                    for (int s = 0; s < positions; s++) {
                        int i = (e * channels + ch) * positions + s;
                        sumG += dy[i];
                        sumGX += dy[i] * (x[0][i] - mean) * r;
                    }
                }
                for (int e = 0; e < n; e++) {
                    for (int s = 0; s < positions; s++) {
                        int i = (e * channels + ch) * positions + s;
                        double xhat = (x[0][i] - mean) * r;
                        // reference: r/M·(M·g − Σg − x̂·Σg·x̂), g = γ·dy
                        dx[0][i] += slip == Slip.CONSTANT_STATISTICS ? gamma * r * dy[i]
                                : slip == Slip.UNBIASED_VARIANCE ? gamma * r / m * (m * dy[i] - sumG - xhat * sumGX)
                                : r / m * (m * dy[i] - sumG - xhat * sumGX);
                    }
                }
            }
        }
    }

    /**
     * Dropout's backward pass with the inverted scale but not the mask: dx = dy/(1 − p) everywhere, so the
     * dropped units pass gradient they never contributed to the loss.
     */
    static final class DropoutMaskForgotten extends WrongBackward {
        private final double p;

        DropoutMaskForgotten(GraphNetwork g, GraphNode node) {
            super(g, node);
            p = ((DropoutOptions) node.options()).p();
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            if (dx[0] == null) {
                return;
            }
            for (int i = 0; i < dy.length; i++) {
                dx[0][i] += dy[i] / (1 - p);                   // reference: mask(n, i) * dy[i]
            }
        }
    }

    /** Dropout's backward pass with the mask but without the 1/(1 − p) scale the forward pass applied. */
    static final class DropoutScaleForgotten extends WrongBackward {
        private final double p;

        DropoutScaleForgotten(GraphNetwork g, GraphNode node) {
            super(g, node);
            p = ((DropoutOptions) node.options()).p();
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            if (dx[0] == null) {
                return;
            }
            int size = inputs[0].size();
            for (int n = 0; n < b.examples(); n++) {
                for (int i = 0; i < size; i++) {
                    boolean kept = Dropout.mask(b.seed(), b.layer(), n, i, p) != 0;
                    dx[0][n * size + i] += kept ? dy[n * size + i] : 0;   // reference: mask(n, i) * dy, mask = 1/(1 − p)
                }
            }
        }
    }

    /**
     * Dropout with p = 0 passed straight through in backward, as the identity it is (no mask drawn, no
     * scale): a correct shortcut.
     */
    static final class DropoutIdentity extends WrongBackward {
        DropoutIdentity(GraphNetwork g, GraphNode node) {
            super(g, node);
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
    }

    /**
     * The embedding's gradient scattered by assignment, {@code dW[ids] = dy}: a row used at several positions
     * keeps the last position's gradient instead of the sum.
     */
    static final class EmbeddingAssigned extends WrongBackward {
        private final int steps;
        private final int dim;

        EmbeddingAssigned(GraphNetwork g, GraphNode node) {
            super(g, node);
            steps = inputs[0].dim(0);
            dim = out.dim(out.rank() - 1);
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            for (int n = 0; n < b.examples(); n++) {
                for (int t = 0; t < steps; t++) {
                    int id = (int) x[0][n * steps + t];
                    for (int d = 0; d < dim; d++) {
                        grad[base + id * dim + d] = dy[(n * steps + t) * dim + d];     // reference: +=
                    }
                }
            }
        }
    }

    /** A residual add that passes the gradient to its branch only: the skip input's share is dropped. */
    static final class SkipDropped extends WrongBackward {
        private final int skip;

        SkipDropped(GraphNetwork g, GraphNode node, int skip) {
            super(g, node);
            this.skip = skip;
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            for (int k = 0; k < dx.length; k++) {
                if (dx[k] != null && k != skip) {              // reference: every input, the skip too
                    for (int i = 0; i < dy.length; i++) {
                        dx[k][i] += dy[i];
                    }
                }
            }
        }
    }

    /**
     * Layer norm over [T, F] (each step's F features normalised together) with an input gradient whose
     * statistics and sums run over the other axis, the T steps of one feature: the batch-norm backward
     * pasted into a layer norm, whose means sit on axis 0 of a [T, F] block instead of axis −1.
     */
    static final class LayerNormWrongAxis extends WrongBackward {
        private final int steps;
        private final int features;
        private final double eps;
        private final boolean affine;

        LayerNormWrongAxis(GraphNetwork g, GraphNode node) {
            super(g, node);
            steps = inputs[0].dim(0);
            features = inputs[0].dim(1);
            LayerNormOptions o = (LayerNormOptions) node.options();
            eps = o.eps();
            affine = o.affine();
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            parametersOnly(theta, base, x, y, saved, dy, grad, b);
            if (dx[0] == null) {
                return;
            }
            for (int n = 0; n < b.examples(); n++) {
                int xo = n * steps * features;
                // reference: a group is one step t, its values x[t, 0 .. F)
                for (int f = 0; f < features; f++) {
                    double mean = 0;
                    for (int t = 0; t < steps; t++) {
                        mean += x[0][xo + t * features + f] / steps;
                    }
                    double variance = 0;
                    for (int t = 0; t < steps; t++) {
                        double v = x[0][xo + t * features + f] - mean;
                        variance += v * v / steps;
                    }
                    double r = 1 / Math.sqrt(variance + eps);
                    double gamma = affine ? theta[base + f] : 1;
                    double sumG = 0;
                    double sumGX = 0;
                    for (int t = 0; t < steps; t++) {
                        int i = xo + t * features + f;
                        sumG += gamma * dy[i];
                        sumGX += gamma * dy[i] * (x[0][i] - mean) * r;
                    }
                    for (int t = 0; t < steps; t++) {
                        int i = xo + t * features + f;
                        double xhat = (x[0][i] - mean) * r;
                        dx[0][i] += r / steps * (steps * gamma * dy[i] - sumG - xhat * sumGX);
                    }
                }
            }
        }
    }
}
