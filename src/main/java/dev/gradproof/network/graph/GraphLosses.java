package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;

import java.util.function.DoubleUnaryOperator;
import org.apiguardian.api.API;

/**
 * The losses of a graph, one step at a time. Each reads: value (in the order the exact form records),
 * hand-written gradient, exact form. Means over the K values of a step multiply by 1/K, so that the
 * value and the tape agree bit for bit (a division would round differently).
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphLosses {
    private GraphLosses() {
    }

    /** Σ over a step of a per-element code, packed: the branch signature of an elementwise kinked loss. */
    private static long pack(long code, int b) {
        return code * 31 + b;
    }

    public static final GraphLoss SQUARED_ERROR = new GraphLoss() {
        public String name() { return "squared_error"; }
        public boolean fromLogits() { return false; }
        public String convention() { return "½Σ(a − y)²; PyTorch: 0.5 * MSELoss(reduction='sum') per example"; }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double d = v[off + i] - y[yOff + i];
                s += d * d;
            }
            return 0.5 * s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = v[off + i] - y[yOff + i];
            }
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            return t.scale(0.5, sumOfSquares(t, v, off, y, yOff, k));
        }
    };

    public static final GraphLoss MSE = new GraphLoss() {
        public String name() { return "mse"; }
        public boolean fromLogits() { return false; }
        public String convention() { return "(1/K)Σ(a − y)²; PyTorch: MSELoss() over the step"; }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double d = v[off + i] - y[yOff + i];
                s += d * d;
            }
            return (1.0 / k) * s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = 2 * (v[off + i] - y[yOff + i]) / k;
            }
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            return t.scale(1.0 / k, sumOfSquares(t, v, off, y, yOff, k));
        }
    };

    /** Σ (v − y)², d = −y + v first (the same number as v − y). */
    private static int sumOfSquares(Tape t, int[] v, int off, double[] y, int yOff, int k) {
        int[] d = new int[k];
        for (int i = 0; i < k; i++) {
            t.begin(-y[yOff + i]);
            t.term(1, v[off + i]);
            d[i] = t.end();
        }
        t.begin(0);
        for (int i = 0; i < k; i++) {
            t.term(1, d[i], d[i]);
        }
        return t.end();
    }

    /** −Σ [y log a + (1 − y) log(1 − a)] on probabilities (a last layer other than a plain sigmoid). */
    public static final GraphLoss BINARY_CROSS_ENTROPY = new GraphLoss() {
        public String name() { return "binary_cross_entropy"; }
        public boolean fromLogits() { return false; }
        public String convention() { return "−Σ[y log a + (1−y) log(1−a)]; PyTorch: BCELoss(reduction='sum') per example"; }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double a = v[off + i];
                double yi = y[yOff + i];
                s -= yi * Math.log(a) + (1 - yi) * Math.log1p(-a);
            }
            return s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                double a = v[off + i];
                out[outOff + i] = (a - y[yOff + i]) / (a * (1 - a));
            }
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            int[] term = new int[k];
            for (int i = 0; i < k; i++) {
                double yi = y[yOff + i];
                int log = t.unary(Elementaries.LOG, v[off + i]);
                int log1m = t.unary(Elementaries.LOG1P, t.scale(-1, v[off + i]));
                t.begin(0);
                t.term(yi, log);
                t.term(1 - yi, log1m);
                term[i] = t.end();
            }
            return negatedSum(t, term);
        }

        public String targetProblem(double[] y, int yOff, int k) {
            return probabilities(y, yOff, k, false);
        }
    };

    /**
     * Sigmoid + binary cross-entropy from the logits: y·softplus(−z) + (1 − y)·softplus(z), one softplus
     * for a 0/1 target (as today's output stage), with gradient σ(z) − y.
     */
    public static final GraphLoss SIGMOID_BINARY_CROSS_ENTROPY = new GraphLoss() {
        private final Activation softplus = Activations.softplus();

        public String name() { return "binary_cross_entropy"; }
        public boolean fromLogits() { return true; }
        public String convention() { return "from the logits; PyTorch: BCEWithLogitsLoss(reduction='sum') per example"; }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double z = v[off + i];
                double yi = y[yOff + i];
                if (yi == 1) {
                    s += softplus.value(-z);
                } else if (yi == 0) {
                    s += softplus.value(z);
                } else {
                    s += yi * softplus.value(-z) + (1 - yi) * softplus.value(z);
                }
            }
            return s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = Activations.sigmoid(v[off + i]) - y[yOff + i];
            }
        }

        // σ(z) carries a few u relative to itself, which the subtraction keeps in absolute terms.
        public void gradientError(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = 8 * Activations.U * (Activations.sigmoid(v[off + i]) + Math.abs(y[yOff + i]));
            }
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            int[] term = new int[k];
            for (int i = 0; i < k; i++) {
                int z = v[off + i];
                double yi = y[yOff + i];
                if (yi == 1) {
                    term[i] = t.unary(Elementaries.SOFTPLUS, t.scale(-1, z));
                } else if (yi == 0) {
                    term[i] = t.unary(Elementaries.SOFTPLUS, z);
                } else {
                    int neg = t.unary(Elementaries.SOFTPLUS, t.scale(-1, z));
                    int pos = t.unary(Elementaries.SOFTPLUS, z);
                    t.begin(0);
                    t.term(yi, neg);
                    t.term(1 - yi, pos);
                    term[i] = t.end();
                }
            }
            return sum(t, term);
        }

        public String targetProblem(double[] y, int yOff, int k) {
            return probabilities(y, yOff, k, false);
        }
    };

    /** Softmax + cross-entropy from the logits: −Σ y (z − lse(z)), lse = m + log Σ e^(z − m) with m = max z. */
    public static final GraphLoss SOFTMAX_CROSS_ENTROPY = new GraphLoss() {
        public String name() { return "softmax_cross_entropy"; }
        public boolean fromLogits() { return true; }
        public String convention() {
            return "from the logits; PyTorch: CrossEntropyLoss(reduction='sum') with probability targets, per example";
        }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double lse = logSumExp(v, off, k);
            double s = 0;
            for (int i = 0; i < k; i++) {
                double yi = y[yOff + i];
                if (yi != 0) {
                    s -= yi * (v[off + i] - lse);
                }
            }
            return s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            softmaxGradient(v, off, y, yOff, k, out, outOff);
        }

        public void gradientError(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            softmaxGradientError(v, off, y, yOff, k, out, outOff);
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            int lse = logSumExp(t, v, off, k);
            int[] terms = new int[k];
            int count = 0;
            for (int i = 0; i < k; i++) {
                if (y[yOff + i] != 0) {
                    terms[count++] = logProbability(t, v[off + i], lse);
                }
            }
            t.begin(0);
            for (int i = 0, c = 0; i < k; i++) {
                if (y[yOff + i] != 0) {
                    t.term(-y[yOff + i], terms[c++]);
                }
            }
            return t.end();
        }

        public String targetProblem(double[] y, int yOff, int k) {
            return probabilities(y, yOff, k, true);
        }
    };

    /** KL(y ‖ softmax(z)) = Σ_{y>0} y (log y − (z − lse)) from the logits (0·log 0 = 0). */
    public static final GraphLoss SOFTMAX_KL_DIVERGENCE = new GraphLoss() {
        public String name() { return "kl_divergence"; }
        public boolean fromLogits() { return true; }
        public String convention() {
            return "from the logits: PyTorch KLDivLoss(reduction='sum')(log_softmax(z), y) per example; 0·log 0 = 0";
        }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double lse = logSumExp(v, off, k);
            double s = 0;
            for (int i = 0; i < k; i++) {
                double yi = y[yOff + i];
                if (yi > 0) {
                    double u = v[off + i] - lse;
                    s += yi * (Math.log(yi) - u);
                }
            }
            return s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            softmaxGradient(v, off, y, yOff, k, out, outOff);
        }

        public void gradientError(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            softmaxGradientError(v, off, y, yOff, k, out, outOff);
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            int lse = logSumExp(t, v, off, k);
            int[] w = new int[k];
            for (int i = 0; i < k; i++) {
                if (y[yOff + i] > 0) {
                    int u = logProbability(t, v[off + i], lse);
                    t.begin(Math.log(y[yOff + i]));
                    t.term(-1, u);
                    w[i] = t.end();
                }
            }
            t.begin(0);
            for (int i = 0; i < k; i++) {
                if (y[yOff + i] > 0) {
                    t.term(y[yOff + i], w[i]);
                }
            }
            return t.end();
        }

        public String targetProblem(double[] y, int yOff, int k) {
            return probabilities(y, yOff, k, true);
        }
    };

    /** KL(y ‖ q) = Σ_{y>0} y (log y − x) with x = log q the output itself (PyTorch's KLDivLoss input). */
    public static final GraphLoss KL_DIVERGENCE = new GraphLoss() {
        public String name() { return "kl_divergence"; }
        public boolean fromLogits() { return false; }
        public String convention() {
            return "the output is log-probabilities: PyTorch KLDivLoss(reduction='sum')(x, y) per example; 0·log 0 = 0";
        }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            double s = 0;
            for (int i = 0; i < k; i++) {
                double yi = y[yOff + i];
                if (yi > 0) {
                    s += yi * (Math.log(yi) - v[off + i]);
                }
            }
            return s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            for (int i = 0; i < k; i++) {
                out[outOff + i] = -y[yOff + i];
            }
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            int[] w = new int[k];
            for (int i = 0; i < k; i++) {
                if (y[yOff + i] > 0) {
                    t.begin(Math.log(y[yOff + i]));
                    t.term(-1, v[off + i]);
                    w[i] = t.end();
                }
            }
            t.begin(0);
            for (int i = 0; i < k; i++) {
                if (y[yOff + i] > 0) {
                    t.term(y[yOff + i], w[i]);
                }
            }
            return t.end();
        }

        public String targetProblem(double[] y, int yOff, int k) {
            return probabilities(y, yOff, k, true);
        }
    };

    /** (1/K) Σ |a − y|, derivative sign(a − y) and 0 at 0 (PyTorch's). */
    public static final GraphLoss L1 = elementwise("l1", Elementaries.ABS, Math::signum,
            "(1/K)Σ|a − y|; PyTorch: L1Loss() over the step; derivative 0 where a = y (torch.sign(0) = 0)");

    /** (1/K) Σ huber_δ(a − y). */
    public static GraphLoss huber(double delta) {
        return elementwise("huber", Elementaries.huber(delta), d -> Math.max(-delta, Math.min(delta, d)), "(1/K)Σ huber(a − y) with delta " + delta
                + "; PyTorch: HuberLoss(delta=" + delta + ") over the step; linear branch at |a − y| = delta");
    }

    /** (1/K) Σ f(a − y) with the hand-written slope f'. */
    private static GraphLoss elementwise(String name, Elementary f, DoubleUnaryOperator slope, String convention) {
        return new GraphLoss() {
            public String name() { return name; }
            public boolean fromLogits() { return false; }
            public String convention() { return convention; }

            public double value(double[] v, int off, double[] y, int yOff, int k) {
                double s = 0;
                for (int i = 0; i < k; i++) {
                    s += f.value(v[off + i] - y[yOff + i]);
                }
                return (1.0 / k) * s;
            }

            public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
                for (int i = 0; i < k; i++) {
                    out[outOff + i] = slope.applyAsDouble(v[off + i] - y[yOff + i]) / k;
                }
            }

            public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
                int[] e = new int[k];
                for (int i = 0; i < k; i++) {
                    t.begin(-y[yOff + i]);
                    t.term(1, v[off + i]);
                    e[i] = t.unary(f, t.end());
                }
                return t.scale(1.0 / k, sum(t, e));
            }

            public long branch(double[] v, int off, double[] y, int yOff, int k) {
                long code = 0;
                for (int i = 0; i < k; i++) {
                    code = pack(code, f.branch(v[off + i] - y[yOff + i]));
                }
                return code;
            }
        };
    }

    /**
     * Multi-class hinge (PyTorch's MultiMarginLoss, p = 1, margin 1): (1/K) Σ_{i≠c} max(0, 1 − a_c + a_i)
     * for the one-hot target's class c; the derivative at a margin of exactly 0 is 0 (PyTorch's).
     */
    public static final GraphLoss HINGE = new GraphLoss() {
        public String name() { return "hinge"; }
        public boolean fromLogits() { return false; }
        public String convention() {
            return "PyTorch: MultiMarginLoss() with the one-hot target's class; derivative 0 at a margin of exactly 0";
        }

        public double value(double[] v, int off, double[] y, int yOff, int k) {
            int c = hot(y, yOff, k);
            double s = 0;
            for (int i = 0; i < k; i++) {
                if (i != c) {
                    double m = (1 - v[off + c]) + v[off + i];
                    s += m > 0 ? m : 0;
                }
            }
            return (1.0 / k) * s;
        }

        public void gradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
            int c = hot(y, yOff, k);
            for (int i = 0; i < k; i++) {
                out[outOff + i] = 0;
            }
            for (int i = 0; i < k; i++) {
                if (i != c && (1 - v[off + c]) + v[off + i] > 0) {
                    out[outOff + i] += 1.0 / k;
                    out[outOff + c] -= 1.0 / k;
                }
            }
        }

        public int exact(Tape t, int[] v, int off, double[] y, int yOff, int k) {
            int c = hot(y, yOff, k);
            int[] r = new int[k - 1];
            for (int i = 0, q = 0; i < k; i++) {
                if (i != c) {
                    t.begin(1);
                    t.term(-1, v[off + c]);
                    t.term(1, v[off + i]);
                    r[q++] = t.unary(Elementaries.HINGE, t.end());
                }
            }
            return t.scale(1.0 / k, sum(t, r));
        }

        public long branch(double[] v, int off, double[] y, int yOff, int k) {
            int c = hot(y, yOff, k);
            long code = 0;
            for (int i = 0; i < k; i++) {
                if (i != c) {
                    code = pack(code, Elementaries.HINGE.branch((1 - v[off + c]) + v[off + i]));
                }
            }
            return code;
        }

        public String targetProblem(double[] y, int yOff, int k) {
            return hot(y, yOff, k) < 0 ? "hinge needs one-hot targets (a single 1, zeros elsewhere)" : null;
        }
    };

    /** The class of a one-hot row, or −1 when it is not one. */
    static int hot(double[] y, int yOff, int k) {
        int c = -1;
        for (int i = 0; i < k; i++) {
            double yi = y[yOff + i];
            if (yi == 1 && c < 0) {
                c = i;
            } else if (yi != 0) {
                return -1;
            }
        }
        return c;
    }

    private static String probabilities(double[] y, int yOff, int k, boolean sumToOne) {
        double s = 0;
        for (int i = 0; i < k; i++) {
            double yi = y[yOff + i];
            if (!(yi >= 0 && yi <= 1)) {
                return "targets must be probabilities in [0, 1], got " + yi;
            }
            s += yi;
        }
        if (sumToOne && Math.abs(s - 1) > 1e-9) {
            return "targets must sum to 1 over the classes, got " + s;
        }
        return null;
    }

    static double logSumExp(double[] v, int off, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, v[off + i]);
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += Math.exp(v[off + i] - m);
        }
        return m + Math.log(s);
    }

    /**
     * lse on the tape. The max m is a constant there: Σ e^(z − m) shifted by a constant has the same
     * derivative, so nothing flows through the max (as in PyTorch).
     */
    static int logSumExp(Tape t, int[] v, int off, int k) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, t.value(v[off + i]));
        }
        int[] e = new int[k];
        for (int i = 0; i < k; i++) {
            t.begin(-m);
            t.term(1, v[off + i]);
            e[i] = t.unary(Elementaries.EXP, t.end());
        }
        int log = t.unary(Elementaries.LOG, sum(t, e));
        t.begin(m);
        t.term(1, log);
        return t.end();
    }

    /** z − lse. */
    private static int logProbability(Tape t, int z, int lse) {
        t.begin(0);
        t.term(1, z);
        t.term(-1, lse);
        return t.end();
    }

    /** d/dz of −Σ y (z − lse) (and of the KL form): softmax(z)·Σy − y. */
    private static void softmaxGradient(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, v[off + i]);
        }
        double s = 0;
        double total = 0;
        for (int i = 0; i < k; i++) {
            s += Math.exp(v[off + i] - m);
            total += y[yOff + i];
        }
        for (int i = 0; i < k; i++) {
            out[outOff + i] = Math.exp(v[off + i] - m) / s * total - y[yOff + i];
        }
    }

    /** p·Σy − y has p's rounding (a few u of p) times Σ|y|, plus one rounding of y. */
    private static void softmaxGradientError(double[] v, int off, double[] y, int yOff, int k, double[] out, int outOff) {
        double m = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            m = Math.max(m, v[off + i]);
        }
        double s = 0;
        double total = 0;
        for (int i = 0; i < k; i++) {
            s += Math.exp(v[off + i] - m);
            total += Math.abs(y[yOff + i]);
        }
        for (int i = 0; i < k; i++) {
            out[outOff + i] = 8 * Activations.U * (Math.exp(v[off + i] - m) / s * total + Math.abs(y[yOff + i]));
        }
    }

    static int sum(Tape t, int[] nodes) {
        t.begin(0);
        for (int x : nodes) {
            t.term(1, x);
        }
        return t.end();
    }

    private static int negatedSum(Tape t, int[] nodes) {
        t.begin(0);
        for (int x : nodes) {
            t.term(-1, x);
        }
        return t.end();
    }
}
