package dev.gradproof.mutants;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetectionTableTest {

    /** Small bundled specs on which, together, every bug applies at least once. */
    static final List<String> SUBSET = List.of("bpnn-xor", "tanh-tutorial-fixed", "derivation-sigmoid-cross-entropy",
            "ng-check-nn-gradients", "softmax-cross-entropy", "leaky-relu", "relu-network", "l2-with-biases",
            "custom-softsign", "frozen-layer");

    static final int SEEDS = 20;

    // relu-derivative-one-at-zero is left out until the engine's kink allowance covers it: see
    // MutantsTest.reluOneAtZeroIsNotFlagged* and reluZeroConventionOnTheSubset below.
    static final String KNOWN_ENGINE_ISSUE = "relu-derivative-one-at-zero";

    static List<Spec> subset() {
        return SUBSET.stream().map(TestSpecs::bundled).toList();
    }

    @Test
    void everyApplicableBugIsCaughtInEveryTrialAndNoCorrectVariantIsFlagged() {
        List<Mutant> mutants = Mutants.all().stream().filter(m -> !m.name().equals(KNOWN_ENGINE_ISSUE)).toList();
        DetectionTable.Result r = DetectionTable.run(subset(), SEEDS, mutants);
        assertTrue(r.ok(), r::text);
        for (Mutant m : mutants) {
            DetectionTable.Row row = r.row(m.name());
            assertTrue(row.applicableTrials() >= SEEDS, m.name() + " applies to no spec of the subset");
            if (m.correct()) {
                assertEquals(0, row.falseAlarms(), m.name());
            } else {
                assertEquals(row.applicableTrials(), row.caught(), m.name());
                assertTrue(row.summaryLine().startsWith("caught in 100% of "), row.summaryLine());
            }
        }
    }

    @Test
    void reluZeroConventionOnTheSubset() {
        DetectionTable.Result r = DetectionTable.run(subset(), SEEDS, List.of(Mutants.byName(KNOWN_ENGINE_ISSUE)));
        assertTrue(r.ok(), r::text);
    }

    /** A "bug" that is the reference is never caught; a "correct variant" that is a bug is always flagged. */
    @Test
    void missesAndFalseAlarmsMakeTheTableNotOk() {
        Mutant notABug = new Mutant("reference-as-bug", false, "float64", "the reference", "x", "always",
                f -> Applicability.yes(), (s, mlp) -> new Backprop(mlp));
        Mutant notCorrect = new Mutant("bug-as-correct", true, "float64", "a bug", "x", "always",
                f -> Applicability.yes(), (s, mlp) -> new Mutants.MeanNotDivided(mlp));
        Mutant never = new Mutant("never-applies", false, "float64", "n/a", "x", "never",
                f -> Applicability.no("never"), (s, mlp) -> new Backprop(mlp));
        List<Spec> specs = List.of(TestSpecs.bundled("sine-regression"), TestSpecs.bundled("bpnn-xor"));
        DetectionTable.Result r = DetectionTable.run(specs, 3, List.of(notABug, notCorrect, never, Mutants.byName("swap-w1-rows")));
        assertFalse(r.ok());
        assertEquals(List.of(1L, 2L, 3L), r.entry("reference-as-bug", "sine-regression").unexpected());
        assertEquals(0, r.row("reference-as-bug").caught());
        // mean-not-divided is a bug only under mean: sine-regression (mean) flagged, bpnn-xor (sum) not.
        assertEquals(3, r.entry("bug-as-correct", "sine-regression").unexpected().size());
        assertEquals(0, r.entry("bug-as-correct", "bpnn-xor").unexpected().size());
        assertEquals("3 false alarms in 6 trials (2 specs)", r.row("bug-as-correct").summaryLine());
        assertEquals("not applicable to any spec", r.row("never-applies").summaryLine());
        assertTrue(r.row("never-applies").ok());
        assertEquals("caught in 100% of 6 applicable trials (2 specs)", r.row("swap-w1-rows").summaryLine());

        String text = r.text();
        assertTrue(text.contains("reference-as-bug on sine-regression: not caught at seeds 1, 2, 3 (pass;"), text);
        assertTrue(text.contains("bug-as-correct on sine-regression: flagged at seeds 1, 2, 3 (mismatch;"), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("reference-as-bug +0/3 +0/3 *")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("bug-as-correct +3 FA +0 FA *")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("never-applies +n/a +n/a *")), text);
        assertTrue(text.lines().anyMatch(l -> l.matches("swap-w1-rows +3/3 +3/3 *")), text);
        assertTrue(text.contains("NOT OK: 3 entries above ("), text);

        JsonNode json = r.json();
        assertFalse(json.get("ok").asBoolean());
        assertEquals(3, json.get("seeds").asInt());
        assertEquals("sine-regression", json.get("specs").get(0).asText());
        JsonNode ref = json.get("mutants").get(0);
        assertEquals("reference-as-bug", ref.get("name").asText());
        assertEquals(0, ref.get("caught").asInt());
        assertEquals(3, ref.get("entries").get(0).get("missed_seeds").size());
        JsonNode fa = json.get("mutants").get(1);
        assertEquals(3, fa.get("false_alarms").asInt());
        assertEquals(3, fa.get("entries").get(0).get("false_alarm_seeds").size());
        assertEquals("never", json.get("mutants").get(2).get("entries").get(0).get("reason").asText());
    }

    @Test
    void percentagesNeverRoundUpTo100() {
        assertEquals("100%", DetectionTable.percent(180, 180));
        assertEquals("99.4%", DetectionTable.percent(179, 180));
        assertEquals("50.0%", DetectionTable.percent(1, 2));
        assertEquals("99.9%", DetectionTable.percent(99_999, 100_000));
        assertEquals("0.0%", DetectionTable.percent(0, 7));
    }
}
