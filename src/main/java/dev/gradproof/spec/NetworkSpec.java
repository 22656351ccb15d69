package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/** A fully connected feed-forward network: {@code inputs} features, then {@code layers} in order. */
@API(status = INTERNAL, since = "0.2")
public record NetworkSpec(int inputs, List<LayerSpec> layers) {
    public NetworkSpec {
        layers = List.copyOf(layers);
    }

    public int outputs() {
        return layers.get(layers.size() - 1).units();
    }

    /** Number of trainable-or-frozen scalars: every weight and bias. */
    public long parameterCount() {
        long count = 0;
        int fanIn = inputs;
        for (LayerSpec layer : layers) {
            count += (long) layer.units() * fanIn + (layer.bias() ? layer.units() : 0);
            fanIn = layer.units();
        }
        return count;
    }
}
