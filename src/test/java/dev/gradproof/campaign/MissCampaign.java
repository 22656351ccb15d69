package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.campaign.CampaignNetworks.Bucket;
import dev.gradproof.campaign.CampaignNetworks.Budget;
import dev.gradproof.campaign.CampaignNetworks.Case;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.RandomNetworks;
import dev.gradproof.compare.Status;
import dev.gradproof.compare.TrialCheck;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;

/**
 * Miss campaign: the false-alarm campaign's random networks (CampaignNetworks), drawn in three size
 * buckets (&lt;100, 100–999, 1,000–9,999 trainable parameters), with three small realistic bugs injected
 * into the reference's analytic gradient at once, on disjoint parameters:
 * <ul>
 *   <li><b>single</b>: up to 8 random parameters, each × (1 + 1e-6);</li>
 *   <li><b>bias</b>: one random layer's whole bias gradient × (1 + 1e-5);</li>
 *   <li><b>rows</b>: two random rows of one random layer's weight gradient swapped.</li>
 * </ul>
 * Each parameter is judged on its own (the analytic value of one parameter never enters another's
 * judgement, and the reference shares the engine's forward pass, so there is no consistency check to
 * couple them), so the three bugs are independent experiments on one network.
 *
 * <p>Asserted for every bugged parameter, with e the exact value, tol the harness's own derived absolute
 * tolerance, a the clean analytic value and a' the bugged one:
 * <ol>
 *   <li>tol is the same in the clean and the bugged run (it cannot depend on the gradient under test);</li>
 *   <li>|a' − e| &gt; tol ⇒ MISMATCH (never OK or KINK; INCONCLUSIVE, where the harness openly cannot
 *       decide, would be counted as undecided; none was seen);</li>
 *   <li>|a' − a| − |a − e| &gt; tol ⇒ MISMATCH: the injected change alone exceeds the tolerance by more
 *       than the clean rounding error (the soundness argument of compare.MissedBugProperties).</li>
 * </ol>
 * Measured: per bucket, tol/|e| over the single-parameter sample (a uniformly random parameter): the
 * smallest relative error that is certain to be reported for that parameter. Its median, 90th and 99th
 * percentiles are printed; the 99th is "the smallest relative error reliably detected". Also, per bug
 * kind, how many bugged networks were reported (at least one of the bug's parameters MISMATCH).
 *
 * <p>compare.MissedBugProperties runs the same three kinds of bug on its narrow networks (widths ≤ 8)
 * and asserts detectable fractions; this campaign adds the size buckets, up to 400 inputs and 64 units,
 * any weight layer's rows, and the measured thresholds.
 */
@AddLifecycleHook(CampaignSize.class)
class MissCampaign {

    enum Bug { SINGLE, BIAS, ROWS }

    /** Per bucket and bug: counters. */
    static final class Tally {
        final LongAdder networks = new LongAdder();
        final LongAdder bugged = new LongAdder();          // bugged parameter-trials whose gradient changed
        final LongAdder unchanged = new LongAdder();       // injected change exactly 0 (zero gradient, equal rows)
        final LongAdder detectable = new LongAdder();      // |a' - e| > tol
        final LongAdder reported = new LongAdder();        // MISMATCH
        final LongAdder undecided = new LongAdder();       // INCONCLUSIVE with |a' - e| > tol
        final LongAdder withinRounding = new LongAdder();  // |a' - a| > tol but |a' - e| <= tol
        final LongAdder bugNetworks = new LongAdder();     // networks where the bug changed something
        final LongAdder bugNetworksCaught = new LongAdder();
        final List<Double> ratios = Collections.synchronizedList(new ArrayList<>()); // tol/|e|
        final LongAdder zeroGradient = new LongAdder();
    }

