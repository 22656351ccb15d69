package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.PositionEmbeddingOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/** {@code position_embedding}: y[t, f] = x[t, f] + weight[t, f], learned positions added to a sequence. */
@API(status = INTERNAL, since = "0.2")
public final class PositionEmbedding extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.POSITION_EMBEDDING, Set.of(Catalogue.Flag.SEQUENCE),
            (o, in) -> new PositionEmbedding((PositionEmbeddingOptions) o, in),
            List.of(
                    Sample.of("token and position embeddings", Shape.tokens(4), 2,
                            b -> b.embedding(null, 3, 2).positionEmbedding(null)).withInputs(SampleData.tokens(3)),
                    Sample.of("positions on a sequence", Shape.sequence(3, 2), 2,
                            b -> b.dense(null, 2).positionEmbedding(null))),
            rnd -> {
                int t = 1 + rnd.nextInt(4);
                int f = 1 + rnd.nextInt(4);
                return Sample.of("positions on [" + t + ", " + f + "]", Shape.sequence(t, f), 1 + rnd.nextInt(3),
                        b -> b.positionEmbedding(null));
            });

    private final int size;

    public PositionEmbedding(PositionEmbeddingOptions o, List<Shape> inputs) {
        super(o, inputs);
        size = out.size();
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int i = 0; i < size; i++) {
                y[n * size + i] = x[0][n * size + i] + theta[base + i];
            }
        }
        return null;
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return changed;
    }

    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int o = b.row(r) * size;
            for (int i : changed[0]) {
                y[o + i] = x[0][o + i] + theta[base + i];
            }
        }
        return null;
    }

    /** A position's entry reaches that element only. */
    @Override
    public int[] outputsReached(int local) {
        return new int[] {local};
    }

    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int o = b.row(r) * size;
            y[o + local] = x[0][o + local] + theta[base + local];
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            for (int i = 0; i < size; i++) {
                grad[base + i] += dy[n * size + i];
                if (dx[0] != null) {
                    dx[0][n * size + i] += dy[n * size + i];
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int n = 0; n < b.examples(); n++) {
            for (int i = 0; i < size; i++) {
                tape.begin(0);
                tape.term(1, x[0][n * size + i]);
                tape.term(1, base + i);
                y[n * size + i] = tape.end();
            }
        }
    }
}
