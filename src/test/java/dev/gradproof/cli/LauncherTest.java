package dev.gradproof.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The ./gradproof launcher passes the CLI's standard error through: a bare {@code exec 9>&- 2>/dev/null}
 * once closed the lock's descriptor and, being an exec, silenced every message of every run. Run on a
 * copy of the launcher beside a copy of the built jar and no sources, so it never starts a build.
 */
@Timeout(60)
class LauncherTest {
    @TempDir
    Path dir;

    @Test
    void errorsReachStandardError() throws IOException, InterruptedException {
        Path jar = Path.of("target/gradproof.jar");
        assumeTrue(Files.isRegularFile(jar), "target/gradproof.jar is not built (mvn package)");
        Files.createDirectories(dir.resolve("target"));
        Files.copy(jar, dir.resolve("target/gradproof.jar"));
        Path launcher = Files.copy(Path.of("gradproof"), dir.resolve("gradproof"));
        Path missing = dir.resolve("no-such-spec.yaml");
        Process p = new ProcessBuilder(launcher.toString(), "check", missing.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(2, p.waitFor(), out + err);
        assertEquals("gradproof check: " + missing + ": no such file or folder\n", err);
    }
}
