package dev.gradproof.compare;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

/** Issue #13: a finding is read in report.json, summary.md, JUnit and Allure alike, so it points at nothing that may be absent. */
class ConsistencyFindingsTest {
    private static ParameterResult mismatch(String name, int index, double analytic, double exact) {
        return new ParameterResult(name, index, 1, false, 0, analytic, exact, exact, 1, 1e-14, Math.abs(analytic - exact),
                1e-16, Status.MISMATCH, null);
    }

    private static final String OWN_LOSS_DISAGREES = "own consistency: its gradient is NOT the derivative of its own loss at "
            + "1 parameters or directions (W1[0,0]): its backward pass and its own loss disagree (a backward bug, or a convention such as "
            + "a batch-summed gradient with a batch-averaged loss";

    @Test
    void theConstantFactorIsPointedAtOnlyWhenThereIsOne() {
        List<Consistency> trial = List.of(new Consistency(true, 1.0, 1.0, 1e-15, 2, List.of("W1[0,0]"), 2, List.of()));
        List<String> without = ConsistencyFindings.describe(trial, List.of(mismatch("W1[0,0]", 0, 0.3, 0.1)), 4, 1);
        assertTrue(without.contains(OWN_LOSS_DISAGREES + ")"), without::toString);

        List<ParameterResult> doubled = List.of(mismatch("W1[0,0]", 0, 0.2, 0.1), mismatch("W1[0,1]", 1, -0.6, -0.3));
        List<String> with = ConsistencyFindings.describe(trial, doubled, 4, 1);
        assertTrue(with.contains(OWN_LOSS_DISAGREES + ": see the constant factor)"), with::toString);
    }

    @Test
    void aLongOwnSampleIsCountedNotSentToAReport() {
        List<String> sample = IntStream.range(0, 15).mapToObj(i -> "W1[0," + i + "]").toList();
        List<Consistency> trial = List.of(new Consistency(true, 1.0, 1.0, 1e-15, 15, List.of(), 40, sample));
        String sampled = ConsistencyFindings.describe(trial, List.of(), 4, 1).get(0);
        assertEquals("own consistency sampled: 15 of 40 parameter-trials, since each perturbed loss is a full forward "
                + "pass of the implementation (every layer and row represented: " + String.join(", ", sample.subList(0, 12))
                + " and 3 more)", sampled);
    }
}
