package dev.gradproof.mutants.graph;

import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.RecurrentOptions;

/**
 * Backpropagation through time for rnn, lstm and gru written by hand, with one of the classic slips
 * ({@link Slip}); the forward pass is recomputed from x and θ with PyTorch's equations, gate order and
 * parameter layout (weight_ih [G·H, F], weight_hh [G·H, H], bias_ih, bias_hh), from a zero state.
 */
final class RecurrentBugs extends WrongBackward {
    enum Slip {
        /** None: the reference's equations, carried in full (tests compare it with the reference layer). */
        NONE,
        /** dL/dh_{t−1} (and the LSTM's dL/dc_{t−1}) never carried to the step before. */
        TRUNCATED,
        /** The LSTM's forget gate differentiated with tanh' = 1 − f² instead of σ' = f(1 − f). */
        FORGET_TANH_DERIVATIVE,
        /** The LSTM's cell gradient carried back as dc instead of dc·f. */
        CELL_NO_FORGET_PRODUCT,
        /** The GRU's backward written for h' = z·n + (1 − z)·h while the forward computes (1 − z)·n + z·h. */
        GRU_Z_FLIPPED
    }

    private final Slip slip;
    private final RecurrentOptions.Cell cell;
    private final int steps;
    private final int f;
    private final int hidden;
    private final int gates;
    private final boolean bias;
    private final boolean sequence;

    RecurrentBugs(GraphNetwork g, GraphNode node, Slip slip) {
        super(g, node);
        this.slip = slip;
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
        for (int n = 0; n < b.examples(); n++) {
            double[][] in = new double[steps][gates];
            double[][] rec = new double[steps][gates];
            double[][] gate = new double[steps][gates];
            double[][] h = new double[steps + 1][hidden];      // h[t + 1] after step t, h[0] = 0
            double[][] c = new double[steps + 1][hidden];
            for (int t = 0; t < steps; t++) {
                sums(theta, base, x[0], (n * steps + t) * f, t == 0 ? null : h[t], in[t], rec[t]);
                step(in[t], rec[t], gate[t], h[t], c[t], h[t + 1], c[t + 1]);
            }
            double[] dh = new double[hidden];
            double[] dc = new double[hidden];
            double[] dIn = new double[gates];
            double[] dRec = new double[gates];
            for (int t = steps - 1; t >= 0; t--) {
                int at = sequence ? (n * steps + t) * hidden : t == steps - 1 ? n * hidden : -1;
                for (int k = 0; at >= 0 && k < hidden; k++) {
                    dh[k] += dy[at + k];
                }
                double[] dhPrev = new double[hidden];
                double[] dcPrev = new double[hidden];
                derivatives(dh, dc, gate[t], rec[t], h[t], c[t], c[t + 1], dIn, dRec, dhPrev, dcPrev);
                accumulate(theta, base, x[0], (n * steps + t) * f, dx[0], t == 0 ? null : h[t], grad, dIn, dRec, dhPrev);
                boolean carry = slip != Slip.TRUNCATED;          // reference: always carried
                dh = carry ? dhPrev : new double[hidden];
                dc = carry ? dcPrev : new double[hidden];
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
                case RNN -> next[k] = gate[k] = StrictMath.tanh(in[k] + rec[k]);
                case LSTM -> {
                    for (int q = 0; q < 4; q++) {
                        int j = q * hidden + k;
                        gate[j] = q == 2 ? StrictMath.tanh(in[j] + rec[j]) : Activations.sigmoid(in[j] + rec[j]);
                    }
                    nextC[k] = gate[hidden + k] * c[k] + gate[k] * gate[2 * hidden + k];
                    next[k] = gate[3 * hidden + k] * StrictMath.tanh(nextC[k]);
                }
                case GRU -> {
                    gate[k] = Activations.sigmoid(in[k] + rec[k]);
                    gate[hidden + k] = Activations.sigmoid(in[hidden + k] + rec[hidden + k]);
                    gate[2 * hidden + k] = StrictMath.tanh(in[2 * hidden + k] + gate[k] * rec[2 * hidden + k]);
                    double z = gate[hidden + k];
                    next[k] = (1 - z) * gate[2 * hidden + k] + z * h[k];
                }
            }
        }
    }

    /**
     * One step's gate derivatives from dh (and the LSTM's carried dc); the parts of dL/dh_{t−1} that do not
     * go through W_hh (the GRU's z·dh) and dL/dc_{t−1} into dhPrev and dcPrev.
     */
    private void derivatives(double[] dh, double[] dc, double[] gate, double[] rec, double[] hPrev, double[] cPrev,
                             double[] cNext, double[] dIn, double[] dRec, double[] dhPrev, double[] dcPrev) {
        for (int k = 0; k < hidden; k++) {
            switch (cell) {
                case RNN -> dIn[k] = dRec[k] = dh[k] * (1 - gate[k] * gate[k]);
                case LSTM -> {
                    double i = gate[k];
                    double fg = gate[hidden + k];
                    double g = gate[2 * hidden + k];
                    double o = gate[3 * hidden + k];
                    double tc = StrictMath.tanh(cNext[k]);
                    double dct = dc[k] + dh[k] * o * (1 - tc * tc);
                    dIn[k] = dct * g * i * (1 - i);
                    // reference: fg * (1 - fg)
                    dIn[hidden + k] = dct * cPrev[k] * (slip == Slip.FORGET_TANH_DERIVATIVE ? 1 - fg * fg : fg * (1 - fg));
                    dIn[2 * hidden + k] = dct * i * (1 - g * g);
                    dIn[3 * hidden + k] = dh[k] * tc * o * (1 - o);
                    for (int q = 0; q < 4; q++) {
                        dRec[q * hidden + k] = dIn[q * hidden + k];
                    }
                    dcPrev[k] = slip == Slip.CELL_NO_FORGET_PRODUCT ? dct : dct * fg;   // reference: dct * fg
                }
                case GRU -> {
                    double r = gate[k];
                    double z = gate[hidden + k];
                    double nv = gate[2 * hidden + k];
                    boolean flipped = slip == Slip.GRU_Z_FLIPPED;
                    // reference: dn = dh·(1 − z), dz = dh·(h − n), dh_{t−1} += dh·z
                    double dn = flipped ? dh[k] * z : dh[k] * (1 - z);
                    double dz = flipped ? dh[k] * (nv - hPrev[k]) : dh[k] * (hPrev[k] - nv);
                    double dan = dn * (1 - nv * nv);
                    double dar = dan * rec[2 * hidden + k] * r * (1 - r);
                    double daz = dz * z * (1 - z);
                    dIn[k] = dRec[k] = dar;
                    dIn[hidden + k] = dRec[hidden + k] = daz;
                    dIn[2 * hidden + k] = dan;
                    dRec[2 * hidden + k] = dan * r;
                    dhPrev[k] += flipped ? dh[k] * (1 - z) : dh[k] * z;
                }
            }
        }
    }

    private void accumulate(double[] theta, int base, double[] x, int xo, double[] dx, double[] h, double[] grad,
                            double[] dIn, double[] dRec, double[] dhPrev) {
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
                    dhPrev[k] += theta[whh(base, j, k)] * dRec[j];
                }
            }
        }
    }
}
