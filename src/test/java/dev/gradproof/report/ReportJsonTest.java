package dev.gradproof.report;

import dev.gradproof.api.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.spec.Expectation;
import java.util.ArrayList;

/** The report.json rules docs/REPORT.md states, on results built by hand. */
class ReportJsonTest {

    private static final RunInfo INFO = new RunInfo("20261126-151438-4c1e", Instant.parse("2026-11-26T15:14:38Z"),
            Instant.parse("2026-11-26T15:14:40.5Z"), true);

    @Test
    void runLevelFields() {
        JsonNode root = ReportJson.run(INFO, List.of(Results.pass("a"), Results.tanhMismatch(Verdict.PASS, 2)));
        assertEquals(List.of("schema_version", "tool", "run_id", "started", "finished", "complete", "passed", "failed",
                "skipped", "skipped_specs", "specs"), fieldNames(root));
        assertEquals(1, root.get("schema_version").asInt());
        assertEquals("gradproof", root.get("tool").asText());
        assertEquals("20261126-151438-4c1e", root.get("run_id").asText());
        assertEquals("2026-11-26T15:14:38Z", root.get("started").asText());
        assertEquals("2026-11-26T15:14:40.500Z", root.get("finished").asText());
        assertTrue(root.get("complete").asBoolean());
        assertEquals(1, root.get("passed").asInt());
        assertEquals(1, root.get("failed").asInt());
    }

    @Test
    void unfinishedRunHasNullFinishedAndIsIncomplete() {
        JsonNode root = ReportJson.run(new RunInfo("x", INFO.started(), null, false), List.of());
        assertTrue(root.get("finished").isNull());
        assertFalse(root.get("complete").asBoolean());
        assertEquals(0, root.get("specs").size());
    }

    @Test
    void specFieldsInOrder() {
        JsonNode s = ReportJson.spec(Results.tanhMismatch(Verdict.MISMATCH, 2));
        assertEquals(List.of("name", "file", "expect", "verdict", "met_expectation", "seed", "trials", "parameters_total",
                "parameters_checked", "parameters_sampled", "kinks", "inconclusive", "max_relative_error",
                "max_error_of_tolerance", "layers",
                "mismatches_total", "mismatches", "inconclusive_parameters", "findings", "activation_checks", "error", "recipe",
                "recipe_command", "seconds"), fieldNames(s));
        assertEquals("specs/tanh-bug.yaml", s.get("file").asText());
        assertEquals(1.9626872197266034, s.get("max_relative_error").asDouble());
        assertEquals(List.of("parameter", "layer", "trial", "analytic", "finite_difference", "exact", "relative_error",
                "tolerance", "absolute_error", "absolute_tolerance", "status"), fieldNames(s.get("mismatches").get(0)));
        assertEquals(List.of("layer", "activation", "frozen", "checked", "mismatches", "weight_mismatches",
                "bias_mismatches", "kinks", "inconclusive", "max_relative_error", "median_relative_error"),
                fieldNames(s.get("layers").get(0)));
        assertEquals(List.of("layer", "activation", "points", "differing", "passed", "max_absolute_error",
                "first_differences"), fieldNames(s.get("activation_checks").get(0)));
        assertEquals(List.of("kind", "x", "declared", "exact", "text"),
                fieldNames(s.get("activation_checks").get(0).get("first_differences").get(0)));
    }

    @Test
    void nonFiniteNumbersAreNull() {
        SpecResult r = Results.tanhMismatch(Verdict.MISMATCH, 2);
        ParameterResult kink = new ParameterResult("W1[0,0]", 0, 1, false, 0, 0.5, Double.NaN, 0.5, 0, 1e-16, 0, 1e-16,
                Status.KINK, "finite difference skipped: kink within the stencil");
        ParameterResult infinite = new ParameterResult("W1[0,1]", 1, 1, false, 0, Double.POSITIVE_INFINITY, 1, 1,
                Double.NaN, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY, 1e-16, Status.INCONCLUSIVE, null);
        SpecResult withNaN = Results.result(r.name(), r.file(), null, r.expect(), r.verdict(), r.metExpectation(), 7, 3,
                17, 17, List.of(), 1, 1, Double.NaN, r.layers(), r.mismatches(), List.of(kink, infinite),
                r.activationChecks(), null, Double.NaN);
        JsonNode s = ReportJson.spec(withNaN);

        assertTrue(s.get("max_relative_error").isNull());
        assertTrue(s.get("seconds").isNull());
        JsonNode b = s.get("mismatches").get(1); // b1[2]: no finite difference
        assertEquals("b1[2]", b.get("parameter").asText());
        assertTrue(b.get("finite_difference").isNull());
        assertEquals(0.0376, b.get("exact").asDouble());
        JsonNode k = s.get("inconclusive_parameters").get(0);
        assertTrue(k.get("finite_difference").isNull());
        assertEquals("kink", k.get("status").asText());
        assertEquals("finite difference skipped: kink within the stencil", k.get("note").asText());
        JsonNode inf = s.get("inconclusive_parameters").get(1);
        for (String key : List.of("relative_error", "tolerance", "absolute_error")) {
            assertTrue(inf.get(key).isNull(), key);
        }
        assertEquals("Infinity", inf.get("analytic").asText(), "a computed infinity is a result, not a missing value");
        assertFalse(inf.has("note"), "note only when there is one");
        assertEquals("inconclusive", inf.get("status").asText());
    }

    @Test
    void atMostTenThousandMismatchesAreListed() {
        assertEquals(10_000, ReportJson.MAX_LISTED);
        JsonNode s = ReportJson.spec(Results.tanhMismatch(Verdict.MISMATCH, 10_001));
        assertEquals(10_001, s.get("mismatches_total").asInt());
        assertEquals(10_000, s.get("mismatches").size());
        assertEquals("W1[2,0]", s.get("mismatches").get(0).get("parameter").asText(), "the first ones are kept");
    }

    @Test
    void errorSpec() {
        JsonNode s = ReportJson.spec(Results.error("lwr", "specs/lwr.yaml:17:14: loss.reduction: not a scalar",
                new Expectation(Verdict.ERROR, "scalar")));
        assertEquals("error", s.get("expect").asText());
        assertEquals("scalar", s.get("expect_message").asText());
        assertEquals("error", s.get("verdict").asText());
        assertTrue(s.get("met_expectation").asBoolean());
        assertEquals("specs/lwr.yaml:17:14: loss.reduction: not a scalar", s.get("error").asText());
        assertEquals(0, s.get("seed").asLong());
        assertEquals(0, s.get("trials").asInt());
        assertEquals(0.0, s.get("max_relative_error").asDouble());
        assertTrue(s.get("layers").isEmpty());
        assertTrue(ReportJson.spec(Results.pass("p")).get("error").isNull());
        assertFalse(ReportJson.spec(Results.pass("p")).has("expect_message"));
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
