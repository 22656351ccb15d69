package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.TrialData;
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
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import org.apiguardian.api.API;

/** Runs a whole spec: every trial, every selected parameter, every activation; then the verdict. */
@API(status = INTERNAL, since = "0.2")
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

        /** Why it cannot check a layer graph, when it is a dense chain's gradient only. */
        default String graphRefusal() {
            return "this implementation checks dense chains only; a layer graph needs a NetworkUnderTest that reads"
                    + " named tensors (or a child speaking protocol 2, docs/PROTOCOL.md)";
        }

        /** The reference network's own backpropagation, on the engine's forward pass. */
        Implementation REFERENCE = (spec, mlp) -> new TrialCheck.Analytic() {
            @Override
            public double[] gradient(double[] theta, Dataset data, Forward f) {
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
        if (spec.network().isGraph()) {
            if (implementation == Implementation.REFERENCE) {
                return GraphSpecChecker.run(spec, GraphTrialCheck.Analytic.REFERENCE, progress, shard);
            }
            if (implementation instanceof UnderTest.Adapter a) {
                return GraphSpecChecker.run(spec, a.implementation(), progress, shard);
            }
            if (implementation instanceof GraphUnderTest u) {
                GraphTrialCheck.Analytic gradient;
                try {
                    gradient = u.gradient().apply(GraphFactory.build(spec));
                } catch (IllegalArgumentException e) {
                    return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), e.getMessage(), spec.seed(), 0);
                }
                return GraphSpecChecker.run(spec, gradient, progress, shard);
            }
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), implementation.graphRefusal(),
                    spec.seed(), 0);
        }
        // Trials are drawn one at a time, as they are checked: memory does not grow with the trial count.
        return check(spec, spec.check().trials(), t -> spec, t -> TrialRecipe.full(spec, t).materialize(spec),
                implementation, progress, shard);
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
        if (cases.isEmpty()) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), "no trial to check", spec.seed(), 0);
        }
        SpecResult r = check(spec, cases.size(), i -> cases.get(i).spec(), cases::get, implementation, progress, shard);
        return cases.size() == 1 && r.verdict() != Verdict.ERROR ? withTrials(r, 1) : r;
    }

    /**
     * @param specOf   the (possibly narrowed) spec of case i, known before it is drawn
     * @param caseAt   draws case i; called once per case, in order
     */
    private static SpecResult check(Spec spec, int count, IntFunction<Spec> specOf, IntFunction<TrialCase> caseAt,
                                    Implementation implementation, Progress progress, Shard shard) {
        long start = System.nanoTime();
        try {
            CheckSpec check = spec.check();
            TrialCheck.Options options = new TrialCheck.Options(check.uses(CheckSpec.EXACT),
                    check.uses(CheckSpec.FINITE_DIFFERENCE), check.tolerance(), Activations.U,
                    check.directions(), shard);
            Mlp mlp = null;
            int[] params = null;
            long total = 0;
            List<int[]> selections = new ArrayList<>();
            List<Mlp> networks = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                Spec caseSpec = specOf.apply(i);
                Mlp m = i > 0 && caseSpec == specOf.apply(i - 1) ? networks.get(i - 1) : NetworkFactory.build(caseSpec);
                boolean original = caseSpec.network().equals(spec.network());
                int[] sel = shard.of(TrialCheck.select(m.layout(), original ? check.parameters() : 0, spec.seed(),
                        check::checks));
                networks.add(m);
                selections.add(sel);
                total += sel.length;
                if (mlp == null) {
                    mlp = m;
                    params = sel;
                }
            }
            if (total == 0) {
                return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), nothingSelected(shard, mlp),
                        spec.seed(), seconds(start));
            }
            AtomicLong done = new AtomicLong();
            final long all = total;
            List<ParameterResult> results = new ArrayList<>();
            List<Consistency> consistency = new ArrayList<>();
            TrialCase first = null;
            for (int i = 0; i < count; i++) {
                TrialCase c = caseAt.apply(i);
                first = first == null ? c : first;
                Mlp m = networks.get(i);
                TrialData trial = new TrialData(count == 1 ? c.trial().index() : i, c.trial().seed(), c.trial().theta(),
                        c.trial().data());
                if (trial.data().examples() == 0) {
                    throw new IllegalStateException("trial " + trial.index() + " has no examples: nothing to check");
                }
                TrialCheck.Outcome o = TrialCheck.check(m, implementation.forNetwork(c.spec(), m), trial, selections.get(i),
                        options, n -> progress.update(done.addAndGet(n), all));
                results.addAll(o.results());
                consistency.add(o.consistency());
            }
            Spec shown = count == 1 ? spec.withNetwork(first.spec().network()) : spec;
            return summarize(shown, mlp, params, results, consistency, first.trial().data().examples(),
                    seconds(start), shard);
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message(e), spec.seed(), seconds(start));
        }
    }

    private static String nothingSelected(Shard shard, Mlp mlp) {
        int trainable = mlp == null ? 0 : mlp.layout().trainable().size();
        if (shard != Shard.ALL && trainable > 0) {
            return "shard " + shard + " holds none of the " + trainable + " trainable parameters: nothing to check"
                    + " (use fewer shards)";
        }
        return "no trainable parameter to check";
    }

    private static SpecResult withTrials(SpecResult r, int trials) {
        return r.toBuilder().trials(trials).build();
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
        return summarize(spec, Structure.of(spec, mlp), params, allInAnyOrder, consistency, examples, seconds, shard);
    }

    /** The same for any engine's network, described by its {@link Structure}. */
    public static SpecResult summarize(Spec spec, Structure net, int[] params, List<ParameterResult> allInAnyOrder,
                                       List<Consistency> consistency, int examples, double seconds, Shard shard) {
        List<ParameterResult> all = allInAnyOrder.stream()
                .sorted(Comparator.comparingInt(ParameterResult::trial).thenComparingInt(ParameterResult::index)
                        .thenComparing(ParameterResult::parameter)).toList();
        List<ParameterResult> mismatches = all.stream().filter(r -> r.status() == Status.MISMATCH)
                .sorted(Comparator.comparingDouble(ParameterResult::relativeError)
                        .thenComparingDouble(ParameterResult::absoluteError).reversed()).toList();
        List<ParameterResult> inconclusive = all.stream().filter(r -> r.status() == Status.INCONCLUSIVE).toList();
        int kinks = (int) all.stream().filter(r -> r.status() == Status.KINK).count();
        List<LayerSummary> layers = new ArrayList<>();
        List<ActivationCheck> activationChecks = new ArrayList<>();
        for (int l = 1; l <= net.layers(); l++) {
            final int layer = l;
            List<ParameterResult> in = all.stream().filter(r -> r.layer() == layer).toList();
            double[] rel = in.stream().filter(ParameterResult::resolvable)
                    .mapToDouble(ParameterResult::relativeError).sorted().toArray();
            layers.add(new LayerSummary(l, net.describe(l), net.frozen(l), in.size(),
                    count(in, Status.MISMATCH, null), count(in, Status.MISMATCH, false), count(in, Status.MISMATCH, true),
                    count(in, Status.KINK, null), count(in, Status.INCONCLUSIVE, null),
                    rel.length == 0 ? 0 : rel[rel.length - 1], rel.length == 0 ? 0 : median(rel)));
            Activation f = net.activation(l);
            if (f != null) {
                activationChecks.add(ActivationChecker.check(l, f, net.activationDescription(l)));
            }
        }
        double maxRel = layers.stream().mapToDouble(LayerSummary::maxRelativeError).max().orElse(0);
        // Directional checks (layer 0) are summarised by their own errors.
        maxRel = Math.max(maxRel, all.stream().filter(r -> r.layer() == 0 && r.resolvable())
                .mapToDouble(ParameterResult::relativeError).max().orElse(0));
        Verdict verdict = verdict(mismatches, consistency);
        List<String> findings = new ArrayList<>(Diagnosis.findings(all, examples, net.outputs()));
        findings.addAll(ConsistencyFindings.describe(consistency, all, examples, net.outputs()));
        SummedBatchGradient.finding(all, consistency, examples, spec.loss().reduction()).ifPresent(findings::add);
        if (spec.check().directional()) {
            findings.addAll(fastModeFallbacks(all));
        }
        String error = verdict == Verdict.MISMATCH ? null : nothingCompared(all);
        if (error == null && verdict == Verdict.PASS && !inconclusive.isEmpty()) {
            ParameterResult first = inconclusive.get(0);
            error = "could not decide " + inconclusive.size() + " of " + all.size() + " parameter-trials, so the spec"
                    + " cannot pass: first " + first.parameter() + " in trial " + first.trial() + ": " + first.note();
        }
        findings.addAll(blindLayers(all, layers));
        if (error != null) {
            verdict = Verdict.ERROR;
        }
        Expectation expect = spec.expect();
        boolean met = expect.verdict() == verdict
                && (error == null || expect.messageFragment() == null || error.contains(expect.messageFragment()));
        List<String> sampled = params.length < net.trainable() && spec.check().parameters() > 0
                ? Arrays.stream(params).mapToObj(net::name).toList() : List.of();
        return SpecResult.builder().identity(spec.name(), spec.file(), spec, expect, spec.seed()).verdict(verdict, met)
                .error(error).coverage(spec.check().trials(), net.trainable(), params.length, sampled, kinks,
                        inconclusive.size(), maxRel)
                .evidence(layers, mismatches, inconclusive, activationChecks, all, findings, consistency)
                .seconds(seconds).shard(shard).build();
    }

    /**
     * The trials of a fast-mode check that were judged parameter by parameter instead, and why: a trial
     * with no direction at all had a ReLU-like unit exactly on its kink (checked exhaustively); one with
     * directions as well could decide along none of them.
     */
    static List<String> fastModeFallbacks(List<ParameterResult> all) {
        Set<Integer> judged = new TreeSet<>();
        Set<Integer> projected = new TreeSet<>();
        for (ParameterResult r : all) {
            (r.layer() > 0 ? judged : projected).add(r.trial());
        }
        long kinks = judged.stream().filter(t -> !projected.contains(t)).count();
        long loose = judged.size() - kinks;
        List<String> out = new ArrayList<>();
        if (kinks > 0) {
            out.add("fast mode: " + kinks + " trial(s) checked exhaustively instead, because a ReLU-like unit sits"
                    + " exactly on its kink, where a projection cannot tell a derivative convention from a bug");
        }
        if (loose > 0) {
            out.add("fast mode: " + loose + " trial(s) judged parameter by parameter against the exact gradient"
                    + " instead, because the projected tolerance (every parameter's summed) covered every"
                    + " projection, so no direction could decide");
        }
        return out;
    }

    /**
     * Why a run without mismatches still proves nothing, or null when it proves something. Agreement
     * counts only where the comparison could have failed: a gradient that is, on both sides, within
     * rounding of zero, or a comparison the oracles could not decide, agrees trivially. When every
     * comparison is like that (every unit saturated, say), nothing was checked, and a pass would be false.
     */
    static String nothingCompared(List<ParameterResult> all) {
        if (all.isEmpty()) {
            return "nothing was compared: no parameter-trial was checked";
        }
        if (all.stream().anyMatch(SpecChecker::decided)) {
            return null;
        }
        boolean directional = all.stream().anyMatch(r -> r.layer() == 0);
        long undecided = all.stream().filter(r -> r.status() == Status.INCONCLUSIVE).count();
        return "nothing was compared: " + (directional ? "along every direction" : "for every parameter")
                + " the gradient is 0 to within rounding" + (undecided > 0 ? " or could not be decided" : "")
                + " (saturated or dead units, or overflow), so the check cannot tell a wrong gradient from a right one"
                + " at these weights and data. Choose weights and data that keep the units responsive (a smaller"
                + " weights.std, for example)";
    }

    /**
     * Layers whose every gradient, in every trial, is 0 to within rounding on both sides: a wrong derivative
     * there was compared only against zero. A warning, not a verdict: a bug that makes such a gradient
     * nonzero is still caught.
     */
    static List<String> blindLayers(List<ParameterResult> all, List<LayerSummary> layers) {
        List<String> blind = new ArrayList<>();
        for (LayerSummary l : layers) {
            if (l.checked() > 0 && all.stream().noneMatch(r -> r.layer() == l.layer() && decided(r))) {
                blind.add(Integer.toString(l.layer()));
            }
        }
        if (blind.isEmpty()) {
            return List.of();
        }
        return List.of("warning: in layer" + (blind.size() == 1 ? " " : "s ") + String.join(", ", blind)
                + " every gradient is 0 to within rounding in every trial (dead or saturated units): the analytic"
                + " gradient there was compared only against 0");
    }

    /** A comparison that could have failed: finite, decided, and not trivially within rounding of zero. */
    private static boolean decided(ParameterResult r) {
        return r.status() != Status.INCONCLUSIVE && r.resolvable();
    }

    /**
     * pass: analytic agrees with exact and (when it has its own forward pass) its loss is the spec's;
     * forward-differs: its loss is not the spec's but its gradient is the gradient of its own loss;
     * mismatch: otherwise, whenever analytic disagrees with exact.
     */
    static Verdict verdict(List<ParameterResult> mismatches, List<Consistency> consistency) {
        boolean lossDiffers = consistency.stream().anyMatch(Consistency::lossDiffers);
        boolean backwardBug = consistency.stream().anyMatch(Consistency::backwardInconsistent);
        boolean selfChecked = consistency.stream().allMatch(Consistency::selfChecked);
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
