package dev.gradproof.bench;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * examples/torch/gradcheck_bench.py for real, where torch is installed: on a 400-3-10 ex4 network
 * (1,243 parameters, so full mode takes about a second) it must rebuild the dumped network (same
 * loss as gradproof's) and pass both modes.
 */
@Timeout(120)
class TorchGradcheckTest {
    @TempDir
    Path dir;

    @Test
    void gradcheckPassesOnTheDumpedNetworkWithGradproofsLoss() throws IOException {
        OtherCheckers.Options o = OtherCheckers.Options.standard(10, 20, 10, 1, Duration.ofSeconds(100));
        assumeTrue(OtherCheckers.pythonWithTorch(o.pythons(), line -> { }).isPresent(),
                "no python here imports torch (apt-get install python3-torch)");
        OtherCheckers.Dumped full = OtherCheckers.dump(Workload.ex4(3, 10, Workload.exactAndFiniteDifferences()), dir);
        OtherCheckers.Dumped fast = OtherCheckers.dump(Workload.ex4(3, 20, Workload.directional(2)), dir);
        List<String> notes = new ArrayList<>();
        List<OtherCheckers.Row> rows = OtherCheckers.torch(o, full.file(), fast.file(), notes, line -> { });
        assertTrue(notes.isEmpty(), notes::toString);
        assertEquals(List.of("full", "fast_mode"), rows.stream().map(OtherCheckers.Row::mode).toList());
        assertEquals(List.of(10, 20), rows.stream().map(OtherCheckers.Row::examples).toList());
        OtherCheckers.Row reference = new OtherCheckers.Row("gradproof", "any", 10, 1.0, Double.NaN, "pass", Double.NaN);
        OtherCheckers.compared(rows.get(0), reference, full, notes);
        OtherCheckers.compared(rows.get(1), reference, fast, notes);
        assertTrue(notes.isEmpty(), notes::toString);
        for (OtherCheckers.Row r : rows) {
            assertEquals("pass (atol 1e-5, rtol 1e-3)", r.verdict(), r::toString);
        }
    }
}
