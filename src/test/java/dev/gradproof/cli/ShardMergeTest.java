package dev.gradproof.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Sharded runs merged must give exactly the unsharded report (apart from timings). */
class ShardMergeTest {
    private static final String[] SPECS = {"specs/tanh-tutorial-bug.yaml", "specs/relu-network.yaml",
            "specs/two-moons-4-layer.yaml", "specs/frozen-layer.yaml"};

    @TempDir
    Path tmp;

    private JsonNode specs(Path reports) throws IOException {
        JsonNode specs = new ObjectMapper().readTree(reports.resolve("latest/report.json").toFile()).get("specs");
        specs.forEach(s -> ((ObjectNode) s).remove("seconds"));
        return specs;
    }

    private void check(Path reports, String... extra) {
        String[] args = new String[SPECS.length + 3 + extra.length];
        args[0] = "check";
        System.arraycopy(SPECS, 0, args, 1, SPECS.length);
        args[SPECS.length + 1] = "--reports";
        args[SPECS.length + 2] = reports.toString();
        System.arraycopy(extra, 0, args, SPECS.length + 3, extra.length);
        int status = Cli.run(args).exit();
        assertEquals(0, status);
    }

    @Test
    void threeShardsMergedEqualTheUnshardedReport() throws IOException {
        check(tmp.resolve("full"));
        for (int k = 1; k <= 3; k++) {
            check(tmp.resolve("s" + k), "--shard", k + "/3");
        }
        // A shard alone is not the whole: it must differ from the full run, or this test could not fail.
        assertNotEquals(specs(tmp.resolve("full")), specs(tmp.resolve("s1")));

        Cli.Result merged = Cli.run("merge", tmp.resolve("s1/latest").toString(), tmp.resolve("s2/latest").toString(),
                tmp.resolve("s3/latest").toString(), "--reports", tmp.resolve("merged").toString());
        assertEquals(0, merged.exit(), merged.all());
        assertEquals(specs(tmp.resolve("full")), specs(tmp.resolve("merged")));
    }

    /** Runs check on the given specs into reports/, with the extra options; returns the exit status. */
    private int run(Path reports, List<String> specs, String... extra) {
        List<String> args = new ArrayList<>(List.of("check"));
        args.addAll(specs);
        args.addAll(List.of("--reports", reports.toString()));
        args.addAll(List.of(extra));
        return Cli.run(args.toArray(String[]::new)).exit();
    }

    private Cli.Result merge(String... shardDirs) {
        List<String> args = new ArrayList<>(List.of("merge"));
        for (String d : shardDirs) {
            args.add(tmp.resolve(d + "/latest").toString());
        }
        args.addAll(List.of("--reports", tmp.resolve("merged").toString()));
        return Cli.run(args.toArray(String[]::new));
    }

    @Test
    void aFailureMergedCarriesTheUnshardedRunsRecipeAndExpectation() throws IOException {
        List<String> specs = List.of("specs/tanh-tutorial-bug.yaml");
        assertEquals(1, run(tmp.resolve("full"), specs, "--expect", "pass"));
        assertEquals(1, run(tmp.resolve("s1"), specs, "--expect", "pass", "--shard", "1/2"));
        assertEquals(1, run(tmp.resolve("s2"), specs, "--expect", "pass", "--shard", "2/2"));

        Cli.Result merged = merge("s1", "s2");
        assertEquals(1, merged.exit(), merged.all());
        JsonNode full = specs(tmp.resolve("full")).get(0);
        assertTrue(full.get("recipe_command").asText().startsWith("./gradproof check specs/tanh-tutorial-bug.yaml"
                + " --recipe "), full.toString());
        assertEquals(specs(tmp.resolve("full")), specs(tmp.resolve("merged")));
        assertTrue(merged.out().contains("  recipe: " + full.get("recipe_command").asText() + "\n"), merged.out());
    }

    @Test
    void aSpecTheImplementationRefusedStaysListedAsSkipped() throws IOException {
        List<String> specs = List.of("specs/custom-softsign.yaml", "specs/tanh-tutorial-fixed.yaml");
        String[] numpy = {"--impl", "examples/numpy/net", "--skip-refused"};
        assertEquals(0, run(tmp.resolve("full"), specs, numpy));
        assertEquals(0, run(tmp.resolve("s1"), specs, concat(numpy, "--shard", "1/2")));
        assertEquals(0, run(tmp.resolve("s2"), specs, concat(numpy, "--shard", "2/2")));

        Cli.Result merged = merge("s1", "s2");
        assertEquals(0, merged.exit(), merged.all());
        JsonNode fullSkipped = root(tmp.resolve("full")).get("skipped_specs");
        assertEquals(1, fullSkipped.size(), fullSkipped.toString());
        assertEquals(fullSkipped, root(tmp.resolve("merged")).get("skipped_specs"));
        assertEquals(1, root(tmp.resolve("merged")).get("skipped").asInt());
        assertEquals(specs(tmp.resolve("full")), specs(tmp.resolve("merged")));
    }

    private static String[] concat(String[] a, String... b) {
        List<String> all = new ArrayList<>(List.of(a));
        all.addAll(List.of(b));
        return all.toArray(String[]::new);
    }

    private JsonNode root(Path reports) throws IOException {
        return new ObjectMapper().readTree(reports.resolve("latest/report.json").toFile());
    }

    @Test
    void aMissingShardIsNamed() {
        check(tmp.resolve("s1"), "--shard", "1/3");
        check(tmp.resolve("s3"), "--shard", "3/3");
        Cli.Result merged = Cli.run("merge", tmp.resolve("s1/latest").toString(), tmp.resolve("s3/latest").toString(),
                "--reports", tmp.resolve("merged").toString());
        assertEquals(2, merged.exit());
        assertEquals("gradproof merge: tanh-tutorial-bug: missing shard 2/3", merged.err().strip());
    }

    @Test
    void aBadShardOptionIsAUsageError() {
        Cli.Result r = Cli.run("check", SPECS[0], "--shard", "4/3", "--no-report");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("shard must be K/N with 1 <= K <= N, got 4/3"), r.err());
    }
}
