package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.List;

import org.apiguardian.api.API;

/**
 * A network that is not a plain chain of dense layers: an input shape, layers of any type
 * (docs/LAYERS.md), each reading the layer before or the ones its {@code from:} names. Validated when
 * read: its {@link #plan()} holds every layer's name and shape.
 *
 * @param input  one example's input: [F] features, [T, F] a sequence, [C, H, W] or [C, L] channels, or
 *               [T] token ids (when an embedding reads it)
 * @param layers in spec order
 * @param plan   names, inputs and shapes, worked out from the options
 */
@API(status = INTERNAL, since = "0.2")
public record GraphSpec(Shape input, List<Layer> layers, GraphPlan plan) {

    public GraphSpec {
        layers = List.copyOf(layers);
    }

    /**
     * One layer as written.
     *
     * @param name       as given, or null (the plan holds the default name)
     * @param from       the layers it reads, or null for the layer before
     * @param activation its elementwise activation, or null; softmax is written as one
     */
    public record Layer(String name, LayerOptions options, List<String> from, ActivationSpec activation, boolean frozen) {
        public boolean softmax() {
            return activation != null && activation.name().equals("softmax");
        }
    }

    /** The name of layer l (from 1), given or default. */
    public String name(int layer) {
        return plan.names().get(layer - 1);
    }

    /** One example's output shape. */
    public Shape output() {
        return plan.shapes().get(plan.shapes().size() - 1);
    }

    /** Parameters of every layer, frozen ones included. */
    public long parameterCount() {
        long count = 0;
        for (int k = 0; k < layers.size(); k++) {
            for (var t : layers.get(k).options().parameters(plan.inputs().get(k))) {
                long size = 1;
                for (int d : t.shape()) {
                    size *= d;
                }
                count += size;
            }
        }
        return count;
    }

    /**
     * Multiply-adds of one example's forward pass, about: each weight tensor's fan-in times the outputs of
     * its layer (a convolution's kernel times its output map, a dense matrix times its units). What the
     * exact oracle's tape records per example.
     */
    public long multiplyAdds() {
        long count = 0;
        for (int k = 0; k < layers.size(); k++) {
            for (var t : layers.get(k).options().parameters(plan.inputs().get(k))) {
                if (t.role() == dev.gradproof.spec.layers.ParameterTensor.Role.WEIGHT) {
                    count += (long) t.fanIn() * plan.shapes().get(k).size();
                }
            }
        }
        return count;
    }

    /** Scalars one example's forward pass holds: the input and every layer's output. */
    public long activationCount() {
        long count = input.size();
        for (Shape s : plan.shapes()) {
            count += s.size();
        }
        return count;
    }
}
