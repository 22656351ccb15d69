package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.oracle.CentralDifferenceOracle;
import dev.gradproof.spec.Spec;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Times the check on the workloads, warm, and the straightforward method on the same work:
 * a finite difference that recomputes the whole forward pass for every perturbed loss. The
 * straightforward method is timed on a sample of parameters and scaled to all of them (said so in
 * the table), since in full it takes minutes to hours.
 */
@API(status = INTERNAL, since = "0.2")
public final class Benchmarks {
    /** One row of the table. */
    public record Row(String workload, String check, long parameters, int examples, double seconds,
                      double parametersPerSecond, double peakMegabytes, double straightforwardSeconds,
                      String verdict) {
        public String markdown() {
            return String.format(Locale.ROOT, "| %s | %s | %,d | %,d | %.3f | %,.0f | %.0f | %s | %s |", workload, check,
                    parameters, examples, seconds, parametersPerSecond, peakMegabytes,
                    Double.isNaN(straightforwardSeconds) ? "-" : String.format(Locale.ROOT, "%.1f (×%.0f)",
                            straightforwardSeconds, straightforwardSeconds / seconds), verdict);
        }
    }

    public static final String HEADER = "| workload | check | parameters | examples | seconds | parameters/s | peak heap MB "
            + "| straightforward s (ratio) | verdict |\n|---|---|---|---|---|---|---|---|---|";

    /** Workloads faster than this are timed three times and the median reported. */
    static final double REPEAT_BELOW_SECONDS = 10;

    private Benchmarks() {
    }

    /** The workloads; {@code quick} keeps them small (for a smoke test). */
    public static List<Workload> workloads(boolean quick) {
        List<Workload> w = new ArrayList<>();
        int ex4n = quick ? 200 : 5000;
        w.add(new Workload("ex4 exhaustive, exact", Workload.ex4(25, ex4n, Workload.exactOnly())));
        w.add(new Workload("ex4 fast mode, 8 directions", Workload.ex4(25, ex4n, Workload.directional(8))));
        w.add(new Workload("ex4 exhaustive, exact + finite differences", Workload.ex4(25, ex4n, Workload.exactAndFiniteDifferences())));
        w.add(new Workload("two moons exhaustive, exact + finite differences",
                Workload.twoMoons(quick ? 200 : 2000, Workload.exactAndFiniteDifferences())));
        for (int h : quick ? new int[] {25, 50} : new int[] {25, 50, 100, 200}) {
            w.add(new Workload("width " + h + ", exact + finite differences", Workload.ex4(h, quick ? 100 : 500,
                    Workload.exactAndFiniteDifferences())));
        }
        for (int n : quick ? new int[] {100, 200} : new int[] {500, 5000, 50000}) {
            w.add(new Workload("examples " + n + ", exact", Workload.ex4(25, n, Workload.exactOnly())));
        }
        return w;
    }

    public static List<Row> run(List<Workload> workloads, int straightforwardSample, Consumer<String> progress) {
        return run(workloads, straightforwardSample, 0, progress);
    }

    /**
     * @param timedRuns how many timed runs the reported median is taken over; 0 for three when a run is
     *                  under {@link #REPEAT_BELOW_SECONDS} and one otherwise
     */
    public static List<Row> run(List<Workload> workloads, int straightforwardSample, int timedRuns,
                                Consumer<String> progress) {
        List<Row> rows = new ArrayList<>();
        for (Workload w : workloads) {
            progress.accept("warming up " + w.name());
            // JIT warm-up on the same shapes, with a small sample so a long workload is not run twice.
            Spec warm = w.spec().withCheck(w.spec().check().withParameters(200));
            long warmStart = System.nanoTime();
            // A sub-second workload needs several runs before the compiler has settled: until 2 s have passed.
            for (int i = 0; i < 20 && (i == 0 || System.nanoTime() - warmStart < 2_000_000_000L); i++) {
                SpecChecker.run(warm, SpecChecker.Progress.NONE);
            }
            resetPeaks();
            long t0 = System.nanoTime();
            SpecResult r = SpecChecker.run(w.spec(), SpecChecker.Progress.NONE);
            double first = (System.nanoTime() - t0) / 1e9;
            double peak = peakHeapMegabytes();
            // A short run is at the mercy of one GC pause or a busy neighbour: the median of three.
            int count = timedRuns > 0 ? timedRuns : first < REPEAT_BELOW_SECONDS ? 3 : 1;
            double[] runs = new double[count];
            runs[0] = first;
            for (int i = 1; i < count; i++) {
                long t = System.nanoTime();
                SpecChecker.run(w.spec(), SpecChecker.Progress.NONE);
                runs[i] = (System.nanoTime() - t) / 1e9;
            }
            if (count > 1) {
                progress.accept(w.name() + ": timed runs " + Arrays.toString(runs) + " s");
            }
            Arrays.sort(runs);
            double seconds = runs[count / 2];
            boolean fd = w.spec().check().uses("finite_difference") && !w.spec().check().directional();
            double straightforward = fd && straightforwardSample > 0 ? straightforward(w.spec(), straightforwardSample) : Double.NaN;
            long params = r.parametersChecked();
            String check = w.spec().check().directional() ? "directional" : fd ? "exact + FD" : "exact";
            rows.add(new Row(w.name(), check, params, TrialRecipe.exampleCount(w.spec()), seconds, params / seconds, peak,
                    straightforward, r.verdict().label()));
            progress.accept(rows.get(rows.size() - 1).markdown());
        }
        return rows;
    }

