package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.Shape;
import org.apiguardian.api.API;

/**
 * One layer of a graph.
 *
 * @param index      0-based position in spec order (the layer number is index + 1)
 * @param name       given or default ({@code conv2d1}: type name and count among layers of that type)
 * @param inputs     the nodes it reads, by index; −1 is the network's input
 * @param activation elementwise nonlinearity after the layer, null for none
 * @param softmax    a softmax over the last axis after the layer (instead of an elementwise activation)
 * @param frozen     its parameters take part in the forward pass but are not checked
 * @param offset     where its parameters start in θ (and, on the tape, its first parameter's node)
 */
@API(status = INTERNAL, since = "0.2")
public record GraphNode(int index, String name, LayerOptions options, Layer layer, int[] inputs, Activation activation,
                        boolean softmax, boolean frozen, int offset) {

    public int number() {
        return index + 1;
    }

    public Shape shape() {
        return layer.outputShape();
    }

    @Override
    public int[] inputs() {
        return inputs.clone();
    }

    int input(int k) {
        return inputs[k];
    }

    int inputCount() {
        return inputs.length;
    }

    /** {@code conv1 (conv2d)}. */
    public String describe() {
        return name + " (" + options.type().yamlName() + ")";
    }
}
