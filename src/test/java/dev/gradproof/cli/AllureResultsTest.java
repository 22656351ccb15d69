package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #13: {@code check --allure-results DIR} writes Allure results for the specs, without Allure's library. */
class AllureResultsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    private Map<String, JsonNode> run(Path allure) throws IOException {
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-bug.yaml", "specs/tanh-tutorial-fixed.yaml",
                Cli.fixture("expect-error-wrong-message.yaml").toString(), "--no-report", "--allure-results", allure.toString());
        assertEquals(2, r.exit(), r::all); // a spec that could not be read and did not expect that error
        assertTrue(r.out().contains("allure results: " + allure + " (3 specs)\n"), r::all);
        Map<String, JsonNode> byName = new HashMap<>();
        try (Stream<Path> files = Files.list(allure)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                JsonNode n = JSON.readTree(f.toFile());
                assertEquals(f.getFileName().toString(), n.get("uuid").asText() + "-result.json");
                byName.put(n.get("name").asText(), n);
            }
        }
        return byName;
    }

    @Test
    void oneResultPerSpecWithStatusLabelsParametersMessageAndAttachments() throws IOException {
        Path allure = dir.resolve("allure-results");
        Map<String, JsonNode> results = run(allure);
        assertEquals(3, results.size(), results::toString);

        JsonNode bug = results.get("tanh-tutorial-bug");
        assertEquals("passed", bug.get("status").asText(), "it mismatched, as it expects: the run's ok");
        assertEquals("specs/tanh-tutorial-bug.yaml", bug.get("fullName").asText());
        assertEquals("finished", bug.get("stage").asText());
        assertTrue(bug.get("stop").asLong() >= bug.get("start").asLong());
        Map<String, String> labels = pairs(bug.get("labels"));
        assertEquals("specs", labels.get("epic"));
        assertEquals("specs", labels.get("feature"));
        assertEquals("specs/", labels.get("suite"));
        assertEquals("critical", labels.get("severity"));
        assertEquals(Map.of("seed", "7", "trials", "3", "mode", "exhaustive"), pairs(bug.get("parameters")));
        String message = bug.get("statusDetails").get("message").asText();
        assertTrue(message.startsWith("mismatch (expected mismatch)\n81 of 93 parameter-trials mismatch, in layer 1"), message);
        assertTrue(message.contains("\nwhere: W1 (24 of 24), W2 (36 of 36), b1 (12 of 12), b2 (9 of 9)\n"), message);
        assertTrue(message.contains("\n... and 71 more (in the \"mismatches (CSV)\" attachment)\n"), message);
        assertFalse(message.contains("report.json") || message.contains("./gradproof"), message);

        Map<String, JsonNode> attachments = new HashMap<>();
        bug.get("attachments").forEach(a -> attachments.put(a.get("name").asText(), a));
        assertEquals("text/csv", attachments.get("mismatches (CSV)").get("type").asText());
        List<String> csv = Files.readAllLines(allure.resolve(attachments.get("mismatches (CSV)").get("source").asText()));
        assertEquals("parameter,layer,trial,analytic,exact,finite_difference,relative_error,tolerance,status", csv.get(0));
        assertEquals(1 + 81, csv.size(), "every mismatch row");
        assertEquals("text/plain", attachments.get("findings").get("type").asText());
        assertTrue(Files.readString(allure.resolve(attachments.get("findings").get("source").asText()))
                .startsWith("ok    tanh-tutorial-bug: mismatch (expected mismatch)"));
        for (String png : List.of("tanh-tutorial-bug-layer-errors.png", "tanh-tutorial-bug-layer1-derivative.png")) {
            assertEquals("image/png", attachments.get(png).get("type").asText(), png);
            byte[] bytes = Files.readAllBytes(allure.resolve(attachments.get(png).get("source").asText()));
            assertEquals((byte) 0x89, bytes[0]);
            assertEquals('P', bytes[1]);
        }

        JsonNode pass = results.get("tanh-tutorial-fixed");
        assertEquals("passed", pass.get("status").asText());
        assertEquals("minor", pairs(pass.get("labels")).get("severity"));
        assertTrue(pass.get("statusDetails").get("message").asText().startsWith("pass (expected pass): max rel. error "));

        JsonNode error = results.get("expect-error-wrong-message");
        assertEquals("broken", error.get("status").asText(), "expected an error with another message");
        assertEquals("blocker", pairs(error.get("labels")).get("severity"));
        assertTrue(error.get("statusDetails").get("message").asText().startsWith("error (expected error): "));
        assertFalse(bug.get("historyId").asText().equals(pass.get("historyId").asText()));

        JsonNode categories = JSON.readTree(allure.resolve("categories.json").toFile());
        assertEquals(List.of("Gradient mismatch", "Forward pass differs", "Check could not run (error)",
                        "Expected mismatch not found"),
                categories.findValuesAsText("name"));
        assertTrue("mismatch (expected pass)\nwhere".matches(categories.get(0).get("messageRegex").asText()));
        assertFalse("forward-differs (expected pass)".matches(categories.get(0).get("messageRegex").asText()));
        assertTrue("forward-differs (expected pass)".matches(categories.get(1).get("messageRegex").asText()));
        // Anchored: a forward-differs message that mentions mismatches is not a gradient mismatch, matched or found.
        String forward = "forward-differs (expected pass)\n3 of 9 parameter-trials mismatch, in layer 1";
        assertFalse(java.util.regex.Pattern.compile(categories.get(0).get("messageRegex").asText()).matcher(forward).find());
        assertEquals("broken", categories.get(2).get("matchedStatuses").get(0).asText());
    }

    @Test
    void aSpecThatMissedItsExpectFailsARefusedOneIsSkipped() throws IOException {
        Path allure = dir.resolve("allure-results");
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-bug.yaml", "specs/custom-softsign.yaml", "--no-report",
                "--impl", "examples/numpy/net", "--expect", "as-spec", "--skip-refused", "--allure-results", allure.toString());
        assertEquals(1, r.exit(), r::all);   // numpy's tanh is right: the spec's expected mismatch is not found
        Map<String, JsonNode> results = new HashMap<>();
        try (Stream<Path> files = Files.list(allure)) {
            for (Path f : files.filter(f -> f.getFileName().toString().endsWith("-result.json")).toList()) {
                JsonNode n = JSON.readTree(f.toFile());
                results.put(n.get("name").asText(), n);
            }
        }
        JsonNode missed = results.get("tanh-tutorial-bug");
        assertEquals("failed", missed.get("status").asText(), "a pass where a mismatch was expected is not green");
        String message = missed.get("statusDetails").get("message").asText();
        assertTrue(message.startsWith("pass (expected mismatch): max rel. error "), message);
        JsonNode categories = JSON.readTree(allure.resolve("categories.json").toFile());
        assertTrue(java.util.regex.Pattern.matches(categories.get(3).get("messageRegex").asText(), message), message);
        assertFalse(java.util.regex.Pattern.matches(categories.get(0).get("messageRegex").asText(), message), message);

        JsonNode refused = results.get("custom-softsign");
        assertEquals("skipped", refused.get("status").asText());
        assertEquals("skipped: refused by the implementation: ValueError: activation custom is not supported by net.py",
                refused.get("statusDetails").get("message").asText());
    }

    @Test
    void aSecondRunReplacesTheResultsAndKeepsTheHistoryWithTheSameHistoryIds() throws IOException {
        Path allure = dir.resolve("allure-results");
        Map<String, JsonNode> first = run(allure);
        Files.createDirectories(allure.resolve("history"));
        Files.writeString(allure.resolve("history/history-trend.json"), "[]");
        Map<String, JsonNode> second = run(allure);
        try (Stream<Path> files = Files.list(allure)) {
            assertEquals(3, files.filter(f -> f.toString().endsWith("-result.json")).count(), "the first run's are gone");
        }
        assertEquals("[]", Files.readString(allure.resolve("history/history-trend.json")));
        for (String name : first.keySet()) {
            assertEquals(first.get(name).get("historyId"), second.get(name).get("historyId"), name);
            assertFalse(first.get(name).get("uuid").equals(second.get(name).get("uuid")), name);
        }
    }

    private static Map<String, String> pairs(JsonNode array) {
        Map<String, String> m = new HashMap<>();
        array.forEach(p -> m.put(p.get("name").asText(), p.get("value").asText()));
        return m;
    }
}
