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
 * {@code gru}, PyTorch's equations and gate order r, z, n: r = σ(a_r), z = σ(a_z),
 * n = tanh((b_in + W_in x) + r·(b_hn + W_hn h)), h' = (1 − z)·n + z·h, from h = 0. The reset gate
 * multiplies the whole recurrent part of n, bias included (PyTorch's, not the original paper's).
 */
@API(status = INTERNAL, since = "0.2")
public final class Gru extends Recurrent {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.GRU, Set.of(Catalogue.Flag.SEQUENCE),
            (o, in) -> new Gru((RecurrentOptions) o, in),
            List.of(
                    Sample.of("gru returning the sequence", Shape.sequence(4, 3), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.GRU, 3, true)),
                    Sample.of("gru returning the last state", Shape.sequence(3, 2), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.GRU, 2, false).dense(null, 1)),
                    Sample.of("gru on a length-1 sequence", Shape.sequence(1, 2), 2,
                            b -> b.recurrent(null, RecurrentOptions.Cell.GRU, 2, true))),
            rnd -> random(rnd, RecurrentOptions.Cell.GRU));

    public Gru(RecurrentOptions o, List<Shape> inputs) {
        super(o, inputs);
    }

    @Override
    Recurrent copy() {
        return new Gru((RecurrentOptions) options, List.of(in));
    }

    /**
     * Per step: the input parts of the gate sums [N, T, 3H]; r, z, n, the recurrent part of n (b_hn + W_hn h), h;
     * and W_hh by columns, which a moved pass reuses.
     */
    record Saved(double[] input, double[] r, double[] z, double[] n, double[] hn, double[] h, double[][] columns) {
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        return run(theta, base, x[0], y, b, null, -1, columns(theta, base));
    }

    /** A moved parameter reuses the unmoved input parts of every gate row but its own. */
    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        Saved s = (Saved) saved;
        return run(theta, base, x[0], y, b, s.input, inputRow(local), columnsMoved(s.columns, theta, base, local));
    }

    private Saved run(double[] theta, int base, double[] x, double[] y, Batch b, double[] cached, int moved,
                      double[][] columns) {
        int size = b.examples() * steps * hidden;
        Saved s = new Saved(new double[size * 3], new double[size], new double[size], new double[size], new double[size],
                new double[size], columns);
        double[] a = new double[gates];
        for (int row = 0; row < b.count(); row++) {
            int n = b.row(row);
            inputParts(theta, base, x, n, s.input, n * steps * gates, cached, moved);
            for (int t = 0; t < steps; t++) {
                int ho = (n * steps + t) * hidden;
                int io = (n * steps + t) * gates;
                double[] hPrev = t == 0 ? null : s.h;
                gateSums(theta, base, columns, s.input, io, hPrev, ho - hidden, a, 0, 2 * hidden);
                gateSums(theta, base, columns, null, 0, hPrev, ho - hidden, a, 2 * hidden, gates);
                for (int k = 0; k < hidden; k++) {
                    double r = Activations.sigmoid(a[k]);
                    double z = Activations.sigmoid(a[hidden + k]);
                    double in = s.input[io + 2 * hidden + k];
                    double hn = a[2 * hidden + k];
                    double nn = StrictMath.tanh(in + r * hn);
                    s.r[ho + k] = r;
                    s.z[ho + k] = z;
                    s.n[ho + k] = nn;
                    s.hn[ho + k] = hn;
                    s.h[ho + k] = t == 0 ? (1 - z) * nn : (1 - z) * nn + z * hPrev[ho - hidden + k];
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
        Saved s = (Saved) saved;
        for (int n = 0; n < b.examples(); n++) {
            double[] dh = new double[hidden];
            for (int t = steps - 1; t >= 0; t--) {
                int at = outputAt(n, t);
                if (at >= 0) {
                    for (int k = 0; k < hidden; k++) {
                        dh[k] += dy[at + k];
                    }
                }
                int xo = (n * steps + t) * f;
                int ho = (n * steps + t) * hidden;
                double[] hPrev = t == 0 ? null : s.h;
                double[] below = new double[hidden];
                for (int k = 0; k < hidden; k++) {
                    double r = s.r[ho + k];
                    double z = s.z[ho + k];
                    double nn = s.n[ho + k];
                    double prev = t == 0 ? 0 : s.h[ho - hidden + k];
                    double dn = dh[k] * (1 - z);
                    double dz = dh[k] * (prev - nn);
                    below[k] += dh[k] * z;
                    double dan = dn * (1 - nn * nn);
                    double dhn = dan * r;
                    double dar = dan * s.hn[ho + k] * r * (1 - r);
                    double daz = dz * z * (1 - z);
                    inputBackward(theta, base, x[0], xo, dx[0], grad, k, dar);
                    inputBackward(theta, base, x[0], xo, dx[0], grad, hidden + k, daz);
                    inputBackward(theta, base, x[0], xo, dx[0], grad, 2 * hidden + k, dan);
                    hiddenBackward(theta, base, hPrev, ho - hidden, below, grad, k, dar);
                    hiddenBackward(theta, base, hPrev, ho - hidden, below, grad, hidden + k, daz);
                    hiddenBackward(theta, base, hPrev, ho - hidden, below, grad, 2 * hidden + k, dhn);
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
                for (int k = 0; k < hidden; k++) {
                    int r = gate(tape, base, x[0], xo, h, k, Elementaries.SIGMOID);
                    int z = gate(tape, base, x[0], xo, h, hidden + k, Elementaries.SIGMOID);
                    tape.begin(0);
                    inputTerms(tape, base, x[0], xo, 2 * hidden + k);
                    int in = tape.end();
                    tape.begin(0);
                    hiddenTerms(tape, base, h, 2 * hidden + k);
                    int hn = tape.end();
                    tape.begin(0);
                    tape.term(1, in);
                    tape.term(1, r, hn);
                    int nn = tape.unary(Elementaries.TANH, tape.end());
                    tape.begin(1);
                    tape.term(-1, z);
                    int oneMinusZ = tape.end();
                    tape.begin(0);
                    tape.term(1, oneMinusZ, nn);
                    if (h != null) {
                        tape.term(1, z, h[k]);
                    }
                    next[k] = tape.end();
                }
                h = next;
                int at = outputAt(n, t);
                if (at >= 0) {
                    System.arraycopy(h, 0, y, at, hidden);
                }
            }
        }
    }

    private int gate(Tape tape, int base, int[] x, int xo, int[] h, int j, Elementary f) {
        tape.begin(0);
        inputTerms(tape, base, x, xo, j);
        hiddenTerms(tape, base, h, j);
        return tape.unary(f, tape.end());
    }
}
