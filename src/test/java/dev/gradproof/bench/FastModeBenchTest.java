package dev.gradproof.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The fast-mode rows of `bench --mutants`, on a small ex4 (50 examples) so they run in seconds. */
class FastModeBenchTest {

    @Test
    void fastModeAgreesWithTheExhaustiveCheckOnEveryApplicableMutant() {
        List<String> rows = Benchmarks.mutantsFastVersusExhaustive(50, line -> { });
        assertTrue(rows.size() >= 10, "every mutant that applies to ex4: " + rows);
        for (String row : rows) {
            assertTrue(row.contains("| yes |"), row);
        }
    }

    /** Planted bugs either side of the worked-out detection bound fall on the side it predicts. */
    @Test
    void plantedBugsFallOnTheSideOfTheDetectionBoundItPredicts() {
        List<String> rows = Benchmarks.fastModeSensitivity(50, 4, line -> { });
        assertEquals(4, rows.size());
        assertTrue(rows.get(2).endsWith("| 4 of 4 |"), rows.get(2));
        assertTrue(rows.get(3).endsWith("| 0 of 4 |"), rows.get(3));
    }
}
