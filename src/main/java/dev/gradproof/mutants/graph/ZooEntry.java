package dev.gradproof.mutants.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;

import java.util.stream.Collectors;

import org.apiguardian.api.API;

/**
 * A mutant named on the command line, looked up in both zoos: a dense chain's ({@link Mutants}) or a
 * layer graph's ({@link GraphMutants}). Exactly one of the two is set.
 */
@API(status = INTERNAL, since = "0.3")
public record ZooEntry(Mutant dense, GraphMutant graph) {

    /** The mutant of either zoo with this name; an unknown name's error lists both zoos. */
    public static ZooEntry named(String name) {
        for (Mutant m : Mutants.all()) {
            if (m.name().equals(name)) {
                return new ZooEntry(m, null);
            }
        }
        for (GraphMutant m : GraphMutants.all()) {
            if (m.name().equals(name)) {
                return new ZooEntry(null, m);
            }
        }
        throw new IllegalArgumentException("unknown mutant '" + name + "'; dense chains: " + Mutants.all().stream()
                .map(Mutant::name).collect(Collectors.joining(", ")) + "; layer graphs: " + GraphMutants.all().stream()
                .map(GraphMutant::name).collect(Collectors.joining(", ")));
    }
}
