package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecResult;
import org.junit.jupiter.api.Test;

import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A non-finite gradient entry that PyTorch does not repeat when asked again is a glitch of the native call,
 * not the gradient: the adapter recomputes once. One that it repeats is reported, as any non-finite answer.
 */
class TransientGlitchTest {

    /** Reads conv1.weight's gradient with entry 0 at -Infinity the first {@code times} times. */
    static final class Glitching extends DjlNetwork {
        final AtomicInteger left;

        Glitching(int times) {
            left = new AtomicInteger(times);
        }

        @Override
        protected double[] gradientOf(String tensor, NDArray parameter) {
            double[] g = super.gradientOf(tensor, parameter);
            if (tensor.equals("conv1.weight") && left.getAndDecrement() > 0) {
                g[0] = Double.NEGATIVE_INFINITY;
            }
            return g;
        }
    }

    @Test
    void aGlitchOnceIsRecomputedAndThePassStands() {
        Glitching once = new Glitching(1);
        SpecResult r = DjlSpecs.check("specs/layers/conv2d-dilation-rectangular.yaml", once);
        assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
        assertTrue(once.left.get() < 0, "the glitch was never planted: the test would show nothing");
    }

    @Test
    void aNonFiniteGradientEveryTimeIsReported() {
        SpecResult r = DjlSpecs.check("specs/layers/conv2d-dilation-rectangular.yaml", new Glitching(Integer.MAX_VALUE));
        assertEquals(Verdict.ERROR, r.verdict(), () -> DjlSpecs.explain(r));
        assertTrue(r.error().contains("-Infinity") && r.error().contains("conv1.weight"), r.error());
    }
}
