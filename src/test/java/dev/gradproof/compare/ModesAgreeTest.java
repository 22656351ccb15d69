package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.bench.InputDropoutNetwork;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import org.junit.jupiter.api.Test;

/**
 * The fast (directional) mode reaches the exhaustive mode's verdict on every implementation the
 * exhaustive mode classifies (issue #11 item 12): the bug zoo, and black boxes whose forward pass is
 * another function than the spec's while their gradient is the exact gradient of their own loss. Such
 * a black box once got forward-differs exhaustively and mismatch in fast mode, on every network tried.
 */
class ModesAgreeTest {
    private static final List<String> SPECS = List.of("specs/ng-check-nn-gradients.yaml", "specs/tanh-tutorial-fixed.yaml",
            "specs/softmax-cross-entropy.yaml", "specs/sine-regression.yaml", "specs/l2-with-biases.yaml",
            "specs/sigmoid-2-2-1.yaml");

    private static Spec directional(Spec s) {
        return s.withCheck(s.check().withDirections(8));
    }

    private static void agree(String what, Spec spec, Function<Spec, NetworkUnderTest> impl, List<String> rows) {
        SpecResult full = SpecChecker.run(spec, UnderTest.of(impl.apply(spec)), SpecChecker.Progress.NONE);
        SpecResult fast = SpecChecker.run(directional(spec), UnderTest.of(impl.apply(spec)), SpecChecker.Progress.NONE);
        assertEquals(full.verdict(), fast.verdict(), () -> what + " on " + spec.name() + ": exhaustive " + full.verdict()
                + " " + full.findings() + ", fast " + fast.verdict() + " " + fast.findings() + " " + fast.error());
        rows.add(what + " on " + spec.name() + ": " + full.verdict().label());
    }

    @Test
    void blackBoxesServingTheirOwnLossGetTheSameVerdictInBothModes() {
        List<String> rows = new ArrayList<>();
        for (String f : SPECS) {
            Spec spec = BundledSpecs.load(f);
            agree("input-dropout", spec, s -> new InputDropoutNetwork(s, false), rows);
            agree("input-dropout with a backward bug", spec, s -> new InputDropoutNetwork(s, true), rows);
        }
        assertEquals(SPECS.size(), rows.stream().filter(r -> r.startsWith("input-dropout on")
                && r.endsWith("forward-differs")).count(), rows::toString);
        assertEquals(SPECS.size(), rows.stream().filter(r -> r.contains("with a backward bug")
                && r.endsWith("mismatch")).count(), rows::toString);
    }

    @Test
    void everyApplicableMutantGetsTheSameVerdictInBothModes() {
        List<String> rows = new ArrayList<>();
        for (String f : SPECS) {
            Spec spec = BundledSpecs.load(f);
            for (Mutant m : Mutants.all()) {
                if (m.applies(spec).applicable()) {
                    agree(m.name(), spec, s -> m.implementation(s), rows);
                }
            }
        }
        assertTrue(rows.size() > 40, rows::toString);
    }
}
