package dev.gradproof.mutants.graph;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.layers.LayerType;

import org.junit.jupiter.api.Test;

/**
 * The zoo's own hand-written recurrent backward pass, without its slip, is the reference's: so each
 * recurrent mutant differs from the reference by its one stated line and nothing else.
 */
class HandWrittenBackwardTest {

    @Test
    void recurrentBackpropagationWithoutASlipIsTheReference() {
        for (String name : new String[] {"architectures/char-lstm", "architectures/gru-huber", "layers/rnn-sequence",
                "layers/lstm-last"}) {
            Spec spec = BundledSpecs.load("specs/" + name + ".yaml");
            GraphNetwork g = GraphFactory.build(spec);
            GraphCase c = GraphFactory.draw(spec, g, 0);
            GraphForward f = g.forward(c.theta(), c.data());
            double[] reference = g.gradient(c.theta(), c.data(), f);
            double[] handWritten = GraphMutants.planted(n -> n.options().type() == LayerType.RNN
                            || n.options().type() == LayerType.LSTM || n.options().type() == LayerType.GRU,
                    (net, n) -> new RecurrentBugs(net, n, RecurrentBugs.Slip.NONE)).gradient(g, c.theta(), c, f);
            double scale = 0;
            for (double v : reference) {
                scale = Math.max(scale, Math.abs(v));
            }
            for (int p = 0; p < reference.length; p++) {
                double diff = Math.abs(handWritten[p] - reference[p]);
                int q = p;
                assertTrue(diff <= 1e-12 * scale, () -> name + " " + g.layout().name(q) + ": " + handWritten[q] + " vs "
                        + reference[q]);
            }
            // and a slip does change it
            double[] truncated = GraphMutants.byName("truncated-bptt").implementation().gradient(g, c.theta(), c, f);
            double worst = 0;
            for (int p = 0; p < reference.length; p++) {
                worst = Math.max(worst, Math.abs(truncated[p] - reference[p]));
            }
            assertTrue(worst > 1e-6 * scale, name);
        }
    }
}
