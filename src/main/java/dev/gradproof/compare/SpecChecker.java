package dev.gradproof.compare;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.Trial;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Runs a whole spec: every trial, every selected parameter, every activation; then the verdict. */
public final class SpecChecker {

    /** Told how many parameter comparisons are done out of how many, for a progress display. */
    @FunctionalInterface
    public interface Progress {
        void update(long done, long total);

        Progress NONE = (done, total) -> { };
    }

    private SpecChecker() {
    }

    /** Builds the gradient under test for a case's (possibly narrowed) network. */
    @FunctionalInterface
    public interface Implementation {
        TrialCheck.Analytic forNetwork(Spec spec, Mlp reference);

        /** The reference network's own backpropagation, on the engine's forward pass. */
        Implementation REFERENCE = (spec, mlp) -> new TrialCheck.Analytic() {
            @Override
            public double[] gradient(double[] theta, dev.gradproof.network.Dataset data, dev.gradproof.network.Forward f) {
                return mlp.gradient(theta, data, f);
            }

            @Override
            public boolean sharesForward() {
                return true;
            }
        };
    }

    /** Checks the reference network's backpropagation on every trial of the spec. */
    public static SpecResult run(Spec spec, Progress progress) {
        return run(spec, Implementation.REFERENCE, progress);
    }

    public static SpecResult run(Spec spec, Implementation implementation, Progress progress) {
        return run(spec, implementation, progress, Shard.ALL);
    }

