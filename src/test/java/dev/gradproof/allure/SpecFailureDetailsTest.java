package dev.gradproof.allure;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.junit.SpecTests;
import dev.gradproof.report.Medium;
import dev.gradproof.run.SpecOutcome;
import io.qameta.allure.Allure;
import io.qameta.allure.AllureLifecycle;
import io.qameta.allure.FileSystemResultsWriter;
import io.qameta.allure.listener.TestLifecycleListener;
import io.qameta.allure.model.Status;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.TestResult;
import io.qameta.allure.util.ResultsUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failed spec's text appears once in its Allure result: run as the JUnit listener runs it (the
 * reporter during the test, then the thrown assertion copied into message and trace, then the write).
 */
class SpecFailureDetailsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String HEADLINE = "spec tanh-tutorial-bug expected pass but was mismatch";

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
    void failedSpecShowsItsHeadlineAsMessageAndTheRestOnceAsTrace() throws IOException {
        SpecOutcome outcome = failingSpec();
        String junitText = outcome.failureMessage(Medium.JUNIT);
        assertTrue(junitText.startsWith(HEADLINE + "\n"), junitText);

        JsonNode details = run(outcome, new AssertionFailedError(junitText)).path("statusDetails");

        assertEquals(HEADLINE, details.path("message").textValue());
        String allureText = outcome.failureMessage(Medium.ALLURE);
        String trace = details.path("trace").textValue();
        assertEquals(allureText.substring(HEADLINE.length() + 1).stripTrailing(), trace, "indentation kept");
        assertTrue(trace.startsWith("  81 of 93 parameter-trials mismatch"), trace);
        assertFalse(trace.contains(HEADLINE), "headline once");
        assertFalse(trace.contains("AssertionFailedError"), "the assertion's stack says nothing about the spec");
        assertTrue(trace.contains("mismatches (CSV)"), "the Allure wording, pointing at the CSV attachment: " + trace);
    }

    @Test
    void specBrokenByAnotherExceptionKeepsItsStack() throws IOException {
        IllegalStateException boom = new IllegalStateException("plot writer crashed");

        JsonNode details = run(failingSpec(), boom).path("statusDetails");

        assertEquals("plot writer crashed", details.path("message").textValue());
        assertTrue(details.path("trace").textValue().startsWith("java.lang.IllegalStateException: plot writer crashed"));
    }

    @Test
    void otherTestsAreLeftAlone() {
        TestResult other = new TestResult().setUuid(UUID.randomUUID().toString()).setStatusDetails(
                new StatusDetails().setMessage("line one\nline two").setTrace("trace"));

        new SpecFailureDetails().beforeTestWrite(other);

        assertEquals("line one\nline two", other.getStatusDetails().getMessage());
        assertEquals("trace", other.getStatusDetails().getTrace());
    }

    @Test
    void splitsTheHeadlineFromTheRest() {
        StatusDetails d = SpecFailureDetails.split("headline\n\n  indented rest\nmore\n");
        assertEquals("headline", d.getMessage());
        assertEquals("  indented rest\nmore", d.getTrace());
        StatusDetails single = SpecFailureDetails.split("only a headline");
        assertEquals("only a headline", single.getMessage());
        assertNull(single.getTrace());
    }

    @Test
    void registeredForAllure() {
        List<String> found = ServiceLoader.load(TestLifecycleListener.class).stream()
                .map(p -> p.type().getName()).toList();
        assertTrue(found.contains(SpecFailureDetails.class.getName()), found.toString());
        assertTrue(found.contains(InternalTestLabels.class.getName()), found.toString());
    }

    // ---------------------------------------------------------------- helpers

    private SpecOutcome failingSpec() throws IOException {
        Path copy = Files.createDirectories(tmp.resolve("in")).resolve("tanh-bug-expect-pass.yaml");
        Files.writeString(copy, Files.readString(Path.of("specs/tanh-tutorial-bug.yaml"))
                .replace("expect: mismatch", "expect: pass"));
        SpecOutcome outcome = SpecTests.run(copy);
        assertFalse(outcome.result().metExpectation());
        return outcome;
    }

    /** As AllureJunitPlatform does: status and details of the thrown exception over the test's own, then write. */
    private JsonNode run(SpecOutcome outcome, Throwable thrown) throws IOException {
        AllureLifecycle lifecycle = Allure.getLifecycle();
        String uuid = UUID.randomUUID().toString();
        lifecycle.scheduleTestCase(new TestResult().setUuid(uuid).setName("spec"));
        lifecycle.startTestCase(uuid);
        AllureSpecReporter.report(outcome);
        StatusDetails fromJunit = ResultsUtils.getStatusDetails(thrown).orElseThrow();
        lifecycle.updateTestCase(uuid, tc -> {
            tc.setStatus(ResultsUtils.getStatus(thrown).orElse(Status.BROKEN));
            tc.getStatusDetails().setMessage(fromJunit.getMessage()).setTrace(fromJunit.getTrace());
        });
        lifecycle.stopTestCase(uuid);
        lifecycle.writeTestCase(uuid);
        return JSON.readTree(results.resolve(uuid + "-result.json").toFile());
    }
}
