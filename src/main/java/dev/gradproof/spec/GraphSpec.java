package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.DenseOptions;
import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.LayerOptionException;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /**
     * The same graph narrowed: a layer's width (a dense layer's units, a convolution's out_channels, a
     * recurrent layer's hidden size) and a sequence's length. Null when the narrowed graph does not fit
     * (its shapes no longer join): a shrinking step that is simply not taken.
     *
     * @param widths layer name → width, for layers to narrow
     * @param steps  a sequence's or token input's new length, or 0 to keep it
     */
    public GraphSpec narrowed(Map<String, Integer> widths, int steps) {
        List<Layer> out = new ArrayList<>();
        List<GraphPlan.Layer> planned = new ArrayList<>();
        for (int k = 0; k < layers.size(); k++) {
            Layer l = layers.get(k);
            Integer w = widths.get(name(k + 1));
            LayerOptions o = l.options();
            if (w != null && o instanceof DenseOptions d) {
                o = new DenseOptions(w, d.bias());
            } else if (w != null && o instanceof ConvOptions c) {
                o = new ConvOptions(c.axes(), w, c.kernel(), c.stride(), c.padding(), c.dilation(), c.bias());
            } else if (w != null && o instanceof RecurrentOptions r) {
                o = new RecurrentOptions(r.cell(), w, r.returnSequence(), r.bias());
            }
            Layer narrowed = new Layer(l.name(), o, l.from(), l.activation(), l.frozen());
            out.add(narrowed);
            planned.add(new GraphPlan.Layer(l.name(), o, l.from(), narrowed.softmax(),
                    l.activation() == null || narrowed.softmax() ? null : l.activation().name()));
        }
        Shape in = input;
        if (steps > 0 && (in.kind() == Shape.Kind.SEQUENCE || in.kind() == Shape.Kind.TOKENS)) {
            int[] dims = in.dims();
            dims[0] = steps;
            in = new Shape(in.kind(), dims);
        }
        try {
            return new GraphSpec(in, out, GraphPlan.of(in, planned));
        } catch (LayerOptionException e) {
            return null;
        }
    }

    /** A layer's width, as {@link #narrowed} narrows it; 0 for a layer without one. */
    public int width(int layer) {
        LayerOptions o = layers.get(layer - 1).options();
        return o instanceof DenseOptions d ? d.units() : o instanceof ConvOptions c ? c.outChannels()
                : o instanceof RecurrentOptions r ? r.hidden() : 0;
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
