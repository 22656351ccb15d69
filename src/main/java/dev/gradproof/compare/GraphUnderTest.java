package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Mlp;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.Spec;

import java.util.function.Function;

import org.apiguardian.api.API;

/**
 * A gradient under test that exists for layer graphs only (a graph zoo mutant, named by
 * {@code --impl mutant:NAME}): {@link SpecChecker} hands it the spec's graph, and a dense chain is an
 * error naming it.
 *
 * @param gradient the graph's gradient under test; throws {@link IllegalArgumentException} with the
 *                 reason when it does not apply to that graph
 */
@API(status = INTERNAL, since = "0.3")
public record GraphUnderTest(String name, Function<GraphNetwork, GraphTrialCheck.Analytic> gradient)
        implements SpecChecker.Implementation {
    @Override
    public TrialCheck.Analytic forNetwork(Spec spec, Mlp reference) {
        throw new IllegalArgumentException(name + " is a layer-graph bug: it applies to specs whose layers name a"
                + " type (conv2d, lstm, ...), and " + spec.name() + " is a dense chain");
    }
}
