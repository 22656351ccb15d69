package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

class JsonOutputTest {

    /** Keys every spec entry must carry (docs/REPORT.md). */
    private static final List<String> SPEC_KEYS = List.of("name", "file", "expect", "verdict", "met_expectation", "seed",
            "trials", "parameters_total", "parameters_checked", "parameters_sampled", "kinks", "inconclusive",
            "max_relative_error", "layers", "mismatches_total", "mismatches", "inconclusive_parameters",
            "activation_checks", "error", "seconds");
    private static final List<String> MISMATCH_KEYS = List.of("parameter", "layer", "trial", "analytic",
            "finite_difference", "exact", "relative_error", "tolerance", "absolute_error", "absolute_tolerance", "status");
    private static final List<String> LAYER_KEYS = List.of("layer", "activation", "frozen", "checked", "mismatches",
            "weight_mismatches", "bias_mismatches", "kinks", "inconclusive", "max_relative_error", "median_relative_error");
    private static final List<String> ACTIVATION_KEYS = List.of("layer", "activation", "points", "differing", "passed",
            "max_absolute_error", "first_differences");

    private static final ObjectMapper STRICT = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    @TempDir
    Path tmp;
    private Path specs;
    private List<Path> files;

    @BeforeEach
    void specs() {
        specs = tmp.resolve("specs");
        // Sorted order, as the CLI reads a folder: expect-error, pass, tanh-bug.
        files = Cli.copy(specs, "expect-error.yaml", "pass.yaml", "tanh-bug.yaml");
    }

    private static JsonNode parse(String stdout) throws IOException {
        return STRICT.readTree(stdout);
    }

    private static void assertKeys(List<String> keys, JsonNode node) {
        for (String k : keys) {
            assertTrue(node.has(k), () -> "missing '" + k + "' in " + node);
        }
    }

    private static void assertNumberOrNull(JsonNode node, String key) {
        JsonNode v = node.get(key);
        assertTrue(v.isNumber() || v.isNull(), () -> key + " is " + v.getNodeType() + " in " + node);
    }

    @Test
    void jsonGoesToStdoutAloneAndTheHumanSummaryToStderr() throws IOException {
        Cli.Result r = Cli.run("check", specs.toString(), "--json", "--no-report");

        assertEquals(0, r.exit(), r.all());
        JsonNode root = parse(r.out()); // one document, nothing before or after it
        assertTrue(root.isObject());
        assertTrue(r.out().startsWith("{"), r.out());
        assertFalse(r.out().contains("passed, "), "the closing line must not be on stdout");
        assertFalse(r.out().contains("ok    "), "spec lines must not be on stdout");

        List<String> err = r.errLines();
        assertEquals("ok    expect-error: error (expected error), 0.00 s", err.get(0));
        assertTrue(err.stream().anyMatch(l -> l.startsWith("ok    tanh-fixed: pass (expected pass), 3 trials x 31 parameters")), r.err());
        assertTrue(err.stream().anyMatch(l -> l.startsWith("ok    tanh-tutorial-bug: mismatch (expected mismatch)")), r.err());
        assertEquals("3 passed, 0 failed", r.lastErrLine());
        assertFalse(r.err().contains("\"schema_version\""), "the JSON must not be on stderr");
    }

    @Test
    void runLevelFields() throws IOException {
        Instant before = Instant.now();
        Cli.Result r = Cli.run("check", specs.toString(), "--json", "--no-report");
        Instant after = Instant.now();
        JsonNode root = parse(r.out());

        assertEquals(1, root.get("schema_version").asInt());
        assertTrue(root.get("schema_version").isIntegralNumber());
        assertEquals("gradproof", root.get("tool").asText());
        assertEquals("-", root.get("run_id").asText(), "no run folder with --no-report");
        Instant started = Instant.parse(root.get("started").asText());
        Instant finished = Instant.parse(root.get("finished").asText());
        assertFalse(started.isBefore(before.minusSeconds(1)) || finished.isAfter(after.plusSeconds(1)), root.toString());
        assertFalse(finished.isBefore(started));
        assertTrue(root.get("complete").asBoolean());
        assertEquals(3, root.get("passed").asInt());
        assertEquals(0, root.get("failed").asInt());
        assertEquals(3, root.get("specs").size());
        List<String> names = new ArrayList<>();
        root.get("specs").forEach(s -> names.add(s.get("name").asText()));
        assertEquals(List.of("expect-error", "tanh-fixed", "tanh-tutorial-bug"), names);
    }

