package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Dataset;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.Spec;
import org.apiguardian.api.API;

/**
 * What a training run is judged by at the end: classification (accuracy) when the loss is a
 * cross-entropy or every target is 0 or 1 (XOR, two moons), regression (RMSE) otherwise (sine).
 */
@API(status = INTERNAL, since = "0.2")
public enum Task {
    CLASSIFICATION("accuracy"), REGRESSION("RMSE");

    private final String metric;

    Task(String metric) {
        this.metric = metric;
    }

    /** {@code accuracy} or {@code RMSE}. */
    public String metric() {
        return metric;
    }

    public static Task of(Spec spec, Dataset data) {
        LossSpec.LossType t = spec.loss().type();
        if (t == LossSpec.LossType.BINARY_CROSS_ENTROPY || t == LossSpec.LossType.SOFTMAX_CROSS_ENTROPY) {
            return CLASSIFICATION;
        }
        for (double y : data.y()) {
            if (y != 0 && y != 1) {
                return REGRESSION;
            }
        }
        return CLASSIFICATION;
    }

    /**
     * The metric of outputs {@code a} (N×k, row-major) against the targets. Accuracy: one output →
     * threshold 0.5; one-hot targets → argmax; other 0/1 targets → each entry thresholded at 0.5.
     * RMSE: over every example and output. A non-finite output counts as wrong (accuracy) or makes
     * the RMSE NaN.
     */
    public double score(double[] a, Dataset data) {
        int n = data.examples();
        int k = data.outputs();
        double[] y = data.y();
        if (this == REGRESSION) {
            double s = 0;
            for (int p = 0; p < n * k; p++) {
                double d = a[p] - y[p];
                s += d * d;
            }
            return Math.sqrt(s / (n * k));
        }
        if (k > 1 && oneHot(y, n, k)) {
            int right = 0;
            for (int e = 0; e < n; e++) {
                int best = -1;
                double max = Double.NEGATIVE_INFINITY;
                int target = 0;
                for (int i = 0; i < k; i++) {
                    if (a[e * k + i] > max) {
                        max = a[e * k + i];
                        best = i;
                    }
                    if (y[e * k + i] > y[e * k + target]) {
                        target = i;
                    }
                }
                right += best == target ? 1 : 0;
            }
            return (double) right / n;
        }
        int right = 0;
        for (int p = 0; p < n * k; p++) {
            boolean predicted = a[p] >= 0.5; // false for NaN
            boolean actual = y[p] >= 0.5;
            right += Double.isFinite(a[p]) && predicted == actual ? 1 : 0;
        }
        return (double) right / (n * k);
    }

    /**
     * How {@link #score} judges this data, for a reader of the results: e.g. {@code the largest of the
     * 10 outputs names the class}.
     */
    public String rule(Dataset data) {
        int k = data.outputs();
        if (this == REGRESSION) {
            return "root mean square error over every example" + (k == 1 ? "" : " and all " + k + " outputs");
        }
        if (k > 1 && oneHot(data.y(), data.examples(), k)) {
            return "the largest of the " + k + " outputs names the class";
        }
        return k == 1 ? "an output >= 0.5 predicts 1" : "each of the " + k + " outputs >= 0.5 predicts 1, and counts alone";
    }

    private static boolean oneHot(double[] y, int n, int k) {
        for (int e = 0; e < n; e++) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                s += y[e * k + i];
            }
            if (s != 1) {
                return false;
            }
        }
        return true;
    }
}
