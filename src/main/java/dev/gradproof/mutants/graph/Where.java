package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.LayerType;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** What applicability rules ask of a graph: which layers, what lies below them, who reads them. */
final class Where {
    private Where() {
    }

    static List<GraphNode> layers(GraphNetwork g, LayerType type) {
        return g.nodes().stream().filter(n -> n.options().type() == type).toList();
    }

    /** Whether node k itself has parameters that are checked. */
    static boolean trainable(GraphNode n) {
        return !n.frozen() && n.layer().parameterCount() > 0;
    }

    /** Whether a checked parameter lies upstream of input j of node k (an input gradient reaches it). */
    static boolean trainableBelow(GraphNetwork g, GraphNode node, int j) {
        int from = node.inputs()[j];
        return from >= 0 && (trainable(g.nodes().get(from)) || trainableBelow(g, g.nodes().get(from)));
    }

    /** Whether a checked parameter lies upstream of any input of node k. */
    static boolean trainableBelow(GraphNetwork g, GraphNode node) {
        for (int j = 0; j < node.inputs().length; j++) {
            if (trainableBelow(g, node, j)) {
                return true;
            }
        }
        return false;
    }

    /** The nodes that read node k. */
    static List<GraphNode> readers(GraphNetwork g, GraphNode node) {
        List<GraphNode> out = new ArrayList<>();
        for (GraphNode n : g.nodes()) {
            for (int i : n.inputs()) {
                if (i == node.index()) {
                    out.add(n);
                    break;
                }
            }
        }
        return out;
    }

    /** Whether node a is upstream of node b (or is b). */
    static boolean upstream(GraphNetwork g, int a, int b) {
        if (a == b) {
            return true;
        }
        if (b < 0) {
            return false;
        }
        for (int i : g.nodes().get(b).inputs()) {
            if (upstream(g, a, i)) {
                return true;
            }
        }
        return false;
    }

    static boolean any(GraphNetwork g, LayerType type, Predicate<GraphNode> p) {
        return layers(g, type).stream().anyMatch(p);
    }
}
