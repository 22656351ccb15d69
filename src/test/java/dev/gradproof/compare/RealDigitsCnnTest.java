package dev.gradproof.compare;

import dev.gradproof.api.Verdict;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * specs/digits-cnn.yaml (issue #18): the real digits' blank background gives max pooling exact ties,
 * which the check meets (counted as kinks) and passes through, on every one of the 690 parameters.
 */
class RealDigitsCnnTest {

    @Test
    void maxPoolingOverTheRealBackgroundMeetsTiesAndPasses() {
        Spec spec = BundledSpecs.load("specs/digits-cnn.yaml");
        SpecResult r = SpecChecker.run(spec, SpecChecker.Progress.NONE);
        assertEquals(Verdict.PASS, r.verdict(), () -> String.join("\n", r.findings()));
        assertEquals(690, r.parametersChecked());
        assertTrue(r.kinks() > 0, "the blank background should tie pooling windows: " + r.kinks() + " kinks");
    }
}
