package dev.gradproof.djl;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** adapters/djl/gradproof-djl's stderr filter: PyTorch's NNPACK line goes, everything else stays. */
class LauncherTest {

    @Test
    void theNnpackWarningIsDroppedAndOtherLinesKept() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(DjlSpecs.root().resolve("adapters/djl/gradproof-djl").toString(), "strip-nnpack")
                .redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(("[W1205 12:00:00.000000000 NNPACK.cpp:62] Could not initialize NNPACK! Reason: Unsupported "
                    + "hardware.\nok    conv2d-stride-padding: pass\n").getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor());
        assertEquals("ok    conv2d-stride-padding: pass\n", out);
    }
}
