package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.campaign.CampaignNetworks.Budget;
import dev.gradproof.campaign.CampaignNetworks.Case;
import dev.gradproof.campaign.CampaignNetworks.Regime;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.compare.TrialCheck;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.api.Verdict;
import dev.gradproof.mutants.Mutants;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import dev.gradproof.compare.RandomNetworks;
import dev.gradproof.spec.Spec;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * False-alarm campaign: thousands of random <em>correct</em> networks (CampaignNetworks: depth 1–5,
 * widths 1–64, up to 400 inputs, every activation and loss, both reductions, L2 on and off, tiny to
 * saturating weights, exact zeros and exact kinks), each checked end to end by {@link SpecChecker#run}
 * against a correct implementation:
 * <ul>
 *   <li>the float64 reference backpropagation (the CLI's default; it shares the engine's forward pass);</li>
 *   <li>the bug zoo's correct {@code float32} variant, declared float32, through the SPI;</li>
 *   <li>the zoo's correct {@code relu-derivative-one-at-zero} variant (relu'(0) = 1) on kinked networks;</li>
 *   <li>{@link ReorderedSumNetwork}: per-example terms summed in reverse and in pairwise order.</li>
 * </ul>
 * Zero MISMATCH (and verdict PASS) is required for every network. KINK and INCONCLUSIVE are allowed
 * (the harness says it cannot decide, it does not blame) and counted with their reasons; the rates are
 * printed ({@code campaign: ...} lines, also target/campaign/results.txt) and collected as jqwik
 * statistics (shown when a property fails).
 *
 * <p>Builds on compare.FalseAlarmProperties (narrower networks, the reference alone, TrialCheck level)
 * rather than repeating it: wider and deeper networks, the 400-input saturating regime, three more correct
 * implementations, and the whole SpecChecker path (consistency checks and verdict included).
 */
@AddLifecycleHook(CampaignSize.class)
class FalseAlarmCampaign {

    /** Per implementation: counters and reasons. */
    static final class Tally {
        final LongAdder networks = new LongAdder();
        final LongAdder parameterTrials = new LongAdder();
        final LongAdder mismatches = new LongAdder();
        final LongAdder kinks = new LongAdder();
        final LongAdder inconclusive = new LongAdder();
        final LongAdder networksWithInconclusive = new LongAdder();
        final LongAdder knownBugs = new LongAdder();
        final LongAdder nanos = new LongAdder();
        final Map<String, AtomicLong> reasons = new ConcurrentSkipListMap<>();
        final Map<String, AtomicLong> verdicts = new ConcurrentSkipListMap<>();
        final Map<String, List<String>> examples = new ConcurrentSkipListMap<>();
    }

    static final Map<String, Tally> TALLIES = new ConcurrentHashMap<>();

    @Property(tries = 2000, shrinking = ShrinkingMode.OFF)
    void referenceFloat64NeverMismatches(@ForAll long seed) {
        Case c = CampaignNetworks.draw(seed, Budget.falseAlarms());
        check("reference float64", c, SpecChecker.Implementation.REFERENCE);
    }

    /**
     * The float32 variant, declared float32. One known harness bug (float32 underflow amplified downstream)
     * still fails it on a few saturated networks in a thousand; it is recognised narrowly
     * ({@link KnownHarnessBugs}), counted and reported as a harness false alarm, and pinned by the disabled
     * test below; any other non-pass fails the campaign.
     */
    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void float32VariantNeverMismatches(@ForAll long seed) {
        Case c = CampaignNetworks.draw(seed, Budget.falseAlarms());
        check("float32 variant", c, UnderTest.of(Mutants.byName("float32").implementation(c.spec())));
    }

    /**
     * Regression for the two float32 false alarms this campaign found, fixed in main code while it was written
     * (commit 196c423): a correct float32 implementation reported MISMATCH where the exact gradient is below
     * float32's smallest normal and it returns 0 (seeds 2693331814423181481: b3[12] exact -2.5e-111 vs
     * tolerance 6.6e-112; -9083153664042431231: W2[2,26] -3.0e-46 vs 2.2e-47), and FORWARD_DIFFERS where an L2
     * penalty over thousands of N(0,1) weights dominates the loss (seed -31223: 'its loss is 935.8939209 where
     * the spec's is 935.8954589'; seed 2212 had both). Seeds of CampaignNetworks.draw(seed, Budget.falseAlarms()),
     * checked on every parameter.
     */
    @Example
    void float32UnderflowAndLargePenaltiesPass() {
        for (long seed : new long[] {2693331814423181481L, -9083153664042431231L, -31223L, 2212L}) {
            Case c = CampaignNetworks.draw(seed, Budget.falseAlarms());
            SpecResult r = float32OnAllParameters(c);
            assertEquals(Verdict.PASS, r.verdict(), () -> c + ": " + r.mismatches() + " " + r.findings());
        }
    }

