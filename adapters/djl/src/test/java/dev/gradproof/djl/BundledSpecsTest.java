package dev.gradproof.djl;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecResult;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every layer spec and every architecture against PyTorch 2.7 through DJL: each passes (loss and gradient
 * are the spec's, and the gradient is the derivative of DJL's own loss), or is refused with the reason
 * listed here. A new spec with a layer the adapter cannot build fails here until its refusal is added.
 */
class BundledSpecsTest {
    /** Spec file to the start of the refusal it must get; none today: DJL builds every layer type. */
    private static final Map<String, String> REFUSED = Map.of();

    @TestFactory
    Stream<DynamicTest> everyLayerSpecAndArchitecture() {
        List<String> specs = new ArrayList<>(DjlSpecs.folder("specs/layers"));
        specs.addAll(DjlSpecs.folder("specs/architectures"));
        assertTrue(specs.size() >= 24, () -> "found only " + specs);
        return specs.stream().map(s -> DynamicTest.dynamicTest(s, () -> {
            SpecResult r = DjlSpecs.check(s, new DjlNetwork());
            if (REFUSED.containsKey(s)) {
                assertEquals(Verdict.ERROR, r.verdict(), () -> DjlSpecs.explain(r));
                assertTrue(r.error().contains(REFUSED.get(s)), r.error());
            } else {
                assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
                assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("loss: its loss equals the spec's")),
                        () -> DjlSpecs.explain(r));
            }
        }));
    }
}
