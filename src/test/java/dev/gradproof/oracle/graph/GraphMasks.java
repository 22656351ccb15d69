package dev.gradproof.oracle.graph;

import dev.gradproof.network.graph.Dropout;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.DropoutOptions;

import java.util.LinkedHashMap;
import java.util.Map;

/** Each dropout layer's fixed mask (as multipliers), for a framework that cannot draw gradproof's. */
final class GraphMasks {
    private GraphMasks() {
    }

    static Map<String, double[]> of(GraphCase c) {
        Map<String, double[]> out = new LinkedHashMap<>();
        int n = c.data().examples();
        for (GraphNode node : c.network().nodes()) {
            if (node.options() instanceof DropoutOptions d) {
                int size = node.shape().size();
                double[] m = new double[n * size];
                for (int e = 0; e < n; e++) {
                    for (int i = 0; i < size; i++) {
                        m[e * size + i] = Dropout.mask(c.data().seed(), node.number(), e, i, d.p());
                    }
                }
                out.put(node.name(), m);
            }
        }
        return out;
    }
}
