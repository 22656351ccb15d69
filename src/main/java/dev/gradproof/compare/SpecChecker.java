package dev.gradproof.compare;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.Trial;
import dev.gradproof.network.TrialGenerator;
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

    public static SpecResult run(Spec spec, Progress progress) {
        return run(spec, NetworkFactory.build(spec), (theta, data, f) -> null, progress, true);
    }

    /**
     * @param analytic the implementation under test; {@code useReference} makes it the reference
     *                 network's own backpropagation
     */
    public static SpecResult run(Spec spec, Mlp mlp, TrialCheck.Analytic analytic, Progress progress,
                                 boolean useReference) {
        long start = System.nanoTime();
        try {
            TrialCheck.Analytic impl = useReference ? (theta, data, f) -> mlp.gradient(theta, data, f) : analytic;
            CheckSpec check = spec.check();
            ParameterLayout layout = mlp.layout();
            int[] params = TrialCheck.select(layout, check.parameters(), spec.seed());
            TrialCheck.Options options = new TrialCheck.Options(check.uses(CheckSpec.EXACT),
                    check.uses(CheckSpec.FINITE_DIFFERENCE), check.tolerance(), dev.gradproof.network.Activations.U);
            long total = (long) params.length * check.trials();
            AtomicLong done = new AtomicLong();
            List<ParameterResult> all = new ArrayList<>();
            for (int t = 0; t < check.trials(); t++) {
                Trial trial = TrialGenerator.draw(spec, t);
                all.addAll(TrialCheck.run(mlp, impl, trial, params, options,
                        n -> progress.update(done.addAndGet(n), total)));
            }
            return summarize(spec, mlp, params, all, seconds(start));
        } catch (RuntimeException e) {
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message, spec.seed(), seconds(start));
        }
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    static SpecResult summarize(Spec spec, Mlp mlp, int[] params, List<ParameterResult> all, double seconds) {
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
        Verdict verdict = mismatches.isEmpty() ? Verdict.PASS : Verdict.MISMATCH;
        Expectation expect = spec.expect();
        boolean met = expect.verdict().name().equals(verdict.name());
        List<String> sampled = params.length < layout.trainable().size()
                ? Arrays.stream(params).mapToObj(layout::name).toList() : List.of();
        return new SpecResult(spec.name(), spec.file(), spec, expect, verdict, met, spec.seed(), spec.check().trials(),
                layout.trainable().size(), params.length, sampled, kinks, inconclusive.size(), maxRel, layers,
                mismatches, inconclusive, activationChecks, null, seconds);
    }

    private static int count(List<ParameterResult> rs, Status s, Boolean bias) {
        return (int) rs.stream().filter(r -> r.status() == s && (bias == null || r.bias() == bias)).count();
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }
}
