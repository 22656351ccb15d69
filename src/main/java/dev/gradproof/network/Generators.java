package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

import dev.gradproof.spec.DataSpec;

import java.util.SplittableRandom;

/** The seed material's toy data sets. */
@API(status = INTERNAL, since = "0.2")
public final class Generators {
    private Generators() {
    }

    public static Dataset generate(DataSpec d, int in, int out, SplittableRandom rnd) {
        return switch (d.generator()) {
            case XOR -> xor(d.examples());
            case TWO_MOONS -> twoMoons(d.examples(), out, d.noise(), rnd);
            case SINE -> sine(d.examples(), d.noise(), rnd);
            case NORMAL_REGRESSION -> normalRegression(d.examples(), d.noise(), rnd);
        };
    }

    /** The four corners of the unit square, repeated to fill the requested count. */
    static Dataset xor(int n) {
        double[][] pts = {{0, 0}, {0, 1}, {1, 0}, {1, 1}};
        double[] x = new double[n * 2];
        double[] y = new double[n];
        for (int e = 0; e < n; e++) {
            double[] p = pts[e % 4];
            x[2 * e] = p[0];
            x[2 * e + 1] = p[1];
            y[e] = p[0] != p[1] ? 1 : 0;
        }
        return new Dataset(n, 2, 1, x, y);
    }

    /** Two interleaving half circles (as scikit-learn's make_moons), class 0 on top. */
    static Dataset twoMoons(int n, int out, double noise, SplittableRandom rnd) {
        double[] x = new double[n * 2];
        double[] y = new double[n * out];
        for (int e = 0; e < n; e++) {
            int cls = e % 2;
            double t = Math.PI * rnd.nextDouble();
            double px = cls == 0 ? Math.cos(t) : 1 - Math.cos(t);
            double py = cls == 0 ? Math.sin(t) : 0.5 - Math.sin(t);
            x[2 * e] = px + noise * TrialGenerator.gaussian(rnd);
            x[2 * e + 1] = py + noise * TrialGenerator.gaussian(rnd);
            if (out == 1) {
                y[e] = cls;
            } else {
                y[e * out + cls] = 1;
            }
        }
        return new Dataset(n, 2, out, x, y);
    }

    /** x uniform in [−3.14, 3.14], targets (sin x, 1). */
    static Dataset sine(int n, double noise, SplittableRandom rnd) {
        double[] x = new double[n];
        double[] y = new double[n * 2];
        for (int e = 0; e < n; e++) {
            x[e] = -3.14 + 6.28 * rnd.nextDouble();
            y[2 * e] = Math.sin(x[e]) + noise * TrialGenerator.gaussian(rnd);
            y[2 * e + 1] = 1;
        }
        return new Dataset(n, 1, 2, x, y);
    }

    /** x ~ N(1, 0.1), target 10 (the TensorFlow example). */
    static Dataset normalRegression(int n, double noise, SplittableRandom rnd) {
        double[] x = new double[n];
        double[] y = new double[n];
        for (int e = 0; e < n; e++) {
            x[e] = 1 + 0.1 * TrialGenerator.gaussian(rnd);
            y[e] = 10 + noise * TrialGenerator.gaussian(rnd);
        }
        return new Dataset(n, 1, 1, x, y);
    }
}
