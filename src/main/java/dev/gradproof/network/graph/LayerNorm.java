package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.LayerNormOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * {@code layer_norm}: each example's trailing {@code normalized_shape} values normalised together, for
 * every leading position (every step of a sequence); γ and β have the normalised shape.
 */
@API(status = INTERNAL, since = "0.2")
public final class LayerNorm extends Normalization {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.LAYER_NORM, Set.of(),
            (o, in) -> new LayerNorm((LayerNormOptions) o, in),
            List.of(
                    Sample.of("layer_norm per step of a sequence", Shape.sequence(3, 4), 2,
                            b -> b.dense(null, 4).layerNorm(null).activation(Activations.tanh())),
                    Sample.of("layer_norm over [H, W] of channels", Shape.channels(2, 3, 3), 2,
                            b -> b.conv2d(null, 2, 1, 1, 0).layer(null,
                                    new LayerNormOptions(new int[] {3, 3}, 1e-5, true))),
                    Sample.of("layer_norm over all of [C, L], no affine", Shape.channels(2, 3), 2,
                            b -> b.conv1d(null, 2, 1, 1, 0).layer(null,
                                    new LayerNormOptions(new int[] {2, 3}, 1e-3, false))),
                    Sample.of("layer_norm on one feature (variance 0)", Shape.features(2), 2,
                            b -> b.dense(null, 1).layerNorm(null).dense(null, 2))),
            rnd -> {
                int t = 1 + rnd.nextInt(3);
                int f = 1 + rnd.nextInt(5);
                boolean affine = rnd.nextInt(4) > 0;
                return Sample.of("layer_norm on [" + t + ", " + f + "]", Shape.sequence(t, f), 1 + rnd.nextInt(3),
                        b -> b.dense(null, f).layer(null, new LayerNormOptions(null, 1e-5, affine)));
            });

    private final int positions;
    private final int d;

    public LayerNorm(LayerNormOptions o, List<Shape> inputs) {
        super(o, inputs, o.eps(), o.affine());
        int norm = 1;
        for (int v : o.resolved(in[0])) {
            norm *= v;
        }
        d = norm;
        positions = out.size() / d;
    }

    int blockSize() {
        return d;
    }

    int groupOf(int block, int n) {
        return n * positions + block;
    }

    int groups(int n) {
        return n * positions;
    }

    int size(int n) {
        return d;
    }

    int index(int g, int m, int n) {
        return g * d + m;
    }

    int affine(int g, int m) {
        return m;
    }

    int[] groupsOf(int n, int examples) {
        int[] gs = new int[positions];
        for (int p = 0; p < positions; p++) {
            gs[p] = n * positions + p;
        }
        return gs;
    }
}
