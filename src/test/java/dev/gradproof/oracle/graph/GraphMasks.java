package dev.gradproof.oracle.graph;

import dev.gradproof.network.graph.GraphCase;

import java.util.LinkedHashMap;
import java.util.Map;

/** Each dropout layer's fixed mask (as multipliers), for a framework that cannot draw gradproof's. */
final class GraphMasks {
    private GraphMasks() {
    }

    static Map<String, double[]> of(GraphCase c) {
        return new LinkedHashMap<>();
    }
}