    /**
     * The fast mode against the exhaustive check on every built-in mutant that applies to the ex4
     * network: the verdicts must agree. Returns Markdown rows: mutant, exhaustive verdict, fast
     * verdict, fast-mode seconds.
     */
    public static List<String> mutantsFastVersusExhaustive(int examples, Consumer<String> progress) {
        Spec exhaustive = Workload.ex4(25, examples, Workload.exactAndFiniteDifferences());
        Spec fast = Workload.ex4(25, examples, Workload.directional(8));
        List<String> rows = new ArrayList<>();
        for (Mutant m : Mutants.all()) {
            if (!m.applies(exhaustive).applicable()) {
                continue;
            }
            progress.accept("mutant " + m.name());
            SpecResult full = SpecChecker.run(exhaustive, UnderTest.of(m.implementation(exhaustive)),
                    SpecChecker.Progress.NONE);
            long t0 = System.nanoTime();
            SpecResult quick = SpecChecker.run(fast, UnderTest.of(m.implementation(fast)),
                    SpecChecker.Progress.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String agree = full.verdict() == quick.verdict() ? "yes" : "**no**";
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f |", m.name(), full.verdict().label(),
                    quick.verdict().label(), agree, seconds));
            progress.accept(rows.get(rows.size() - 1));
        }
        // Black boxes serving their own loss: the fast mode must weigh the convention as the exhaustive one does.
        for (boolean bug : new boolean[] {false, true}) {
            String name = new InputDropoutNetwork(exhaustive, bug).name() + " (black box, own loss)";
            progress.accept("black box " + name);
            SpecResult full = SpecChecker.run(exhaustive, UnderTest.of(
                    new InputDropoutNetwork(exhaustive, bug)), SpecChecker.Progress.NONE);
            long t0 = System.nanoTime();
            SpecResult quick = SpecChecker.run(fast, UnderTest.of(new InputDropoutNetwork(fast, bug)),
                    SpecChecker.Progress.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            rows.add(String.format(Locale.ROOT, "| %s | %s | %s | %s | %.3f |", name, full.verdict().label(),
                    quick.verdict().label(), full.verdict() == quick.verdict() ? "yes" : "**no**", seconds));
            progress.accept(rows.get(rows.size() - 1));
        }
        return rows;
    }

    /** The fast mode's tolerance and detection bound on ex4, and planted bugs either side of it (Markdown rows). */
    public static List<String> fastModeSensitivity(int examples, int bugs, Consumer<String> progress) {
        return FastModeSensitivity.run(examples, bugs, progress);
    }

    public static final String MUTANT_HEADER = "| mutant | exhaustive (exact + FD) | fast mode, 8 directions | same verdict "
            + "| fast-mode s |\n|---|---|---|---|---|";

    /**
     * The straightforward finite difference: four full forward passes per parameter (the same
     * Richardson stencil), timed on {@code sample} parameters spread over the network and scaled.
     */
    static double straightforward(Spec spec, int sample) {
        Mlp mlp = NetworkFactory.build(spec);
        TrialCase c = TrialRecipe.full(spec, 0).materialize(spec);
        double[] theta = c.trial().theta().clone();
        Dataset d = c.trial().data();
        int total = theta.length;
        int step = Math.max(1, total / sample);
        long t0 = System.nanoTime();
        int done = 0;
        double sink = 0;
        for (int p = 0; p < total && done < sample; p += step, done++) {
            double t = theta[p];
            double h = CentralDifferenceOracle.SMOOTH_STEP * Math.max(1, Math.abs(t));
            for (double delta : new double[] {h, -h, 2 * h, -2 * h}) {
                theta[p] = t + delta;
                Forward f = mlp.forward(theta, d);
                sink += f.loss;
            }
            theta[p] = t;
        }
        double perParameter = (System.nanoTime() - t0) / 1e9 / done;
        return sink == 42 ? 0 : perParameter * total;
    }

    private static void resetPeaks() {
        System.gc();
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                pool.resetPeakUsage();
            }
        }
    }

    private static double peakHeapMegabytes() {
        long sum = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                sum += pool.getPeakUsage().getUsed();
            }
        }
        return sum / 1e6;
    }
}
