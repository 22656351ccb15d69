package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.SplittableRandom;
import java.util.Random;
import org.apiguardian.api.API;

/** How samples draw inputs and targets. */
@API(status = INTERNAL, since = "0.2")
public final class SampleData {
    private SampleData() {
    }

    /** Box–Muller, independent of Random. */
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

    /**
     * Integer weights, zero biases and shifts (scales left as drawn): on integer inputs many sums are then
     * exactly 0, or exactly equal.
     */
    public static final Sample.ThetaFix INTEGER_WEIGHTS = (layout, theta) -> {
        for (int p = 0; p < theta.length; p++) {
            switch (layout.tensorOf(p).tensor().role()) {
                case WEIGHT -> theta[p] = Math.rint(2 * theta[p]);
                case BIAS, SHIFT -> theta[p] = 0;
                default -> { }
            }
        }
    };

    /**
     * Integers mirrored across the batch (example N−1−n is minus example n, a middle example is 0): a
     * linear layer's outputs then have a batch mean of exactly 0, and the middle example normalises to
     * exactly 0.
     */
    public static double[] symmetric(Shape shape, int examples, SplittableRandom rnd) {
        int size = shape.size();
        double[] x = new double[size * examples];
        for (int n = 0; n < examples / 2; n++) {
            for (int i = 0; i < size; i++) {
                double v = rnd.nextInt(5) - 2;
                x[n * size + i] = v;
                x[(examples - 1 - n) * size + i] = -v;
            }
        }
        return x;
    }

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