    @Example
    void float32UnderflowAmplifiedDownstreamIsNotAMismatch() {
        Case c = CampaignNetworks.draw(7521520871541758835L, Budget.falseAlarms());
        SpecResult r = float32OnAllParameters(c);
        assertEquals(Verdict.PASS, r.verdict(), () -> c + ": " + r.mismatches());
    }

    /** The float32 variant on every parameter of the case's network (pinned seeds must not hinge on the sample). */
    static SpecResult float32OnAllParameters(Case c) {
        Spec all = c.spec().withCheck(c.spec().check().withParameters(0));
        return SpecChecker.run(all, UnderTest.of(Mutants.byName("float32").implementation(all)), SpecChecker.Progress.NONE);
    }

    @Example
    void subnormalGradientsDoNotMakeTheExactOraclesDisagree() {
        Case c = CampaignNetworks.draw(-16L, Budget.misses(CampaignNetworks.Bucket.UNDER_10K));
        int p = 8351;
        assertEquals("b4[15]", c.mlp().layout().name(p));
        ParameterResult r = TrialCheck.run(c.mlp(), RandomNetworks.sharingForward(c.mlp()),
                c.trial(), new int[] {p}, TrialCheck.Options.defaults(), null).get(0);
        assertTrue(Math.abs(r.exact()) < Double.MIN_NORMAL, r::toString);
        assertEquals(Status.OK, r.status(), r::toString);
    }

    /**
     * Regression: the relu'(0)=1 variant on a relu output unit sitting exactly on its kink. The campaign
     * found it reported MISMATCH by 2e-18 over a tolerance equal to the kink allowance alone (b3[17]:
     * analytic 0.013147030762063156, exact 0, tolerance 0.013147030762063154); ToleranceModel now widens the
     * allowance by its own rounding (fixed in main code while this campaign was written).
     */
    @Example
    void otherKinkConventionOnAKinkedOutputUnit() {
        Case c = CampaignNetworks.draw(-375L, Budget.falseAlarms(), Regime.KINKS);
        SpecResult r = SpecChecker.run(c.spec(), UnderTest.of(Mutants.byName("relu-derivative-one-at-zero")
                .implementation(c.spec())), SpecChecker.Progress.NONE);
        assertEquals(Verdict.PASS, r.verdict(), () -> c + ": " + r.mismatches());
        ParameterResult b = r.all().stream().filter(p -> p.parameter().equals("b3[17]")).findFirst().orElseThrow();
        assertEquals(Status.KINK, b.status(), b::toString);
        assertEquals(0.0, b.exact());
        assertTrue(b.analytic() > 0.0131 && b.absoluteError() <= b.absoluteTolerance(), b::toString);
    }

    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void reluDerivativeOneAtZeroNeverMismatches(@ForAll long seed) {
        Case c = CampaignNetworks.draw(seed, Budget.falseAlarms(), Regime.KINKS);
        check("relu'(0)=1 variant", c,
                UnderTest.of(Mutants.byName("relu-derivative-one-at-zero").implementation(c.spec())));
    }

    @Property(tries = 400, shrinking = ShrinkingMode.OFF)
    void reorderedSumsNeverMismatch(@ForAll long seed, @ForAll ReorderedSumNetwork.Order order) {
        Case c = CampaignNetworks.draw(seed, Budget.falseAlarms());
        check("sum order " + order.name().toLowerCase(Locale.ROOT), c,
                UnderTest.of(new ReorderedSumNetwork(c.spec(), order)));
    }

