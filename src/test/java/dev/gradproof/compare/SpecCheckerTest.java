package dev.gradproof.compare;

import dev.gradproof.api.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.expr.Expression;
import dev.gradproof.expr.ExpressionException;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.Distribution;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.WeightSpec;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Whole-spec runs: the verdict, where it puts the blame, frozen layers and parameter sampling. */
class SpecCheckerTest {

    private static final String TAN_TYPO = "1 - tanh(x)*tan(x)";

    private static ActivationSpec tanh(String declared) throws ExpressionException {
        return declared == null ? ActivationSpec.builtin("tanh")
                : new ActivationSpec("tanh", 0.01, 1.0, null, Expression.parse(declared), null, declared);
    }

    /** 3 → 5 (first) → 4 (second) → 2 sigmoid, binary cross-entropy, 50 examples, 3 trials. */
    private static Spec spec(ActivationSpec first, boolean firstFrozen, ActivationSpec second, int parameters, long seed) {
        NetworkSpec net = new NetworkSpec(3, List.of(new LayerSpec(5, first, true, firstFrozen),
                new LayerSpec(4, second, true, false), new LayerSpec(2, ActivationSpec.builtin("sigmoid"), true, false)));
        DataSpec data = new DataSpec(50, Distribution.normal(0, 1), new DataSpec.Targets("binary", null, 0), null, 0, null);
        CheckSpec check = new CheckSpec(3, CheckSpec.defaults().oracles(), null, parameters);
        return new Spec("spec-checker-test", null, "", net,
                new LossSpec(LossSpec.LossType.BINARY_CROSS_ENTROPY, LossSpec.Reduction.MEAN, 0.5, false), data,
                new WeightSpec("normal", 0.5, -0.1, 0.1, "same"), check, Expectation.pass(), seed, "");
    }

    /**
     * tan for tanh in the declared derivative of both hidden layers. Backprop multiplies by f'(z) only
     * below the output, so W1, b1, W2, b2 are wrong and the output layer's W3, b3 are right.
     */
    @Test
    void tanhTanTypoIsAMismatchInTheTanhLayersOnly() throws ExpressionException {
        SpecResult r = SpecChecker.run(spec(tanh(TAN_TYPO), false, tanh(TAN_TYPO), 0, 42), SpecChecker.Progress.NONE);
        assertEquals(Verdict.MISMATCH, r.verdict(), () -> "error: " + r.error());
        for (LayerSummary l : r.layers()) {
            if (l.layer() <= 2) {
                assertTrue(l.mismatches() > 0, l::toString);
            } else {
                assertEquals(0, l.mismatches(), l::toString);
            }
        }
        assertFalse(r.mismatches().isEmpty());
        for (ParameterResult m : r.mismatches()) {
            assertTrue(m.layer() <= 2, m::toString);
        }
    }

    /**
     * The activation check names the telling points. 1 − tanh(x)·tan(x) is even and, because
     * |tan x| ≥ |x| ≥ |tanh x| on |x| < π/2, below the true 1 − tanh²(x) there; it changes sign between
     * 0.75 and 1 (0.408 at 0.75, −0.186 at 1), so on the 0.25 grid the first wrong sign is at x = 1.00.
     */
    @Test
    void activationCheckNamesTheWrongSignAtOne() throws ExpressionException {
        SpecResult r = SpecChecker.run(spec(tanh(TAN_TYPO), false, tanh(TAN_TYPO), 0, 42), SpecChecker.Progress.NONE);
        double firstSignChange = Double.NaN;
        for (double x = 0; x <= 5; x += 0.25) {
            if (1 - Math.tanh(x) * Math.tan(x) < 0) {
                firstSignChange = x;
                break;
            }
        }
        assertEquals(1.0, firstSignChange);
        for (ActivationCheck c : r.activationChecks()) {
            if (c.layer() == 3) {
                assertTrue(c.passed(), c::toString); // the sigmoid output is untouched
                continue;
            }
            assertFalse(c.passed(), c::toString);
            assertFalse(c.firstDifferences().isEmpty(), c::toString);
            boolean namesOne = false;
            for (ActivationCheck.Point p : c.firstDifferences()) {
                if (Math.abs(p.x()) < Math.PI / 2) {
                    assertTrue(p.declared() < p.exact(), p::toString);
                }
                if (p.x() == firstSignChange) {
                    namesOne = true;
                    assertEquals("tanh' at x=1.00: declared -0.186, exact 0.420", p.describe("tanh"));
                }
            }
            assertTrue(namesOne, () -> "x = 1 not among " + c.firstDifferences());
        }
    }

