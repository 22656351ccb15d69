package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.EmbeddingOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code embedding}: y[t, :] = weight[id_t, :] for token ids [T]. The backward pass accumulates into
 * the row of every position that uses it (a row used twice gets both gradients: the classic bug assigns
 * instead). On the tape the outputs are the table's own nodes: a copy rounds nothing.
 */
@API(status = INTERNAL, since = "0.2")
public final class Embedding extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.EMBEDDING,
            Set.of(Catalogue.Flag.INTEGER_INPUT, Catalogue.Flag.SEQUENCE),
            (o, in) -> new Embedding((EmbeddingOptions) o, in),
            List.of(
                    Sample.of("embedding with repeated ids", Shape.tokens(5), 3, b -> b.embedding(null, 4, 3))
                            .withInputs(SampleData.tokens(4)),
                    Sample.of("embedding of a length-1 sequence", Shape.tokens(1), 2,
                            b -> b.embedding(null, 3, 2).dense(null, 2)).withInputs(SampleData.tokens(3)),
                    Sample.of("embedding with identical rows", Shape.tokens(4), 2, b -> b.embedding(null, 3, 2).dense(null, 2))
                            .withInputs(SampleData.tokens(3))
                            .withTheta((layout, theta) -> {
                                // Rows 0 and 1 equal: their gradients must still go to their own rows.
                                GraphLayout.Tensor t = layout.tensor("embedding1.weight");
                                System.arraycopy(theta, t.offset(), theta, t.offset() + 2, 2);
                            })),
            rnd -> {
                int vocabulary = 1 + rnd.nextInt(5);
                int dim = 1 + rnd.nextInt(4);
                int steps = 1 + rnd.nextInt(5);
                return Sample.of("embedding " + vocabulary + "x" + dim + " on " + steps + " tokens", Shape.tokens(steps),
                        1 + rnd.nextInt(3), b -> b.embedding(null, vocabulary, dim)).withInputs(SampleData.tokens(vocabulary));
            });

    private final int steps;
    private final int dim;

    public Embedding(EmbeddingOptions o, List<Shape> inputs) {
        super(o, inputs);
        steps = in[0].dim(0);
        dim = o.dim();
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int t = 0; t < steps; t++) {
                int id = (int) x[0][n * steps + t];
                System.arraycopy(theta, base + id * dim, y, (n * steps + t) * dim, dim);
            }
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            for (int t = 0; t < steps; t++) {
                int id = (int) x[0][n * steps + t];
                for (int d = 0; d < dim; d++) {
                    grad[base + id * dim + d] += dy[(n * steps + t) * dim + d];
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            for (int t = 0; t < steps; t++) {
                int id = (int) tape.value(x[0][n * steps + t]);
                for (int d = 0; d < dim; d++) {
                    y[(n * steps + t) * dim + d] = base + id * dim + d;
                }
            }
        }
    }

    /** A row reaches only the examples whose tokens use it. */
    @Override
    public int[] examplesReached(int local, double[][] x, int examples) {
        int id = local / dim;
        List<Integer> rows = new ArrayList<>();
        for (int n = 0; n < examples; n++) {
            for (int t = 0; t < steps; t++) {
                if ((int) x[0][n * steps + t] == id) {
                    rows.add(n);
                    break;
                }
            }
        }
        return rows.stream().mapToInt(Integer::intValue).toArray();
    }
}
