package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The network: a fully connected chain ({@code inputs} features, then dense {@code layers} in order), or a
 * layer {@code graph} of any layer types (then {@code layers} is empty).
 */
@API(status = INTERNAL, since = "0.2")
public record NetworkSpec(int inputs, List<LayerSpec> layers, GraphSpec graph) {
    public NetworkSpec {
        layers = List.copyOf(layers);
    }

    /** A chain of dense layers. */
    public NetworkSpec(int inputs, List<LayerSpec> layers) {
        this(inputs, layers, null);
    }

    /** A layer graph: {@code inputs} is one example's input size, and there are no dense-chain layers. */
    public static NetworkSpec of(GraphSpec graph) {
        return new NetworkSpec(graph.input().size(), List.of(), graph);
    }

    /** Whether the layer-graph engine checks it (anything but a plain chain of dense layers). */
    public boolean isGraph() {
        return graph != null;
    }

    /** Scalars one example's output has. */
    public int outputs() {
        return graph != null ? graph.output().size() : layers.get(layers.size() - 1).units();
    }

    /** Number of trainable-or-frozen scalars: every weight and bias. */
    public long parameterCount() {
        if (graph != null) {
            return graph.parameterCount();
        }
        long count = 0;
        int fanIn = inputs;
        for (LayerSpec layer : layers) {
            count += (long) layer.units() * fanIn + (layer.bias() ? layer.units() : 0);
            fanIn = layer.units();
        }
        return count;
    }
}