    @Test
    void correctedOverridePasses() throws ExpressionException {
        String fixed = "1 - tanh(x)^2";
        SpecResult r = SpecChecker.run(spec(tanh(fixed), false, tanh(fixed), 0, 42), SpecChecker.Progress.NONE);
        assertEquals(Verdict.PASS, r.verdict(), () -> r.mismatches() + " error: " + r.error());
        assertTrue(r.mismatches().isEmpty());
        for (ActivationCheck c : r.activationChecks()) {
            assertTrue(c.passed(), c::toString);
        }
    }

    /**
     * A frozen first layer with the wrong derivative: only W1 and b1 are wrong (nothing below layer 1),
     * and they are not checked, so the spec passes; unfrozen, the same network is a mismatch in layer 1.
     */
    @Test
    void frozenLayerIsNeverChecked() throws ExpressionException {
        Spec frozen = spec(tanh(TAN_TYPO), true, tanh(null), 0, 42);
        SpecResult r = SpecChecker.run(frozen, SpecChecker.Progress.NONE);
        assertEquals(Verdict.PASS, r.verdict(), () -> r.mismatches() + " error: " + r.error());
        LayerSummary first = r.layers().get(0);
        assertTrue(first.frozen());
        assertEquals(0, first.checked());
        ParameterLayout layout = NetworkFactory.layout(frozen.network());
        assertEquals(layout.total() - (5 * 3 + 5), r.parametersTotal());
        for (ParameterResult p : r.inconclusiveResults()) {
            assertNotEquals(1, p.layer(), p::toString);
        }

        SpecResult control = SpecChecker.run(spec(tanh(TAN_TYPO), false, tanh(null), 0, 42), SpecChecker.Progress.NONE);
        assertEquals(Verdict.MISMATCH, control.verdict());
        assertTrue(control.mismatches().stream().allMatch(m -> m.layer() == 1), control.mismatches()::toString);
    }

    @Test
    void parameterSampleIsExactAndDeterministic() throws ExpressionException {
        Spec s = spec(tanh(null), false, tanh(null), 5, 42);
        SpecResult a = SpecChecker.run(s, SpecChecker.Progress.NONE);
        SpecResult b = SpecChecker.run(s, SpecChecker.Progress.NONE);
        assertEquals(5, a.parametersChecked());
        assertEquals(5, a.sampled().size());
        assertEquals(a.sampled(), b.sampled());
        ParameterLayout layout = NetworkFactory.layout(s.network());
        Set<String> trainable = new HashSet<>();
        for (int p : layout.trainable()) {
            trainable.add(layout.name(p));
        }
        assertEquals(5, new HashSet<>(a.sampled()).size(), a.sampled()::toString);
        assertTrue(trainable.containsAll(a.sampled()), a.sampled()::toString);
        assertEquals(5 * s.check().trials(), a.layers().stream().mapToInt(LayerSummary::checked).sum());
        // Another seed, another sample: 54 trainable parameters, C(54, 5) ≈ 3.2·10^6 samples, so equality by chance is ~3e-7.
        SpecResult c = SpecChecker.run(spec(tanh(null), false, tanh(null), 5, 43), SpecChecker.Progress.NONE);
        assertNotEquals(a.sampled(), c.sampled());
    }
}
