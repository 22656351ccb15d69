package dev.gradproof.mutants.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.network.graph.GraphNetwork;

import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * One realistic mistake in a layer's hand-written backward pass (or, for {@link #correct()} variants, a
 * legitimate other way of computing it), planted into the reference layer graph: the forward pass stays
 * the reference's, one layer type's backward pass (or the loss's gradient) changes. The harness must flag
 * every bug wherever it {@link #applies} and never flag a correct variant.
 *
 * @param name        kebab-case identifier, e.g. {@code conv-input-no-flip}
 * @param correct     a correct variant, which must never be flagged
 * @param layer       the layer type (or loss) it lives in, as a spec names it
 * @param summary     one line: what is computed instead
 * @param wrongLine   the exact line as written, and the reference line it replaces
 * @param explanation how the mistake arises in real code and where it shows
 * @param requires    when it applies, in words
 */
@API(status = INTERNAL, since = "0.3")
public record GraphMutant(String name, boolean correct, String layer, String summary, String wrongLine,
                          String explanation, String requires, Function<GraphNetwork, Applicability> rule,
                          GraphTrialCheck.Analytic gradient) {

    /** Whether the mistake can change a checked gradient of this graph; where it cannot, the reason. */
    public Applicability applies(GraphNetwork g) {
        if (g.layout().trainable().isEmpty()) {
            return Applicability.no("every layer is frozen");
        }
        return rule.apply(g);
    }

    /** The gradient under test: the mutant planted into whatever graph the engine hands it. */
    public GraphTrialCheck.Analytic implementation() {
        return gradient;
    }

    @Override
    public String toString() {
        return name;
    }
}