    @Test
    void everySpecCarriesTheSchemaFields() throws IOException {
        Cli.Result r = Cli.run("check", specs.toString(), "--json", "--no-report", "--seed", "11", "--trials", "2");
        JsonNode root = parse(r.out());

        for (int i = 0; i < 3; i++) {
            JsonNode s = root.get("specs").get(i);
            assertKeys(SPEC_KEYS, s);
            assertEquals(files.get(i).toString(), s.get("file").asText());
            assertTrue(s.get("met_expectation").isBoolean());
            assertTrue(s.get("seed").isIntegralNumber());
            assertTrue(s.get("trials").isIntegralNumber());
            assertTrue(s.get("parameters_checked").isIntegralNumber());
            assertTrue(s.get("kinks").isIntegralNumber());
            assertNumberOrNull(s, "max_relative_error");
            assertTrue(s.get("layers").isArray());
            assertTrue(s.get("mismatches").isArray());
            assertTrue(s.get("activation_checks").isArray());
            assertTrue(s.get("error").isNull() || s.get("error").isTextual(), s.toString());
        }

        JsonNode error = root.get("specs").get(0);
        assertEquals("error", error.get("expect").asText());
        assertEquals("expected a positive integer", error.get("expect_message").asText());
        assertEquals("error", error.get("verdict").asText());
        assertTrue(error.get("met_expectation").asBoolean());
        assertEquals(files.get(0) + ":6:14: network.layers[0].units: expected a positive integer, got -3",
                error.get("error").asText());
        assertEquals(0, error.get("trials").asInt());
        assertEquals(0, error.get("layers").size());
        assertEquals(0, error.get("mismatches").size());

        JsonNode pass = root.get("specs").get(1);
        assertEquals("pass", pass.get("expect").asText());
        assertFalse(pass.has("expect_message"));
        assertEquals("pass", pass.get("verdict").asText());
        assertTrue(pass.get("error").isNull());
        assertEquals(11, pass.get("seed").asLong(), "--seed overrides the spec's seed");
        assertEquals(2, pass.get("trials").asInt(), "--trials overrides check.trials");
        assertEquals(31, pass.get("parameters_checked").asInt());
        assertEquals(31, pass.get("parameters_total").asInt());
        assertEquals(0, pass.get("parameters_sampled").size());
        assertEquals(0, pass.get("mismatches_total").asInt());
        assertEquals(0, pass.get("mismatches").size());
        assertEquals(3, pass.get("layers").size());
        assertEquals(3, pass.get("activation_checks").size(), "tanh, tanh, sigmoid");
        for (JsonNode a : pass.get("activation_checks")) {
            assertKeys(ACTIVATION_KEYS, a);
            assertTrue(a.get("passed").asBoolean(), a.toString());
            assertEquals(0, a.get("first_differences").size());
        }
    }

