package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.Spec;

import org.apiguardian.api.API;

/**
 * What a spec's summary needs to know of its network, whichever engine checked it: its layers as a
 * reader names them, which are frozen, their activations (for the declared-derivative grid), how many
 * parameters are trainable, and the width of the output (to name a factor of K).
 */
@API(status = INTERNAL, since = "0.2")
public interface Structure {

    /** Layers, from 1. */
    int layers();

    /**
     * How layer l is shown: a dense chain's by its activation ({@code tanh with declared f'(x) = ...}),
     * a graph's by name, type and activation ({@code conv1: conv2d, tanh}).
     */
    String describe(int layer);

    boolean frozen(int layer);

    /** Layer l's elementwise activation, or null (softmax, or none). */
    Activation activation(int layer);

    /** How its activation is shown in the declared-derivative grid's findings. */
    String activationDescription(int layer);

    int trainable();

    /** Values of one example's output per step: what a factor of K means. */
    int outputs();

    /** Parameter p's name. */
    String name(int p);

    /** The spec's network built afresh, by the engine its layers call for (a dense chain or a layer graph). */
    static Structure of(Spec spec) {
        return spec.network().isGraph() ? of(spec, GraphFactory.build(spec)) : of(spec, NetworkFactory.build(spec));
    }

    static Structure of(Spec spec, Mlp mlp) {
        return new Structure() {
            private LayerSpec layer(int l) {
                return spec.network().layers().get(l - 1);
            }

            public int layers() {
                return mlp.layout().layers();
            }

            public String describe(int l) {
                return layer(l).activation().describe();
            }

            public boolean frozen(int l) {
                return layer(l).frozen();
            }

            public Activation activation(int l) {
                return mlp.activation(l - 1);
            }

            public String activationDescription(int l) {
                return layer(l).activation().describe();
            }

            public int trainable() {
                return mlp.layout().trainable().size();
            }

            public int outputs() {
                return mlp.layout().size(mlp.layout().layers());
            }

            public String name(int p) {
                return mlp.layout().name(p);
            }
        };
    }

    static Structure of(Spec spec, GraphNetwork g) {
        GraphSpec graph = spec.network().graph();
        return new Structure() {
            private GraphNode node(int l) {
                return g.nodes().get(l - 1);
            }

            public int layers() {
                return g.nodes().size();
            }

            public String describe(int l) {
                GraphSpec.Layer layer = graph.layers().get(l - 1);
                String act = layer.activation() == null ? "" : ", " + layer.activation().describe();
                return node(l).name() + ": " + layer.options().type().yamlName() + act;
            }

            public boolean frozen(int l) {
                return graph.layers().get(l - 1).frozen();
            }

            public Activation activation(int l) {
                return node(l).activation();
            }

            public String activationDescription(int l) {
                GraphSpec.Layer layer = graph.layers().get(l - 1);
                return layer.activation() == null ? "" : layer.activation().describe();
            }

            public int trainable() {
                return g.layout().trainable().size();
            }

            public int outputs() {
                return g.head().width();
            }

            public String name(int p) {
                return g.layout().name(p);
            }
        };
    }
}
