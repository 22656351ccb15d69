package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/** The built-in per-example losses, each as value, hand-written gradient and exact form. */
@API(status = INTERNAL, since = "0.2")
public final class Losses {
    private Losses() {
    }

    /** ½ Σ (a − y)². */
    public static final Loss SQUARED_ERROR = new Loss() {
        public String name() { return "squared_error"; }

        public double value(double[] a, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double d = a[off + i] - y[yOff + i];
                s += d * d;
            }
            return 0.5 * s;
        }

        public void gradient(double[] a, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = a[off + i] - y[yOff + i];
            }
        }

        public DerivativeStructure value(DerivativeStructure[] a, double[] y, int yOff) {
            DerivativeStructure s = a[0].getField().getZero();
            for (int i = 0; i < a.length; i++) {
                DerivativeStructure d = a[i].subtract(y[yOff + i]);
                s = s.add(d.multiply(d));
            }
            return s.multiply(0.5);
        }
    };

    /** (1/k) Σ (a − y)²: no ½, mean over the outputs. */
    public static final Loss MSE = new Loss() {
        public String name() { return "mse"; }

        public double value(double[] a, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double d = a[off + i] - y[yOff + i];
                s += d * d;
            }
            return s / k;
        }

        public void gradient(double[] a, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = 2 * (a[off + i] - y[yOff + i]) / k;
            }
        }

        public DerivativeStructure value(DerivativeStructure[] a, double[] y, int yOff) {
            DerivativeStructure s = a[0].getField().getZero();
            for (int i = 0; i < a.length; i++) {
                DerivativeStructure d = a[i].subtract(y[yOff + i]);
                s = s.add(d.multiply(d));
            }
            return s.divide(a.length);
        }
    };

    /** −Σ [y log a + (1 − y) log(1 − a)], summed over the outputs. */
    public static final Loss BINARY_CROSS_ENTROPY = new Loss() {
        public String name() { return "binary_cross_entropy"; }

        public double value(double[] a, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double ai = a[off + i];
                double yi = y[yOff + i];
                s -= yi * Math.log(ai) + (1 - yi) * Math.log1p(-ai);
            }
            return s;
        }

        public void gradient(double[] a, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                double ai = a[off + i];
                out[outOff + i] = (ai - y[yOff + i]) / (ai * (1 - ai));
            }
        }

        public DerivativeStructure value(DerivativeStructure[] a, double[] y, int yOff) {
            DerivativeStructure s = a[0].getField().getZero();
            for (int i = 0; i < a.length; i++) {
                double yi = y[yOff + i];
                s = s.subtract(a[i].log().multiply(yi).add(a[i].negate().log1p().multiply(1 - yi)));
            }
            return s;
        }
    };

    /** −Σ y log a on a softmax output. */
    public static final Loss CROSS_ENTROPY = new Loss() {
        public String name() { return "softmax_cross_entropy"; }

        public double value(double[] a, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double yi = y[yOff + i];
                if (yi != 0) {
                    s -= yi * Math.log(a[off + i]);
                }
            }
            return s;
        }

        public void gradient(double[] a, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = -y[yOff + i] / a[off + i];
            }
        }

        public DerivativeStructure value(DerivativeStructure[] a, double[] y, int yOff) {
            DerivativeStructure s = a[0].getField().getZero();
            for (int i = 0; i < a.length; i++) {
                double yi = y[yOff + i];
                if (yi != 0) {
                    s = s.subtract(a[i].log().multiply(yi));
                }
            }
            return s;
        }
    };
}
