package dev.gradproof.djl;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecResult;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Dense chains (W_l, b_l) through the same DJL code as a graph of dense layers. */
class DenseChainTest {

    @ParameterizedTest
    @ValueSource(strings = {"specs/tanh-tutorial-fixed.yaml", "specs/softmax-cross-entropy.yaml",
            "specs/l2-with-biases.yaml", "specs/leaky-relu.yaml", "specs/elu.yaml", "specs/bpnn-xor.yaml"})
    void passes(String spec) {
        SpecResult r = DjlSpecs.check(spec, new DjlNetwork());
        assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
    }

    @Test
    void aCustomActivationIsRefusedNamingTheLayerAndTheExpression() {
        SpecResult r = DjlSpecs.check("specs/custom-softsign.yaml", new DjlNetwork());
        assertEquals(Verdict.ERROR, r.verdict(), () -> DjlSpecs.explain(r));
        // checked here without gradproof check's refusal watch, so the engine's own wording: "threw"
        assertEquals("PyTorch 2.7 (DJL) threw UnsupportedOperationException: DJL adapter: layer layer1 has a custom activation "
                + "(x / (1 + abs(x))), an expression DJL has no operation for",
                r.error());
    }
}