    static final Map<Bucket, Map<Bug, Tally>> TALLIES = new ConcurrentHashMap<>();
    static final LongAdder NANOS = new LongAdder();
    static final List<String> UNDECIDED = new CopyOnWriteArrayList<>();

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void injectedBugsAboveTheToleranceAreAlwaysReported(@ForAll long seed, @ForAll Bucket bucket) {
        long start = System.nanoTime();
        Case c = CampaignNetworks.draw(seed, Budget.misses(bucket));
        Mlp mlp = c.mlp();
        ParameterLayout layout = mlp.layout();
        SplittableRandom r = new SplittableRandom(seed ^ 0x6A09E667F3BCC909L);
        Set<Integer> used = new LinkedHashSet<>();

        // rows: two rows of one weight matrix with at least 2 rows
        List<Integer> multiRow = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
            if (layout.size(l + 1) >= 2) {
                multiRow.add(l);
            }
        }
        int[] rowParams = new int[0];
        int rowLayer = -1;
        int rowI = -1;
        int rowK = -1;
        if (!multiRow.isEmpty()) {
            rowLayer = multiRow.get(r.nextInt(multiRow.size()));
            int rows = layout.size(rowLayer + 1);
            int in = layout.size(rowLayer);
            rowI = r.nextInt(rows);
            rowK = (rowI + 1 + r.nextInt(rows - 1)) % rows;
            int w = layout.weightOffset(rowLayer);
            rowParams = new int[2 * in];
            for (int j = 0; j < in; j++) {
                rowParams[j] = w + rowI * in + j;
                rowParams[in + j] = w + rowK * in + j;
            }
            for (int p : rowParams) {
                used.add(p);
            }
        }
        // bias: one layer with a bias, not overlapping the rows (biases never do)
        List<Integer> withBias = new ArrayList<>();
        for (int l = 0; l < layout.layers(); l++) {
            if (layout.hasBias(l)) {
                withBias.add(l);
            }
        }
        int[] biasParams = new int[0];
        if (!withBias.isEmpty()) {
            int l = withBias.get(r.nextInt(withBias.size()));
            biasParams = new int[layout.size(l + 1)];
            for (int i = 0; i < biasParams.length; i++) {
                biasParams[i] = layout.biasOffset(l) + i;
                used.add(biasParams[i]);
            }
        }
        // single: up to 8 random parameters not used above
        List<Integer> free = new ArrayList<>();
        for (int p : layout.trainable()) {
            if (!used.contains(p)) {
                free.add(p);
            }
        }
        int k = Math.min(8, free.size());
        int[] singleParams = new int[k];
        for (int q = 0; q < k; q++) {
            int j = q + r.nextInt(free.size() - q);
            Collections.swap(free, q, j);
            singleParams[q] = free.get(q);
        }

        final int[] rows = rowParams;
        final int fl = rowLayer;
        final int fi = rowI;
        final int fk = rowK;
        final int[] biases = biasParams;
        final int[] singles = singleParams;
        UnaryOperator<double[]> bug = g -> {
            for (int p : singles) {
                g[p] *= 1 + 1e-6;
            }
            for (int p : biases) {
                g[p] *= 1 + 1e-5;
            }
            if (fl >= 0) {
                int in = layout.size(fl);
                int w = layout.weightOffset(fl);
                for (int j = 0; j < in; j++) {
                    double t = g[w + fi * in + j];
                    g[w + fi * in + j] = g[w + fk * in + j];
                    g[w + fk * in + j] = t;
                }
            }
            return g;
        };

