package dev.gradproof.allure;

import dev.gradproof.run.SpecOutcome;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.junit.SpecTests;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.model.TestResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.util.Arrays;
import java.util.Locale;

/**
 * Runs the reporter on real outcomes against an Allure lifecycle writing into a temporary folder, and
 * reads back the *-result.json Allure's report generator would read.
 */
class AllureSpecReporterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path TANH_BUG = Path.of("specs/tanh-tutorial-bug.yaml");

    @TempDir
    Path tmp;
    private Path results;
    private AllureLifecycle previous;

    @BeforeEach
    void useTemporaryLifecycle() throws IOException {
        results = Files.createDirectories(tmp.resolve("allure-results"));
        previous = Allure.getLifecycle();
        Allure.setLifecycle(new AllureLifecycle(new FileSystemResultsWriter(results)));
    }

    @AfterEach
    void restoreLifecycle() {
        Allure.setLifecycle(previous);
    }

    @Test
    void caughtBugIsReportedWithLabelsParametersStepsAndEvidence() throws IOException {
        SpecOutcome outcome = SpecTests.run(TANH_BUG);
        SpecResult r = outcome.result();
        assertTrue(r.metExpectation(), "the bundled spec expects the mismatch it catches");

        JsonNode tc = report(outcome);

        Map<String, String> labels = labels(tc);
        assertEquals("gradproof specs", labels.get("epic"));
        assertEquals("squared_error", labels.get("feature"), "no folder below specs/: the loss type");
        assertEquals("tanh-tutorial-bug", labels.get("story"));
        assertEquals("tanh, sigmoid", labels.get("activation"));
        assertEquals("squared_error", labels.get("loss"));
        assertEquals("mismatch", labels.get("verdict"));
        assertEquals("mismatch", labels.get("expect"));
        assertEquals("normal", labels.get("severity"));
        assertEquals("specs/", labels.get("suite"), "dynamic tests grouped by the folder they were read from");
        assertEquals("gradproof specs", labels.get("parentSuite"), "spec results apart from the unit tests");

        Map<String, String> params = parameters(tc);
        assertEquals("7", params.get("seed"));
        assertEquals("3", params.get("trials"));
        assertEquals("auto", params.get("tolerance"));
        assertEquals("31 of 31", params.get("parameters checked"));

        assertEquals(List.of(
                "load spec " + TANH_BUG + " PASSED",
                "draw 3 trials (seed 7) PASSED",
                "analytic gradient (backprop) PASSED",
                "exact gradient (DerivativeStructure) PASSED",
                "finite differences (Richardson) PASSED",
                "compare 93 parameter-trials: " + r.mismatches().size() + " mismatch, 0 at kinks, "
                        + r.inconclusive() + " inconclusive FAILED",
                "verdict: mismatch (expected mismatch) PASSED"), steps(tc));
        assertFalse(r.mismatches().isEmpty());

        Map<String, String> types = attachmentTypes(tc);
        assertEquals("text/yaml", types.get("spec YAML"));
        assertEquals("text/csv", types.get("mismatches (CSV)"));
        assertEquals("text/html", types.get("mismatches (HTML)"));
        assertEquals("image/png", types.get("tanh-tutorial-bug-layer-errors.png"));
        assertEquals("image/png", types.get("tanh-tutorial-bug-layer1-derivative.png"));
        assertEquals("image/png", types.get("tanh-tutorial-bug-layer2-derivative.png"));
        assertEquals("text/plain", types.get("summary"));
        assertFalse(types.containsKey("shrunk counterexample (JSON)"), "nothing is shrunk when the bug is expected");
        assertFalse(types.containsKey("reporter error"));
        assertEquals(7, types.size(), types.toString());
        assertEquals(List.of("mismatches (CSV)", "mismatches (HTML)"), List.copyOf(types.keySet()).subList(0, 2),
                "the mismatch table comes first, the CSV (a full table in Allure) before the HTML");

        assertEquals(outcome.source(), attachmentText(tc, "spec YAML"));
        assertTrue(attachmentSource(tc, "spec YAML").endsWith(".yaml"));
        String csv = attachmentText(tc, "mismatches (CSV)");
        List<String> lines = csv.lines().toList();
        assertEquals("parameter,layer,trial,analytic,exact,finite_difference,relative_error,tolerance,status",
                lines.get(0));
        assertEquals(1 + r.mismatches().size() + r.inconclusive(), lines.size());
        assertTrue(lines.get(1).endsWith(",mismatch"), lines.get(1));
        assertTrue(lines.get(1).startsWith("\"W"), "parameter names with commas are quoted: " + lines.get(1));
        String html = attachmentText(tc, "mismatches (HTML)");
        assertTrue(html.contains("<tr class=\"mismatch\""), "mismatch rows are styled red");
        assertTrue(html.contains("color:#b00000"));
        assertEquals(lines.size() - 1, html.split("<tr class=\"", -1).length - 1, "every row of the table is in the page");
        assertTrue(html.contains("<div class=\"rows\"><table>"), "the table sits in its own scrolling box");
        assertTrue(html.contains(".rows{flex:1;min-height:0;overflow:auto;"), "the box scrolls instead of being cut off");
        assertTrue(html.contains("th{background:#f2f2f2;text-align:left;position:sticky;top:0}"), "the header stays in view");
        assertTrue(html.contains("<p class=\"headline\" title=\"tanh-tutorial-bug: " + r.mismatches().size()
                + " of 93 parameter-trials mismatch"), "one line of headline, all of it in the tooltip");
        assertTrue(html.contains("p.headline{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}"));
        assertFalse(html.contains("more rows in the"), "nothing left out");
        byte[] png = Files.readAllBytes(results.resolve(attachmentSource(tc, "tanh-tutorial-bug-layer-errors.png")));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        assertTrue(attachmentText(tc, "summary").contains("parameter-trials mismatch"));

        assertNull(tc.path("statusDetails").path("message").textValue(), "expectation met: no failure message");
    }

    @Test
    void unmetExpectationIsCriticalWithFailedVerdictCounterexampleAndFirstLineMessage() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("in")).resolve("tanh-bug-expect-pass.yaml");
        Files.writeString(copy, Files.readString(TANH_BUG).replace("expect: mismatch", "expect: pass"));
        SpecOutcome outcome = SpecTests.run(copy);
        assertFalse(outcome.result().metExpectation());

        JsonNode tc = report(outcome);

        Map<String, String> labels = labels(tc);
        assertEquals("critical", labels.get("severity"));
        assertEquals("pass", labels.get("expect"));
        assertEquals("mismatch", labels.get("verdict"));
        List<String> steps = steps(tc);
        assertEquals("verdict: mismatch (expected pass) FAILED", steps.get(steps.size() - 1));
        assertEquals("spec tanh-tutorial-bug expected pass but was mismatch",
                tc.path("statusDetails").path("message").textValue());
        String allureText = outcome.failureMessage(dev.gradproof.report.Medium.ALLURE);
        String trace = tc.path("statusDetails").path("trace").textValue();
        assertEquals(allureText.substring(allureText.indexOf('\n') + 1).stripTrailing(), trace, "the rest of the explanation is the trace");
        assertFalse(trace.contains("expected pass but was mismatch"), "the headline is not repeated: " + trace);

        Map<String, String> types = attachmentTypes(tc);
        assertEquals("application/json", types.get("shrunk counterexample (JSON)"));
        JsonNode counterexample = JSON.readTree(attachmentText(tc, "shrunk counterexample (JSON)"));
        assertTrue(counterexample.size() > 0);
        assertEquals(8, types.size(), types.toString());
    }

    @Test
    void loadErrorMakesTheLoadStepBrokenAndIsABlocker() throws IOException {
        Path broken = Files.createDirectories(tmp.resolve("in")).resolve("broken.yaml");
        Files.writeString(broken, "name: broken\nnetwork:\n  inputs: two\n");
        SpecOutcome outcome = SpecTests.run(broken);

        JsonNode tc = report(outcome);

        assertEquals("blocker", labels(tc).get("severity"));
        assertEquals("unloadable specs", labels(tc).get("feature"));
        JsonNode load = tc.path("steps").get(0);
        assertEquals("load spec " + broken, load.path("name").textValue());
        assertEquals("broken", load.path("status").textValue());
        assertEquals(outcome.result().error(), load.path("statusDetails").path("message").textValue());
        assertEquals(List.of("load spec " + broken + " BROKEN", "verdict: error (expected pass) BROKEN"), steps(tc));
        Map<String, String> types = attachmentTypes(tc);
        assertEquals("text/yaml", types.get("spec YAML"));
        assertEquals("text/plain", types.get("summary"));
        assertFalse(types.containsKey("reporter error"));
    }

    @Test
    void neverThrowsAndExplainsItsOwnFailureInAnAttachment() throws IOException {
        SpecOutcome nonsense = new SpecOutcome(TANH_BUG, "x: 1", null, null, null, null, 0);

        JsonNode tc = report(nonsense);

        assertEquals("text/plain", attachmentTypes(tc).get("reporter error"));
        assertTrue(attachmentText(tc, "reporter error").contains("NullPointerException"));
    }

    @Test
    void htmlTableStopsAt200RowsAndSaysWhereTheRestIs() {
        SpecResult r = SpecTests.run(TANH_BUG).result();
        String html = AllureSpecReporter.html(r, java.util.Collections.nCopies(250, r.mismatches().get(0)));

        assertEquals(200, html.split("<tr class=\"", -1).length - 1);
        assertTrue(html.contains("<p>... and 50 more rows in the \"mismatches (CSV)\" attachment.</p>"), html);
    }

    @Test
    void featureIsTheFolderBelowSpecs() {
        assertEquals("losses/cross-entropy",
                AllureSpecReporter.folderBelowSpecs(Path.of("specs/losses/cross-entropy/a.yaml")));
        assertNull(AllureSpecReporter.folderBelowSpecs(Path.of("specs/a.yaml")));
        assertNull(AllureSpecReporter.folderBelowSpecs(Path.of("src/test/resources/demo/a.yaml")));
    }

    @Test
    void htmlAndCsvEscaping() {
        assertEquals("&lt;b&gt;&amp;&quot;&#39;", AllureSpecReporter.escape("<b>&\"'"));
        assertEquals("\"W1[0,1]\"", AllureSpecReporter.csvField("W1[0,1]"));
        assertEquals("\"a\"\"b\"", AllureSpecReporter.csvField("a\"b"));
        assertEquals("b2[3]", AllureSpecReporter.csvField("b2[3]"));
    }

    // ---------------------------------------------------------------- helpers

    /** Reports the outcome on a fresh test case, as the JUnit listener would frame it, and reads the result back. */
    private JsonNode report(SpecOutcome outcome) throws IOException {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        String uuid = UUID.randomUUID().toString();
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("spec"));
        lifecycle.startTestCase(uuid);
        AllureSpecReporter.report(outcome);
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
        Path file = results.resolve(uuid + "-result.json");
        assertTrue(Files.exists(file), "result written");
        JsonNode tc = JSON.readTree(file.toFile());
        for (JsonNode a : tc.path("attachments")) {
            assertTrue(Files.exists(results.resolve(a.path("source").textValue())),
                    "attachment file of " + a.path("name").textValue());
        }
        return tc;
    }

    private static Map<String, String> labels(JsonNode tc) {
        Map<String, String> m = new LinkedHashMap<>();
        tc.path("labels").forEach(l -> m.put(l.path("name").textValue(), l.path("value").textValue()));
        return m;
    }

    private static Map<String, String> parameters(JsonNode tc) {
        Map<String, String> m = new LinkedHashMap<>();
        tc.path("parameters").forEach(p -> m.put(p.path("name").textValue(), p.path("value").textValue()));
        return m;
    }

    private static List<String> steps(JsonNode tc) {
        List<String> s = new ArrayList<>();
        tc.path("steps").forEach(st -> s.add(st.path("name").textValue() + " "
                + st.path("status").textValue().toUpperCase(Locale.ROOT)));
        return s;
    }

    private static Map<String, String> attachmentTypes(JsonNode tc) {
        Map<String, String> m = new LinkedHashMap<>();
        tc.path("attachments").forEach(a -> m.put(a.path("name").textValue(), a.path("type").textValue()));
        return m;
    }

    private static String attachmentSource(JsonNode tc, String name) {
        for (JsonNode a : tc.path("attachments")) {
            if (name.equals(a.path("name").textValue())) {
                return a.path("source").textValue();
            }
        }
        throw new AssertionError("no attachment " + name);
    }

    private String attachmentText(JsonNode tc, String name) throws IOException {
        return Files.readString(results.resolve(attachmentSource(tc, name)), StandardCharsets.UTF_8);
    }
}
