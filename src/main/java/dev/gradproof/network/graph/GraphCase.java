package dev.gradproof.network.graph;

/** A network with one draw of parameters and data: what every check runs on. */
public record GraphCase(String name, GraphNetwork network, double[] theta, GraphData data) {

    @Override
    public String toString() {
        return name + " (seed " + data.seed() + ")";
    }
}