    @Test
    void mismatchEntriesCarryTheThreeGradientsAndConsistentErrors() throws IOException {
        Cli.Result r = Cli.run("check", files.get(2).toString(), "--json", "--no-report");
        JsonNode s = parse(r.out()).get("specs").get(0);

        assertEquals("mismatch", s.get("verdict").asText());
        assertEquals("mismatch", s.get("expect").asText());
        assertEquals(7, s.get("seed").asLong());
        assertEquals(3, s.get("trials").asInt());
        int total = s.get("mismatches_total").asInt();
        assertTrue(total > 0);
        assertEquals(total, s.get("mismatches").size(), "fewer than 10,000: all listed");

        int perLayer = 0;
        for (JsonNode l : s.get("layers")) {
            assertKeys(LAYER_KEYS, l);
            perLayer += l.get("mismatches").asInt();
            assertEquals(l.get("mismatches").asInt(), l.get("weight_mismatches").asInt() + l.get("bias_mismatches").asInt());
        }
        assertEquals(total, perLayer);

        double previous = Double.POSITIVE_INFINITY;
        for (JsonNode m : s.get("mismatches")) {
            assertKeys(MISMATCH_KEYS, m);
            assertTrue(m.get("parameter").asText().matches("[Wb][123]\\[\\d+(,\\d+)?]"), m.toString());
            assertEquals("mismatch", m.get("status").asText());
            double a = m.get("analytic").asDouble();
            double exact = m.get("exact").asDouble();
            assertTrue(m.get("finite_difference").isNumber(), m.toString());
            double scale = Math.max(Math.abs(a), Math.abs(exact));
            double rel = m.get("relative_error").asDouble();
            double tol = m.get("tolerance").asDouble();
            assertEquals(Math.abs(a - exact) / scale, rel, 1e-12 * rel, "relative_error vs the exact reference");
            assertEquals(m.get("absolute_tolerance").asDouble() / scale, tol, 1e-12 * tol, "tolerance in relative terms");
            assertTrue(rel > tol, m.toString());
            assertTrue(rel <= previous, "listed largest error first");
            previous = rel;
        }

        assertEquals(3, s.get("activation_checks").size());
        JsonNode tanh = s.get("activation_checks").get(0);
        assertEquals(1, tanh.get("layer").asInt());
        assertEquals("tanh with declared f'(x) = 1 - tanh(x) * tan(x)", tanh.get("activation").asText());
        assertEquals(41, tanh.get("points").asInt());
        assertEquals(40, tanh.get("differing").asInt());
        assertFalse(tanh.get("passed").asBoolean());
        JsonNode sign = tanh.get("first_differences").get(1);
        assertEquals("sign", sign.get("kind").asText());
        assertEquals(1.0, sign.get("x").asDouble());
        assertEquals("wrong sign at tanh' at x=1.00: declared -0.186, exact 0.420", sign.get("text").asText());
    }

    @Test
    void printedJsonIsTheWrittenReport() throws IOException {
        Path reports = tmp.resolve("reports");
        Cli.Result r = Cli.run("check", specs.toString(), "--json", "--reports", reports.toString());

        assertEquals(0, r.exit(), r.all());
        JsonNode printed = parse(r.out());
        JsonNode written = STRICT.readTree(Files.readString(reports.resolve("latest").resolve("report.json")));
        assertEquals(written, printed);
        assertTrue(printed.get("run_id").asText().matches("\\d{8}-\\d{6}-[0-9a-f]{4}"), printed.get("run_id").asText());
        assertTrue(r.errLines().contains("report: " + reports.resolve(printed.get("run_id").asText()).resolve("report.json")
                + " (also " + reports.resolve("latest") + "/)"), r.err());
        assertEquals("3 passed, 0 failed", r.lastErrLine());
    }

    @Test
    void failingRunStillPrintsJsonAndCountsTheFailure() throws IOException {
        Path bug = Cli.copy(tmp.resolve("more"), "tanh-bug-expect-pass.yaml").get(0);
        Cli.Result r = Cli.run("check", bug.toString(), "--json", "--no-report");

        assertEquals(1, r.exit(), r.all());
        JsonNode root = parse(r.out());
        assertEquals(0, root.get("passed").asInt());
        assertEquals(1, root.get("failed").asInt());
        JsonNode s = root.get("specs").get(0);
        assertEquals("pass", s.get("expect").asText());
        assertEquals("mismatch", s.get("verdict").asText());
        assertFalse(s.get("met_expectation").asBoolean());
        assertEquals("0 passed, 1 failed", r.lastErrLine());
    }
}
