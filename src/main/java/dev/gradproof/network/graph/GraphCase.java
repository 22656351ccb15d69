package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/** A network with one draw of parameters and data: what every check runs on. */
@API(status = INTERNAL, since = "0.2")
public record GraphCase(String name, GraphNetwork network, double[] theta, GraphData data) {

    @Override
    public String toString() {
        return name + " (seed " + data.seed() + ")";
    }
}
