package dev.gradproof.external;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;

/** Ctrl-C (SIGTERM here) on a JVM running a child leaves no process behind. */
@Timeout(60)
class ShutdownHookTest {
    @Test
    void terminatingTheJvmKillsItsChildrenAndTheirChildren() throws Exception {
        Process jvm = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), HookProbe.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    return out.readLine();
                } catch (IOException e) {
                    return null;
                }
            }).get(30, TimeUnit.SECONDS);
            List<ProcessHandle> tree = new ArrayList<>();
            for (String pid : line.trim().split(" ")) {
                tree.add(ProcessHandle.of(Long.parseLong(pid)).orElseThrow());
            }
            assertEquals(2, tree.size(), "child and grandchild: " + line);
            tree.forEach(p -> assertTrue(p.isAlive()));
            jvm.destroy();   // SIGTERM: shutdown hooks run
            assertTrue(jvm.waitFor(20, TimeUnit.SECONDS));
            Children.assertAllDead(tree);
        } finally {
            jvm.destroyForcibly();
        }
    }
}
