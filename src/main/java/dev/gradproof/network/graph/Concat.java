package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.ConcatOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code concat} along the channel axis (channels) or the last axis (features, sequences): for each
 * outer index (1 for channels and vectors, each step of a sequence) the inputs' blocks one after another.
 */
@API(status = INTERNAL, since = "0.2")
public final class Concat extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.CONCAT, Set.of(Catalogue.Flag.JOINS),
            (o, in) -> new Concat((ConcatOptions) o, in),
            List.of(
                    Sample.of("concat features", Shape.features(3), 2, b -> b
                            .dense("a", 2).activation(Activations.tanh())
                            .dense("b", 3).from("input")
                            .concat(null, "a", "b", "input")),
                    Sample.of("concat a sequence's features", Shape.sequence(3, 2), 2, b -> b
                            .dense("a", 2)
                            .dense("b", 1).from("input")
                            .concat(null, "b", "a"))),
            rnd -> {
                int f = 1 + rnd.nextInt(3);
                int u = 1 + rnd.nextInt(3);
                int t = 1 + rnd.nextInt(3);
                return Sample.of("concat sequence", Shape.sequence(t, f), 1 + rnd.nextInt(3), b -> b
                        .dense("a", u).activation(Activations.tanh())
                        .concat(null, "input", "a"));
            });

    private final int outer;
    private final int[] block;
    private final int width;

    public Concat(ConcatOptions o, List<Shape> inputs) {
        super(o, inputs);
        int axis = in[0].featureAxis();
        int o1 = 1;
        for (int a = 0; a < axis; a++) {
            o1 *= in[0].dim(a);
        }
        outer = o1;
        block = new int[in.length];
        int w = 0;
        for (int k = 0; k < in.length; k++) {
            block[k] = in[k].size() / outer;
            w += block[k];
        }
        width = w;
    }

    /** Calls copy(k, from, to, len) for every block of example n. */
    private void blocks(int n, BlockCopy copy) {
        for (int o = 0; o < outer; o++) {
            int to = (n * outer + o) * width;
            for (int k = 0; k < block.length; k++) {
                copy.copy(k, (n * outer + o) * block[k], to, block[k]);
                to += block[k];
            }
        }
    }

    private interface BlockCopy {
        void copy(int input, int from, int to, int length);
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            blocks(b.row(r), (k, from, to, len) -> System.arraycopy(x[k], from, y, to, len));
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            blocks(n, (k, from, to, len) -> {
                if (dx[k] != null) {
                    for (int i = 0; i < len; i++) {
                        dx[k][from + i] += dy[to + i];
                    }
                }
            });
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            blocks(n, (k, from, to, len) -> System.arraycopy(x[k], from, y, to, len));
        }
    }
}