    public static SpecResult run(Spec spec, Implementation implementation, Progress progress, Shard shard) {
        List<TrialCase> cases = new ArrayList<>();
        try {
            for (int t = 0; t < spec.check().trials(); t++) {
                cases.add(TrialRecipe.full(spec, t).materialize(spec));
            }
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message(e), spec.seed(), 0);
        }
        return runCases(spec, cases, implementation, progress, shard);
    }

    /**
     * Checks the given cases. A case whose network is the spec's own checks the spec's parameter
     * sample; a narrowed one (a shrunk counterexample) checks all its parameters.
     */
    public static SpecResult runCases(Spec spec, List<TrialCase> cases, Implementation implementation,
                                      Progress progress) {
        return runCases(spec, cases, implementation, progress, Shard.ALL);
    }

    public static SpecResult runCases(Spec spec, List<TrialCase> cases, Implementation implementation,
                                      Progress progress, Shard shard) {
        long start = System.nanoTime();
        try {
            CheckSpec check = spec.check();
            TrialCheck.Options options = new TrialCheck.Options(check.uses(CheckSpec.EXACT),
                    check.uses(CheckSpec.FINITE_DIFFERENCE), check.tolerance(), dev.gradproof.network.Activations.U,
                    check.directions(), shard);
            Mlp mlp = null;
            int[] params = null;
            long total = 0;
            List<int[]> selections = new ArrayList<>();
            List<Mlp> networks = new ArrayList<>();
            for (TrialCase c : cases) {
                Mlp m = NetworkFactory.build(c.spec());
                boolean original = c.spec().network().equals(spec.network());
                int[] sel = shard.of(TrialCheck.select(m.layout(), original ? check.parameters() : 0, spec.seed()));
                networks.add(m);
                selections.add(sel);
                total += sel.length;
                if (mlp == null) {
                    mlp = m;
                    params = sel;
                }
            }
            AtomicLong done = new AtomicLong();
            final long all = total;
            List<ParameterResult> results = new ArrayList<>();
            List<Consistency> consistency = new ArrayList<>();
            for (int i = 0; i < cases.size(); i++) {
                TrialCase c = cases.get(i);
                Mlp m = networks.get(i);
                Trial trial = new Trial(cases.size() == 1 ? c.trial().index() : i, c.trial().seed(), c.trial().theta(),
                        c.trial().data());
                TrialCheck.Outcome o = TrialCheck.check(m, implementation.forNetwork(c.spec(), m), trial, selections.get(i),
                        options, n -> progress.update(done.addAndGet(n), all));
                results.addAll(o.results());
                consistency.add(o.consistency());
            }
            Spec shown = cases.size() == 1 ? spec.withNetwork(cases.get(0).spec().network()) : spec;
            SpecResult r = summarize(shown, mlp, params, results, consistency, cases.get(0).trial().data().examples(),
                    seconds(start), shard);
            return cases.size() == 1 ? withTrials(r, 1) : r;
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message(e), spec.seed(), seconds(start));
        }
    }

    private static SpecResult withTrials(SpecResult r, int trials) {
        return new SpecResult(r.name(), r.file(), r.spec(), r.expect(), r.verdict(), r.metExpectation(), r.seed(),
                trials, r.parametersTotal(), r.parametersChecked(), r.sampled(), r.kinks(), r.inconclusive(),
                r.maxRelativeError(), r.layers(), r.mismatches(), r.inconclusiveResults(), r.activationChecks(),
                r.error(), r.seconds(), r.all(), r.findings(), r.consistency(), r.shard());
    }

    static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * The verdict and summaries of a set of parameter-trials (also used to merge shards: results in
     * any order give the same summary).
     */
    public static SpecResult summarize(Spec spec, Mlp mlp, int[] params, List<ParameterResult> allInAnyOrder,
                                       List<Consistency> consistency, int examples, double seconds, Shard shard) {
        List<ParameterResult> all = allInAnyOrder.stream()
                .sorted(Comparator.comparingInt(ParameterResult::trial).thenComparingInt(ParameterResult::index)
                        .thenComparing(ParameterResult::parameter)).toList();
        ParameterLayout layout = mlp.layout();
        List<ParameterResult> mismatches = all.stream().filter(r -> r.status() == Status.MISMATCH)
                .sorted(Comparator.comparingDouble(ParameterResult::relativeError)
                        .thenComparingDouble(ParameterResult::absoluteError).reversed()).toList();
        List<ParameterResult> inconclusive = all.stream().filter(r -> r.status() == Status.INCONCLUSIVE).toList();
        int kinks = (int) all.stream().filter(r -> r.status() == Status.KINK).count();
        List<LayerSummary> layers = new ArrayList<>();
        List<ActivationCheck> activationChecks = new ArrayList<>();
        for (int l = 1; l <= layout.layers(); l++) {
            LayerSpec ls = spec.network().layers().get(l - 1);
            final int layer = l;
            List<ParameterResult> in = all.stream().filter(r -> r.layer() == layer).toList();
            double[] rel = in.stream().filter(r -> Math.max(Math.abs(r.analytic()), Math.abs(r.reference())) > r.absoluteTolerance())
                    .mapToDouble(ParameterResult::relativeError).sorted().toArray();
            layers.add(new LayerSummary(l, ls.activation().describe(), ls.frozen(), in.size(),
                    count(in, Status.MISMATCH, null), count(in, Status.MISMATCH, false), count(in, Status.MISMATCH, true),
                    count(in, Status.KINK, null), count(in, Status.INCONCLUSIVE, null),
                    rel.length == 0 ? 0 : rel[rel.length - 1], rel.length == 0 ? 0 : median(rel)));
            Activation f = mlp.activation(l - 1);
            if (f != null) {
                activationChecks.add(ActivationChecker.check(l, f, ls.activation().describe()));
            }
        }
        double maxRel = layers.stream().mapToDouble(LayerSummary::maxRelativeError).max().orElse(0);
        // Directional checks (layer 0) are summarised by their own errors.
        maxRel = Math.max(maxRel, all.stream().filter(r -> r.layer() == 0
                        && Math.max(Math.abs(r.analytic()), Math.abs(r.reference())) > r.absoluteTolerance())
                .mapToDouble(ParameterResult::relativeError).max().orElse(0));
        Verdict verdict = verdict(mismatches, consistency);
        List<String> findings = new ArrayList<>(Diagnosis.findings(all, examples, layout.size(layout.layers())));
        findings.addAll(ConsistencyFindings.describe(consistency, all, examples, layout.size(layout.layers())));
        if (spec.check().directional()) {
            long exhaustiveTrials = all.stream().filter(r -> r.layer() > 0).mapToInt(ParameterResult::trial).distinct().count();
            if (exhaustiveTrials > 0) {
                findings.add("fast mode: " + exhaustiveTrials + " trial(s) checked exhaustively instead, because a "
                        + "ReLU-like unit sits exactly on its kink, where a projection cannot tell a derivative "
                        + "convention from a bug");
            }
        }
        Expectation expect = spec.expect();
        boolean met = expect.verdict().name().equals(verdict.name());
        List<String> sampled = params.length < layout.trainable().size()
                ? Arrays.stream(params).mapToObj(layout::name).toList() : List.of();
        return new SpecResult(spec.name(), spec.file(), spec, expect, verdict, met, spec.seed(), spec.check().trials(),
                layout.trainable().size(), params.length, sampled, kinks, inconclusive.size(), maxRel, layers,
                mismatches, inconclusive, activationChecks, null, seconds, List.copyOf(all), List.copyOf(findings),
                List.copyOf(consistency), shard);
    }

    /**
     * pass: analytic agrees with exact and (when it has its own forward pass) its loss is the spec's;
     * forward-differs: its loss is not the spec's but its gradient is the gradient of its own loss;
     * mismatch: otherwise, whenever analytic disagrees with exact.
     */
    static Verdict verdict(List<ParameterResult> mismatches, List<Consistency> consistency) {
        boolean lossDiffers = consistency.stream().anyMatch(Consistency::lossDiffers);
        boolean backwardBug = consistency.stream().anyMatch(Consistency::backwardInconsistent);
        boolean selfChecked = consistency.stream().allMatch(c -> c.available() && c.ownChecked() > 0);
        if (mismatches.isEmpty()) {
            return lossDiffers ? Verdict.FORWARD_DIFFERS : Verdict.PASS;
        }
        return lossDiffers && selfChecked && !backwardBug ? Verdict.FORWARD_DIFFERS : Verdict.MISMATCH;
    }

    private static int count(List<ParameterResult> rs, Status s, Boolean bias) {
        return (int) rs.stream().filter(r -> r.status() == s && (bias == null || r.bias() == bias)).count();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
