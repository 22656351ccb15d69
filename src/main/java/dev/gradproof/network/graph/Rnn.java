package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/** {@code rnn}: h_t = tanh(W_ih x_t + b_ih + W_hh h_{t−1} + b_hh), PyTorch's RNN with tanh. */
@API(status = INTERNAL, since = "0.2")
public final class Rnn extends Recurrent {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.RNN, Set.of(Catalogue.Flag.SEQUENCE),
            (o, in) -> new Rnn((RecurrentOptions) o, in),
            List.of(
                    Sample.of("rnn returning the sequence", Shape.sequence(4, 3), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.RNN, 3, true)),
                    Sample.of("rnn returning the last state", Shape.sequence(3, 2), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.RNN, 4, false).dense(null, 2)),
                    Sample.of("rnn on a length-1 sequence", Shape.sequence(1, 2), 3,
                            b -> b.recurrent(null, RecurrentOptions.Cell.RNN, 2, true))),
            rnd -> random(rnd, RecurrentOptions.Cell.RNN));

    public Rnn(RecurrentOptions o, List<Shape> inputs) {
        super(o, inputs);
    }

    @Override
    Recurrent copy() {
        return new Rnn((RecurrentOptions) options, List.of(in));
    }

    /** Every step's input parts [N, T, H] and h [N, T, H]; W_hh by columns, which a moved pass reuses. */
    record Saved(double[] input, double[] h, double[][] columns) {
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        return run(theta, base, x[0], y, b, null, -1, columns(theta, base));
    }

    /** A moved parameter reuses the unmoved input parts of every row but its own. */
    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        Saved s = (Saved) saved;
        return run(theta, base, x[0], y, b, s.input, inputRow(local), columnsMoved(s.columns, theta, base, local));
    }

    private Saved run(double[] theta, int base, double[] x, double[] y, Batch b, double[] cached, int moved,
                      double[][] columns) {
        int size = b.examples() * steps * hidden;
        Saved s = new Saved(new double[size], new double[size], columns);
        double[] a = new double[hidden];
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            inputParts(theta, base, x, n, s.input, n * steps * gates, cached, moved);
            for (int t = 0; t < steps; t++) {
                int ho = (n * steps + t) * hidden;
                gateSums(theta, base, columns, s.input, ho, t == 0 ? null : s.h, ho - hidden, a, 0, hidden);
                for (int j = 0; j < hidden; j++) {
                    s.h[ho + j] = StrictMath.tanh(a[j]);
                }
                int at = outputAt(n, t);
                if (at >= 0) {
                    System.arraycopy(s.h, ho, y, at, hidden);
                }
            }
        }
        return s;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        double[] hs = ((Saved) saved).h();
        for (int n = 0; n < b.examples(); n++) {
            double[] dh = new double[hidden];
            for (int t = steps - 1; t >= 0; t--) {
                int at = outputAt(n, t);
                if (at >= 0) {
                    for (int j = 0; j < hidden; j++) {
                        dh[j] += dy[at + j];
                    }
                }
                int xo = (n * steps + t) * f;
                int ho = (n * steps + t) * hidden;
                double[] below = new double[hidden];
                for (int j = 0; j < hidden; j++) {
                    double h = hs[ho + j];
                    double da = dh[j] * (1 - h * h);
                    inputBackward(theta, base, x[0], xo, dx[0], grad, j, da);
                    hiddenBackward(theta, base, t == 0 ? null : hs, ho - hidden, below, grad, j, da);
                }
                dh = carried(below);
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            int[] h = null;
            for (int t = 0; t < steps; t++) {
                int xo = (n * steps + t) * f;
                int[] next = new int[hidden];
                for (int j = 0; j < hidden; j++) {
                    tape.begin(0);
                    inputTerms(tape, base, x[0], xo, j);
                    hiddenTerms(tape, base, h, j);
                    next[j] = tape.unary(Elementaries.TANH, tape.end());
                }
                h = next;
                int at = outputAt(n, t);
                if (at >= 0) {
                    System.arraycopy(h, 0, y, at, hidden);
                }
            }
        }
    }
}
