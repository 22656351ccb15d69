package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code lstm}, PyTorch's gate order i, f, g, o (rows [0, H), [H, 2H), [2H, 3H), [3H, 4H) of the
 * weights): i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o), c_t = f·c_{t−1} + i·g, h_t = o·tanh(c_t),
 * from h = c = 0.
 */
@API(status = INTERNAL, since = "0.2")
public final class Lstm extends Recurrent {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.LSTM, Set.of(Catalogue.Flag.SEQUENCE),
            (o, in) -> new Lstm((RecurrentOptions) o, in),
            List.of(
                    Sample.of("lstm returning the sequence", Shape.sequence(4, 3), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.LSTM, 3, true)),
                    Sample.of("lstm returning the last state", Shape.sequence(3, 2), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.LSTM, 2, false).dense(null, 2)),
                    Sample.of("lstm on a length-1 sequence", Shape.sequence(1, 3), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.LSTM, 2, true)),
                    Sample.of("embedding into an lstm", Shape.tokens(5), 2,
                            b -> b.embedding(null, 4, 3).recurrent(null, RecurrentOptions.Cell.LSTM, 3, true)
                                    .dense(null, 4)).withInputs(SampleData.tokens(4))),
            rnd -> random(rnd, RecurrentOptions.Cell.LSTM));

    public Lstm(RecurrentOptions o, List<Shape> inputs) {
        super(o, inputs);
    }

    @Override
    Recurrent copy() {
        return new Lstm((RecurrentOptions) options, List.of(in));
    }

    /**
     * Per step [N, T, ...]: the input parts of the gate sums, the gate activations (i, f, g, o), c, tanh(c), h;
     * and W_hh by columns, which a moved pass reuses.
     */
    record Saved(double[] input, double[] gate, double[] c, double[] tc, double[] h, double[][] columns) {
        static Saved of(int positions, int gates, int hidden, double[][] columns) {
            return new Saved(new double[positions * gates], new double[positions * gates],
                    new double[positions * hidden], new double[positions * hidden], new double[positions * hidden],
                    columns);
        }
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        Saved s = Saved.of(b.examples() * steps, gates, hidden, columns(theta, base));
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            example(theta, base, x[0], y, n, null, -1, s, n * steps);
        }
        return s;
    }

    /**
     * A moved parameter reuses the unmoved input parts of every gate row but its own, and the unmoved W_hh
     * columns. Nothing reads a moved pass's saved state but {@link #sameBranches} (an LSTM has no
     * branches), so the examples are computed one after another in one example's room and null is returned:
     * a finite difference then allocates a few kilobytes per pass instead of the whole batch's state.
     */
    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        Saved unmoved = (Saved) saved;
        Saved s = Saved.of(steps, gates, hidden, columnsMoved(unmoved.columns, theta, base, local));
        int moved = inputRow(local);
        for (int r = 0; r < b.count(); r++) {
            example(theta, base, x[0], y, b.row(r), unmoved.input, moved, s, 0);
        }
        return null;
    }

    /** Example n, every step, into s from position {@code at} (n·T for the whole batch's state, 0 for one example's). */
    private void example(double[] theta, int base, double[] x, double[] y, int n, double[] cached, int moved, Saved s,
                         int at) {
        double[] a = new double[gates];
        inputParts(theta, base, x, n, s.input, at * gates, cached, moved);
        for (int t = 0; t < steps; t++) {
            int ho = (at + t) * hidden;
            int go = (at + t) * gates;
            gateSums(theta, base, s.columns, s.input, go, t == 0 ? null : s.h, ho - hidden, a, 0, gates);
            for (int j = 0; j < 2 * hidden; j++) {
                s.gate[go + j] = Activations.sigmoid(a[j]);
            }
            for (int j = 2 * hidden; j < 3 * hidden; j++) {
                s.gate[go + j] = StrictMath.tanh(a[j]);
            }
            for (int j = 3 * hidden; j < gates; j++) {
                s.gate[go + j] = Activations.sigmoid(a[j]);
            }
            for (int k = 0; k < hidden; k++) {
                double i = s.gate[go + k];
                double fg = s.gate[go + hidden + k];
                double g = s.gate[go + 2 * hidden + k];
                double o = s.gate[go + 3 * hidden + k];
                double c = t == 0 ? i * g : fg * s.c[ho - hidden + k] + i * g;
                s.c[ho + k] = c;
                s.tc[ho + k] = StrictMath.tanh(c);
                s.h[ho + k] = o * s.tc[ho + k];
            }
            int out = outputAt(n, t);
            if (out >= 0) {
                System.arraycopy(s.h, ho, y, out, hidden);
            }
        }
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        Saved s = (Saved) saved;
        double[] da = new double[gates];
        for (int n = 0; n < b.examples(); n++) {
            double[] dh = new double[hidden];
            double[] dc = new double[hidden];
            for (int t = steps - 1; t >= 0; t--) {
                int at = outputAt(n, t);
                if (at >= 0) {
                    for (int k = 0; k < hidden; k++) {
                        dh[k] += dy[at + k];
                    }
                }
                int xo = (n * steps + t) * f;
                int ho = (n * steps + t) * hidden;
                int go = (n * steps + t) * gates;
                double[] dcPrev = new double[hidden];
                for (int k = 0; k < hidden; k++) {
                    double i = s.gate[go + k];
                    double fg = s.gate[go + hidden + k];
                    double g = s.gate[go + 2 * hidden + k];
                    double o = s.gate[go + 3 * hidden + k];
                    double tc = s.tc[ho + k];
                    double dct = dc[k] + dh[k] * o * (1 - tc * tc);
                    double cPrev = t == 0 ? 0 : s.c[ho - hidden + k];
                    da[k] = dct * g * i * (1 - i);
                    da[hidden + k] = dct * cPrev * fg * (1 - fg);
                    da[2 * hidden + k] = dct * i * (1 - g * g);
                    da[3 * hidden + k] = dh[k] * tc * o * (1 - o);
                    dcPrev[k] = dct * fg;
                }
                double[] below = new double[hidden];
                for (int j = 0; j < gates; j++) {
                    inputBackward(theta, base, x[0], xo, dx[0], grad, j, da[j]);
                    hiddenBackward(theta, base, t == 0 ? null : s.h, ho - hidden, below, grad, j, da[j]);
                }
                dh = carried(below);
                dc = carried(dcPrev);
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        int[] gate = new int[gates];
        for (int n = 0; n < b.examples(); n++) {
            int[] h = null;
            int[] c = null;
            for (int t = 0; t < steps; t++) {
                int xo = (n * steps + t) * f;
                for (int j = 0; j < gates; j++) {
                    tape.begin(0);
                    inputTerms(tape, base, x[0], xo, j);
                    hiddenTerms(tape, base, h, j);
                    int a = tape.end();
                    gate[j] = tape.unary(j / hidden == 2 ? Elementaries.TANH : Elementaries.SIGMOID, a);
                }
                int[] nextH = new int[hidden];
                int[] nextC = new int[hidden];
                for (int k = 0; k < hidden; k++) {
                    tape.begin(0);
                    if (c != null) {
                        tape.term(1, gate[hidden + k], c[k]);
                    }
                    tape.term(1, gate[k], gate[2 * hidden + k]);
                    nextC[k] = tape.end();
                    int tc = tape.unary(Elementaries.TANH, nextC[k]);
                    tape.begin(0);
                    tape.term(1, gate[3 * hidden + k], tc);
                    nextH[k] = tape.end();
                }
                h = nextH;
                c = nextC;
                int at = outputAt(n, t);
                if (at >= 0) {
                    System.arraycopy(h, 0, y, at, hidden);
                }
            }
        }
    }
}