        int[] all = concat(rows, biases, singles);
        Arrays.sort(all);
        double[] clean = mlp.gradient(c.trial().theta(), c.trial().data());
        double[] bugged = bug.apply(clean.clone());
        List<ParameterResult> before = TrialCheck.run(mlp, RandomNetworks.sharingForward(mlp), c.trial(), all,
                TrialCheck.Options.defaults(), null);
        TrialCheck.Analytic buggedImpl = RandomNetworks.sharingForward(mlp);
        TrialCheck.Analytic injected = new TrialCheck.Analytic() {
            @Override
            public double[] gradient(double[] theta, Dataset data, Forward f) {
                return bug.apply(buggedImpl.gradient(theta, data, f));
            }

            @Override
            public boolean sharesForward() {
                return true;
            }
        };
        List<ParameterResult> after = TrialCheck.run(mlp, injected, c.trial(), all, TrialCheck.Options.defaults(), null);
        Map<Integer, Integer> at = new HashMap<>();
        for (int q = 0; q < all.length; q++) {
            at.put(all[q], q);
        }
        Map<Bug, Tally> tallies = TALLIES.computeIfAbsent(Bucket.of(c.parameters()), b -> {
            Map<Bug, Tally> m = new EnumMap<>(Bug.class);
            for (Bug x : Bug.values()) {
                m.put(x, new Tally());
            }
            return Collections.synchronizedMap(m);
        });
        judge(c, Bug.SINGLE, singles, at, before, after, clean, bugged, tallies.get(Bug.SINGLE));
        judge(c, Bug.BIAS, biases, at, before, after, clean, bugged, tallies.get(Bug.BIAS));
        judge(c, Bug.ROWS, rows, at, before, after, clean, bugged, tallies.get(Bug.ROWS));
        Statistics.label("bucket").collect(Bucket.of(c.parameters()).label());
        NANOS.add(System.nanoTime() - start);
    }

    private static void judge(Case c, Bug kind, int[] params, Map<Integer, Integer> at, List<ParameterResult> before,
                              List<ParameterResult> after, double[] clean, double[] bugged, Tally t) {
        t.networks.increment();
        boolean changed = false;
        boolean caught = false;
        for (int p : params) {
            ParameterResult r0 = before.get(at.get(p));
            ParameterResult r1 = after.get(at.get(p));
            assertEquals(p, r1.index());
            double delta = Math.abs(bugged[p] - clean[p]);
            // 1. the tolerance does not depend on the gradient under test
            assertEquals(r0.absoluteTolerance(), r1.absoluteTolerance(), () -> kind + " on " + c + ": " + r0 + " / " + r1);
            if (kind == Bug.SINGLE) {
                double e = Math.abs(r0.exact());
                if (e == 0) {
                    t.zeroGradient.increment();
                } else {
                    t.ratios.add(r0.absoluteTolerance() / e);
                }
            }
            if (delta == 0) {
                t.unchanged.increment();
                continue;
            }
            changed = true;
            t.bugged.increment();
            boolean detectable = r1.absoluteError() > r1.absoluteTolerance();
            if (detectable) {
                t.detectable.increment();
            }
            if (r1.status() == Status.MISMATCH) {
                t.reported.increment();
                caught = true;
            }
            if (detectable && r1.status() == Status.INCONCLUSIVE) {
                t.undecided.increment();
                if (UNDECIDED.size() < 5) {
                    UNDECIDED.add(kind + " on " + c + ": " + r1);
                }
                continue;
            }
            if (!detectable && delta > r1.absoluteTolerance()) {
                t.withinRounding.increment();
            }
            // 2. an error above the harness's own tolerance is reported
            if (detectable) {
                assertEquals(Status.MISMATCH, r1.status(), () -> "MISSED " + kind + " bug on " + c + ": |a'-e| = "
                        + r1.absoluteError() + " > tol " + r1.absoluteTolerance() + " but " + r1);
            }
            // 3. the injected change alone, net of clean rounding, above the tolerance is reported
            if (r0.status() != Status.INCONCLUSIVE && delta - r0.absoluteError() > r1.absoluteTolerance()) {
                assertEquals(Status.MISMATCH, r1.status(), () -> "MISSED " + kind + " bug on " + c + ": injected "
                        + delta + " - clean error " + r0.absoluteError() + " > tol " + r1.absoluteTolerance() + " but " + r1);
            }
        }
        if (changed) {
            t.bugNetworks.increment();
            if (caught) {
                t.bugNetworksCaught.increment();
            }
        }
        Statistics.label(kind.name().toLowerCase()).collect(!changed ? "no change" : caught ? "caught" : "below tolerance");
    }

    private static int[] concat(int[]... xs) {
        return Arrays.stream(xs).flatMapToInt(Arrays::stream).toArray();
    }

    @AfterContainer
    static void summary() {
        long missed = 0;
        for (Bucket b : Bucket.values()) {
            Map<Bug, Tally> m = TALLIES.get(b);
            if (m == null) {
                continue;
            }
            Tally s = m.get(Bug.SINGLE);
            double[] ratios = s.ratios.stream().mapToDouble(Double::doubleValue).toArray();
            long within6 = Arrays.stream(ratios).filter(x -> x <= 1e-6).count();
            long within9 = Arrays.stream(ratios).filter(x -> x <= 1e-9).count();
            Campaign.report("miss bucket %s: %d networks; tol/|g| over %d random parameters (%d with g = 0 excluded): "
                            + "median %s, p90 %s, p95 %s, p99 %s, max %s; a relative error of 1e-6 is certain to be "
                            + "reported on %s of parameters, 1e-9 on %s",
                    b.label(), s.networks.sum(), ratios.length, s.zeroGradient.sum(),
                    Campaign.sci(Campaign.quantile(ratios, 0.5)), Campaign.sci(Campaign.quantile(ratios, 0.9)),
                    Campaign.sci(Campaign.quantile(ratios, 0.95)), Campaign.sci(Campaign.quantile(ratios, 0.99)),
                    Campaign.sci(Campaign.quantile(ratios, 1.0)), Campaign.percent(within6, ratios.length),
                    Campaign.percent(within9, ratios.length));
            for (Bug kind : Bug.values()) {
                Tally t = m.get(kind);
                Campaign.report("miss bucket %s %s: %d bugged parameter-trials (%d unchanged), %d above tolerance, "
                                + "%d reported, %d undecided, %d within clean rounding of tol; networks caught %d/%d (%s)",
                        b.label(), kind.name().toLowerCase(), t.bugged.sum(), t.unchanged.sum(), t.detectable.sum(),
                        t.reported.sum(), t.undecided.sum(), t.withinRounding.sum(), t.bugNetworksCaught.sum(),
                        t.bugNetworks.sum(), Campaign.percent(t.bugNetworksCaught.sum(), t.bugNetworks.sum()));
                missed += t.detectable.sum() - t.reported.sum() - t.undecided.sum();
            }
        }
        Campaign.report("miss TOTAL: %d missed bugs above tolerance, %.1f s", missed, NANOS.sum() / 1e9);
        UNDECIDED.forEach(u -> Campaign.report("miss   undecided (INCONCLUSIVE, not a miss): %s", u));
        assertTrue(missed == 0, "missed " + missed);
    }
}
