package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bugs planted in the adapter's DJL code are caught, and located to the tensor they are in. */
class PlantedBugTest {

    /**
     * Reads conv1.weight's gradient back as if the kernel were [kw][kh] instead of PyTorch's [kh][kw]: the
     * kind of layout slip an adapter between two libraries makes. The forward pass is untouched.
     */
    static final class KernelReadTransposed extends DjlNetwork {
        @Override
        protected double[] gradientOf(String tensor, NDArray parameter) {
            if (!tensor.equals("conv1.weight")) {
                return super.gradientOf(tensor, parameter);
            }
            long[] s = parameter.getShape().getShape();
            return parameter.getGradient().transpose(0, 1, 3, 2).reshape(s).toDoubleArray();
        }
    }

    @Test
    void aTransposedKernelGradientIsAMismatchInConv1WeightAlone() {
        // kernel [2, 3]: a square kernel would hide the slip in shape, not in values
        SpecResult r = DjlSpecs.check("specs/layers/conv2d-dilation-rectangular.yaml", new KernelReadTransposed());
        assertEquals(Verdict.MISMATCH, r.verdict(), () -> DjlSpecs.explain(r));
        assertFalse(r.mismatches().isEmpty());
        for (ParameterResult p : r.mismatches()) {
            assertTrue(p.parameter().startsWith("conv1.weight"), p.parameter());
        }
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("where: conv1.weight")), () -> DjlSpecs.explain(r));
        assertTrue(r.findings().stream().noneMatch(f -> f.startsWith("where:") && f.contains("out.")),
                () -> DjlSpecs.explain(r));
    }

    @Test
    void theSameSpecPassesWithoutTheSlip() {
        SpecResult r = DjlSpecs.check("specs/layers/conv2d-dilation-rectangular.yaml", new DjlNetwork());
        assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
    }

    /**
     * DJL's own batch-norm kernel takes ε as a float (1e-5 becomes 9.99999974738e-06): a network a few
     * parts in 10¹² away from the spec's, which a float64 check sees. Hence the composed norms by default.
     */
    @Test
    void djlsFloatEpsilonBatchNormIsToldApartFromTheSpecs() {
        SpecResult r = DjlSpecs.check("specs/layers/batch-norm-conv.yaml", new DjlNetwork(true));
        assertEquals(Verdict.MISMATCH, r.verdict(), () -> DjlSpecs.explain(r));
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("constant factor: analytic/exact = 1.00000")),
                () -> DjlSpecs.explain(r));
    }
}
