package com.example.nn;

/**
 * A small network written by hand, knowing nothing of gradproof: tanh hidden layers, a sigmoid output,
 * the loss ½Σ(a − y)² summed over examples, and its backpropagation as a tutorial writes it.
 * {@code tutorialBug} plants the tutorial's derivative tanh'(z) = 1 − tanh(z)·tan(z) in the first layer.
 */
public final class TanhNetwork {
    private final boolean tutorialBug;

    public TanhNetwork(boolean tutorialBug) {
        this.tutorialBug = tutorialBug;
    }

    /** The loss of the batch (x[n], y[n]) under weights w[l][out][in] and biases b[l][out]; the gradient goes in gw, gb. */
    public double lossAndGradient(double[][][] w, double[][] b, double[][] x, double[][] y, double[][][] gw, double[][] gb) {
        int layers = w.length;
        double loss = 0;
        for (int n = 0; n < x.length; n++) {
            double[][] a = new double[layers + 1][];
            double[][] z = new double[layers + 1][];
            a[0] = x[n];
            for (int l = 0; l < layers; l++) {
                z[l + 1] = new double[w[l].length];
                a[l + 1] = new double[w[l].length];
                for (int i = 0; i < w[l].length; i++) {
                    double s = b[l][i];
                    for (int j = 0; j < w[l][i].length; j++) {
                        s += w[l][i][j] * a[l][j];
                    }
                    z[l + 1][i] = s;
                    a[l + 1][i] = l < layers - 1 ? Math.tanh(s) : 1 / (1 + Math.exp(-s));
                }
            }
            double[] delta = new double[a[layers].length];
            for (int i = 0; i < delta.length; i++) {
                double err = a[layers][i] - y[n][i];
                loss += 0.5 * err * err;
                delta[i] = err * a[layers][i] * (1 - a[layers][i]);
            }
            for (int l = layers - 1; l >= 0; l--) {
                double[] below = new double[a[l].length];
                for (int i = 0; i < w[l].length; i++) {
                    gb[l][i] += delta[i];
                    for (int j = 0; j < w[l][i].length; j++) {
                        gw[l][i][j] += delta[i] * a[l][j];
                        below[j] += w[l][i][j] * delta[i];
                    }
                }
                if (l > 0) {
                    for (int j = 0; j < below.length; j++) {
                        double t = a[l][j];
                        below[j] *= tutorialBug && l == 1 ? 1 - t * Math.tan(z[l][j]) : 1 - t * t;
                    }
                }
                delta = below;
            }
        }
        return loss;
    }
}
