package dev.gradproof.network.graph;

import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.SplittableRandom;

/** How samples draw inputs and targets. */
public final class SampleData {
    private SampleData() {
    }

    /** Box–Muller, independent of java.util.Random. */
    public static double gaussian(SplittableRandom rnd) {
        return Math.sqrt(-2 * Math.log1p(-rnd.nextDouble())) * Math.cos(2 * Math.PI * rnd.nextDouble());
    }

    public static double[] normal(Shape shape, int examples, SplittableRandom rnd) {
        double[] x = new double[shape.size() * examples];
        for (int i = 0; i < x.length; i++) {
            x[i] = gaussian(rnd);
        }
        return x;
    }

    /** Token ids from a small vocabulary, so ids repeat within and across examples. */
    public static Sample.Inputs tokens(int vocabulary) {
        return (shape, examples, rnd) -> {
            double[] x = new double[shape.size() * examples];
            for (int i = 0; i < x.length; i++) {
                x[i] = rnd.nextInt(vocabulary);
            }
            // At least one repeat on purpose: an embedding gradient must accumulate, not assign.
            if (x.length > 1) {
                x[x.length - 1] = x[0];
            }
            return x;
        };
    }

    /** Integers in [−2, 2]: equal values everywhere, so max-pool windows tie and ReLUs sit at exactly 0. */
    public static double[] coarse(Shape shape, int examples, SplittableRandom rnd) {
        double[] x = new double[shape.size() * examples];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextInt(5) - 2;
        }
        return x;
    }

    /** Integer weights and zero biases: on integer inputs many sums are exactly 0, or exactly equal. */
    public static final Sample.ThetaFix INTEGER_WEIGHTS = (layout, theta) -> {
        for (int p = 0; p < theta.length; p++) {
            theta[p] = layout.isBias(p) ? 0 : Math.rint(2 * theta[p]);
        }
    };

    /** Targets that suit the network's loss: one-hot classes, distributions, 0/1, or normal values. */
    public static double[] targets(GraphNetwork g, int examples, SplittableRandom rnd) {
        LossHead head = g.head();
        int k = head.width();
        double[] y = new double[examples * g.outputShape().size()];
        LossOptions.Kind kind = head.options().kind();
        for (int off = 0; off < y.length; off += k) {
            switch (kind) {
                case SOFTMAX_CROSS_ENTROPY, HINGE -> y[off + rnd.nextInt(k)] = 1;
                case KL_DIVERGENCE -> distribution(y, off, k, rnd);
                case BINARY_CROSS_ENTROPY -> {
                    for (int i = 0; i < k; i++) {
                        y[off + i] = rnd.nextBoolean() ? 1 : 0;
                    }
                }
                default -> {
                    for (int i = 0; i < k; i++) {
                        y[off + i] = gaussian(rnd);
                    }
                }
            }
        }
        return y;
    }

    /** A probability vector with a zero entry now and then (0·log 0 = 0 must hold). */
    private static void distribution(double[] y, int off, int k, SplittableRandom rnd) {
        double s = 0;
        for (int i = 0; i < k; i++) {
            y[off + i] = k > 1 && rnd.nextInt(4) == 0 ? 0 : Math.exp(gaussian(rnd));
            s += y[off + i];
        }
        if (s == 0) {
            y[off] = 1;
            return;
        }
        for (int i = 0; i < k; i++) {
            y[off + i] /= s;
        }
    }
}
