package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.BatchNormOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code batch_norm} in training mode: each channel (each feature of a vector) normalised over the
 * batch and its spatial positions with the batch's own mean and biased variance; a group is one channel's
 * N·S values. The batch is coupled: a change in one example moves every example's output.
 */
@API(status = INTERNAL, since = "0.2")
public final class BatchNorm extends Normalization {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.BATCH_NORM, Set.of(Catalogue.Flag.BATCH_COUPLED),
            (o, in) -> new BatchNorm((BatchNormOptions) o, in),
            List.of(
                    Sample.of("batch_norm on features", Shape.features(3), 4,
                            b -> b.dense(null, 3).batchNorm(null).activation(Activations.tanh())),
                    Sample.of("batch_norm on channels", Shape.channels(2, 3, 3), 2,
                            b -> b.conv2d(null, 2, 2, 1, 0).batchNorm(null)),
                    Sample.of("batch_norm without affine, eps 0.1", Shape.channels(1, 5), 3,
                            b -> b.conv1d(null, 2, 2, 1, 0).layer(null, new BatchNormOptions(0.1, false))
                                    .flatten().dense(null, 2)),
                    Sample.of("batch_norm then relu at exactly 0", Shape.features(2), 3,
                            b -> b.dense(null, 3).batchNorm(null).activation(Activations.relu()).dense(null, 2))
                            .withInputs(SampleData::symmetric).withTheta(SampleData.INTEGER_WEIGHTS)),
            rnd -> {
                int c = 1 + rnd.nextInt(3);
                int l = 1 + rnd.nextInt(3);
                int n = 2 + rnd.nextInt(3);
                boolean affine = rnd.nextInt(4) > 0;
                return Sample.of("batch_norm on [" + c + ", " + l + "], batch " + n, Shape.channels(c, l), n,
                        b -> b.conv1d(null, c, 1, 1, 0).layer(null, new BatchNormOptions(1e-5, affine)));
            });

    private final int c;
    private final int s;

    public BatchNorm(BatchNormOptions o, List<Shape> inputs) {
        super(o, inputs, o.eps(), o.affine());
        c = out.dim(0);
        s = out.size() / c;
    }

    @Override
    public boolean perExample() {
        return false;
    }

    int blockSize() {
        return s;
    }

    int groupOf(int block, int n) {
        return block;
    }

    int groups(int n) {
        return c;
    }

    int size(int n) {
        return n * s;
    }

    int index(int g, int m, int n) {
        return ((m / s) * c + g) * s + m % s;
    }

    int affine(int g, int m) {
        return g;
    }

    int[] groupsOf(int n, int examples) {
        int[] all = new int[c];
        for (int g = 0; g < c; g++) {
            all[g] = g;
        }
        return all;
    }
}