    private static void check(String who, Case c, SpecChecker.Implementation implementation) {
        long start = System.nanoTime();
        SpecResult r = SpecChecker.run(c.spec(), implementation, SpecChecker.Progress.NONE);
        Tally t = TALLIES.computeIfAbsent(who, k -> new Tally());
        t.nanos.add(System.nanoTime() - start);
        t.networks.increment();
        t.verdicts.computeIfAbsent(r.verdict().name().toLowerCase() + (r.error() == null ? "" : ": " + r.error()),
                k -> new AtomicLong()).incrementAndGet();
        Statistics.label("regime").collect(c.regime());
        Statistics.label("verdict").collect(r.verdict());
        int inconclusive = 0;
        String known = null; // the float32 underflow and L2 bugs are fixed: no false alarm is excused any more
        for (ParameterResult p : r.all()) {
            t.parameterTrials.increment();
            if (p.status() == Status.MISMATCH && known != null) {
                continue; // counted below as a known harness bug, not as a mismatch of the campaign
            }
            Statistics.label("parameter status").collect(p.status());
            switch (p.status()) {
                case MISMATCH -> t.mismatches.increment();
                case KINK -> {
                    t.kinks.increment();
                    reason(t, "kink: " + reason(p.note()));
                }
                case INCONCLUSIVE -> {
                    t.inconclusive.increment();
                    inconclusive++;
                    reason(t, "inconclusive: " + reason(p.note()) + " [" + c.regime().name().toLowerCase() + "]");
                    example(t, "inconclusive: " + reason(p.note()), c + ": " + p.parameter() + " analytic " + p.analytic()
                            + " exact " + p.exact() + " fd " + p.finiteDifference() + " tol " + p.absoluteTolerance()
                            + ": " + p.note());
                    Statistics.label("inconclusive reason").collect(reason(p.note()));
                }
                default -> { }
            }
        }
        if (inconclusive > 0) {
            t.networksWithInconclusive.increment();
        }
        if (known != null) {
            t.knownBugs.increment();
            reason(t, "KNOWN HARNESS BUG " + known + " (verdict " + r.verdict().name().toLowerCase() + ")");
            example(t, "KNOWN HARNESS BUG " + known, c.toString());
            Statistics.label("known harness bug").collect(known);
            return;
        }
        if (r.verdict() == Verdict.ERROR && r.error() != null && r.error().startsWith("nothing was compared")) {
            // A degenerate draw (a one-unit softmax, every unit dead or saturated): the harness refuses to call
            // that a pass, which is right only if truly nothing could have failed. Verified independently here.
            for (ParameterResult p : r.all()) {
                double scale = Math.max(Math.abs(p.analytic()), Math.abs(p.reference()));
                assertTrue(p.status() == Status.INCONCLUSIVE || scale <= p.absoluteTolerance(),
                        () -> "'nothing was compared' although " + p + " was (" + who + ", " + c + ")");
            }
            reason(t, "nothing compared (degenerate network) [" + c.regime().name().toLowerCase() + "]");
            example(t, "nothing compared", c.toString());
            return;
        }
        assertEquals(Verdict.PASS, r.verdict(), () -> "false alarm (" + who + ") on " + c + ": verdict " + r.verdict()
                + (r.error() == null ? "" : ", error: " + r.error()) + ", mismatches " + r.mismatches()
                + ", findings " + r.findings());
        assertTrue(r.mismatches().isEmpty(), () -> "false alarm (" + who + ") on " + c + ": " + r.mismatches());
    }

    /** Keeps the first three cases of each reason, printed with the summary. */
    private static void example(Tally t, String key, String text) {
        List<String> list = t.examples.computeIfAbsent(key, k -> new CopyOnWriteArrayList<>());
        if (list.size() < 3) {
            list.add(text);
        }
    }

    private static void reason(Tally t, String key) {
        t.reasons.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet();
    }

    /** A note without its numbers: "finite difference disagrees with exact", "derivative convention at a kink". */
    static String reason(String note) {
        if (note == null) {
            return "(no note)";
        }
        int cut = note.length();
        for (String stop : new String[] {" by ", ":", " ("}) {
            int i = note.indexOf(stop);
            if (i > 0) {
                cut = Math.min(cut, i);
            }
        }
        return note.substring(0, cut);
    }

    @AfterContainer
    static void summary() {
        long networks = 0;
        long params = 0;
        long mismatches = 0;
        long kinks = 0;
        long inconclusive = 0;
        long known = 0;
        for (Map.Entry<String, Tally> e : new TreeMap<>(TALLIES).entrySet()) {
            Tally t = e.getValue();
            networks += t.networks.sum();
            params += t.parameterTrials.sum();
            mismatches += t.mismatches.sum();
            kinks += t.kinks.sum();
            inconclusive += t.inconclusive.sum();
            known += t.knownBugs.sum();
            Campaign.report("false-alarm %s: %d networks, %d parameter-trials, %d mismatches, %d known harness bugs, "
                            + "kink %d (%s), inconclusive %d (%s; in %d networks), %.1f s, verdicts %s",
                    e.getKey(), t.networks.sum(), t.parameterTrials.sum(), t.mismatches.sum(), t.knownBugs.sum(), t.kinks.sum(),
                    Campaign.percent(t.kinks.sum(), t.parameterTrials.sum()), t.inconclusive.sum(),
                    Campaign.percent(t.inconclusive.sum(), t.parameterTrials.sum()), t.networksWithInconclusive.sum(),
                    t.nanos.sum() / 1e9, t.verdicts);
            t.reasons.forEach((reason, n) -> Campaign.report("false-alarm %s:   %s: %d", e.getKey(), reason, n.get()));
            t.examples.forEach((reason, list) -> list.forEach(x -> Campaign.report("false-alarm %s:     e.g. %s: %s",
                    e.getKey(), reason, x)));
        }
        Campaign.report("false-alarm TOTAL: %d networks, %d parameter-trials, %d false alarms (+ %d networks hit by "
                        + "the known float32 harness bugs), kink rate %s, inconclusive rate %s", networks, params,
                mismatches, known, Campaign.percent(kinks, params), Campaign.percent(inconclusive, params));
    }
}
