package dev.gradproof.external;

import dev.gradproof.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue #11, item 9: a child sees the environment a numerical program needs, not a CI job's secrets,
 * unless --inherit-env asks for everything.
 */
@Timeout(120)
class ChildEnvironmentTest {
    @TempDir
    Path tmp;

    @Test
    void theMinimalEnvironmentKeepsWhatProgramsNeedAndDropsTheRest() {
        Map<String, String> env = new HashMap<>();
        for (String name : List.of("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH", "VIRTUAL_ENV",
                "OMP_NUM_THREADS", "GRADPROOF_DL4J_MINIBATCH", "AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "NPM_TOKEN",
                "SSH_AUTH_SOCK", "CI_JOB_TOKEN")) {
            env.put(name, "x");
        }
        Map<String, String> inherited = new HashMap<>(env);
        ChildEnvironment.INHERITED.applyTo(inherited);
        assertEquals(env, inherited);
        ChildEnvironment.MINIMAL.applyTo(env);
        assertEquals(List.of("GRADPROOF_DL4J_MINIBATCH", "HOME", "LANG", "LC_ALL", "OMP_NUM_THREADS", "PATH", "PYTHONPATH",
                "TMPDIR", "VIRTUAL_ENV"), env.keySet().stream().sorted().toList());
    }

    /** What a spec's child sees, run through the real CLI in a JVM whose environment holds a secret. */
    private List<String> childSees(String... options) throws Exception {
        Path keys = tmp.resolve("keys-" + options.length);
        Path spec = tmp.resolve("env-" + options.length + ".yaml");
        Files.writeString(spec, Files.readString(Path.of("specs/sigmoid-2-2-1.yaml")) + "implementation: {process: \"python3 "
                + Path.of("src/test/resources/external/env_report.py").toAbsolutePath() + " " + keys + "\"}\n");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(), "check", spec.toString(),
                "--no-report", "--allow-process"));
        cmd.addAll(List.of(options));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("GRADPROOF_TEST_SETTING", "1");   // passes: GRADPROOF_*
        pb.environment().put("DEPLOY_TOKEN", "hunter2");
        Process jvm = pb.start();
        String out = new String(jvm.getInputStream().readAllBytes());
        assertTrue(jvm.waitFor(60, TimeUnit.SECONDS), out);
        assertEquals(1, jvm.exitValue(), out);
        assertTrue(Files.exists(keys), () -> "the child ran and wrote its environment: " + out);
        return Files.readAllLines(keys);
    }

    @Test
    void aSpecsChildDoesNotSeeTheJobsSecretsUnlessInheritEnvIsGiven() throws Exception {
        List<String> minimal = childSees();
        assertFalse(minimal.contains("DEPLOY_TOKEN"), minimal::toString);
        assertTrue(minimal.containsAll(List.of("PATH", "PYTHONUNBUFFERED", "GRADPROOF_TEST_SETTING")), minimal::toString);
        List<String> everything = childSees("--inherit-env");
        assertTrue(everything.containsAll(List.of("PATH", "PYTHONUNBUFFERED", "DEPLOY_TOKEN")), everything::toString);
    }

    @Test
    void theJavaApiGivesTheMinimalEnvironmentByDefault() {
        assertEquals(ChildEnvironment.MINIMAL, new ProcessNetwork(List.of("true")).environment());
        assertEquals(ChildEnvironment.MINIMAL, ProcessNetwork.of("true").environment());
        assertEquals(ChildEnvironment.INHERITED, new ProcessNetwork(List.of("true"), null,
                ProcessNetwork.DEFAULT_REQUEST_TIMEOUT, ProcessNetwork.DEFAULT_START_TIMEOUT, ChildEnvironment.INHERITED)
                .environment());
    }
}
