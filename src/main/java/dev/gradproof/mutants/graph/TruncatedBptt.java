package dev.gradproof.mutants.graph;

import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.RecurrentOptions;

/**
 * Backpropagation through time cut to one step by accident: each step's gates get the gradient of that
 * step's output, but dL/dh_{t−1} (and the LSTM's dL/dc_{t−1}) is never carried to the step before, so the
 * loss at step t teaches nothing about the inputs and states that led to it. The reference carries both
 * ({@code dh = below; dc = dcPrev}). PyTorch's equations, gate order and parameter layout (weight_ih
 * [G·H, F], weight_hh [G·H, H], bias_ih, bias_hh).
 */
final class TruncatedBptt extends WrongBackward {
    private final RecurrentOptions.Cell cell;
    private final int steps;
    private final int f;
    private final int hidden;
    private final int gates;
    private final boolean bias;
    private final boolean sequence;

    TruncatedBptt(GraphNetwork g, GraphNode node) {
        super(g, node);
        RecurrentOptions o = (RecurrentOptions) node.options();
        cell = o.cell();
        steps = inputs[0].dim(0);
        f = inputs[0].dim(1);
        hidden = o.hidden();
        gates = cell.gates() * hidden;
        bias = o.bias();
        sequence = o.returnSequence();
    }

    private int wih(int base, int j, int k) {
        return base + j * f + k;
    }

    private int whh(int base, int j, int k) {
        return base + gates * f + j * hidden + k;
    }

    private int bih(int base, int j) {
        return base + gates * f + gates * hidden + j;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        double[] in = new double[gates];
        double[] rec = new double[gates];
        double[] gate = new double[gates];
        double[] dIn = new double[gates];
        double[] dRec = new double[gates];
        for (int n = 0; n < b.examples(); n++) {
            double[] h = new double[hidden];
            double[] c = new double[hidden];
            for (int t = 0; t < steps; t++) {
                int xo = (n * steps + t) * f;
                sums(theta, base, x[0], xo, t == 0 ? null : h, in, rec);
                double[] next = new double[hidden];
                double[] nextC = new double[hidden];
                step(in, rec, gate, h, c, next, nextC);
                int at = sequence ? (n * steps + t) * hidden : t == steps - 1 ? n * hidden : -1;
                if (at >= 0) {
                    derivatives(dy, at, gate, rec, h, c, nextC, dIn, dRec);
                    accumulate(theta, base, x[0], xo, dx[0], t == 0 ? null : h, grad, dIn, dRec);
                }
                h = next;
                c = nextC;
            }
        }
    }

    /** Each gate row's input part b_ih + W_ih·x_t and recurrent part b_hh + W_hh·h (h null at t = 0). */
    private void sums(double[] theta, int base, double[] x, int xo, double[] h, double[] in, double[] rec) {
        for (int j = 0; j < gates; j++) {
            double s = bias ? theta[bih(base, j)] : 0;
            for (int k = 0; k < f; k++) {
                s += theta[wih(base, j, k)] * x[xo + k];
            }
            in[j] = s;
            double r = bias ? theta[bih(base, j) + gates] : 0;
            if (h != null) {
                for (int k = 0; k < hidden; k++) {
                    r += theta[whh(base, j, k)] * h[k];
                }
            }
            rec[j] = r;
        }
    }

    /** The forward step: gate activations, the next h (and c). */
    private void step(double[] in, double[] rec, double[] gate, double[] h, double[] c, double[] next, double[] nextC) {
        for (int k = 0; k < hidden; k++) {
            switch (cell) {
                case RNN -> next[k] = gate[k] = Math.tanh(in[k] + rec[k]);
                case LSTM -> {
                    for (int q = 0; q < 4; q++) {
                        int j = q * hidden + k;
                        gate[j] = q == 2 ? Math.tanh(in[j] + rec[j]) : Activations.sigmoid(in[j] + rec[j]);
                    }
                    nextC[k] = gate[hidden + k] * c[k] + gate[k] * gate[2 * hidden + k];
                    next[k] = gate[3 * hidden + k] * Math.tanh(nextC[k]);
                }
                case GRU -> {
                    gate[k] = Activations.sigmoid(in[k] + rec[k]);
                    gate[hidden + k] = Activations.sigmoid(in[hidden + k] + rec[hidden + k]);
                    gate[2 * hidden + k] = Math.tanh(in[2 * hidden + k] + gate[k] * rec[2 * hidden + k]);
                    double z = gate[hidden + k];
                    next[k] = (1 - z) * gate[2 * hidden + k] + z * h[k];
                }
            }
        }
    }

    /** The gate rows' derivatives from this step's output gradient alone (nothing carried from t + 1). */
    private void derivatives(double[] dy, int at, double[] gate, double[] rec, double[] h, double[] c, double[] nextC,
                             double[] dIn, double[] dRec) {
        for (int k = 0; k < hidden; k++) {
            double dh = dy[at + k];                            // reference: dy[at + k] + carried dh[k]
            switch (cell) {
                case RNN -> dIn[k] = dRec[k] = dh * (1 - gate[k] * gate[k]);
                case LSTM -> {
                    double i = gate[k];
                    double fg = gate[hidden + k];
                    double g = gate[2 * hidden + k];
                    double o = gate[3 * hidden + k];
                    double tc = Math.tanh(nextC[k]);
                    double dct = dh * o * (1 - tc * tc);       // reference: carried dc[k] + ...
                    dIn[k] = dct * g * i * (1 - i);
                    dIn[hidden + k] = dct * c[k] * fg * (1 - fg);
                    dIn[2 * hidden + k] = dct * i * (1 - g * g);
                    dIn[3 * hidden + k] = dh * tc * o * (1 - o);
                    for (int q = 0; q < 4; q++) {
                        dRec[q * hidden + k] = dIn[q * hidden + k];
                    }
                }
                case GRU -> {
                    double r = gate[k];
                    double z = gate[hidden + k];
                    double nv = gate[2 * hidden + k];
                    double dan = dh * (1 - z) * (1 - nv * nv);
                    double dar = dan * rec[2 * hidden + k] * r * (1 - r);
                    double daz = dh * (h[k] - nv) * z * (1 - z);
                    dIn[k] = dRec[k] = dar;
                    dIn[hidden + k] = dRec[hidden + k] = daz;
                    dIn[2 * hidden + k] = dan;
                    dRec[2 * hidden + k] = dan * r;
                }
            }
        }
    }

    private void accumulate(double[] theta, int base, double[] x, int xo, double[] dx, double[] h, double[] grad,
                            double[] dIn, double[] dRec) {
        for (int j = 0; j < gates; j++) {
            if (bias) {
                grad[bih(base, j)] += dIn[j];
                grad[bih(base, j) + gates] += dRec[j];
            }
            for (int k = 0; k < f; k++) {
                grad[wih(base, j, k)] += dIn[j] * x[xo + k];
                if (dx != null) {
                    dx[xo + k] += theta[wih(base, j, k)] * dIn[j];
                }
            }
            if (h != null) {
                for (int k = 0; k < hidden; k++) {
                    grad[whh(base, j, k)] += dRec[j] * h[k];
                }
            }
        }
    }
}
