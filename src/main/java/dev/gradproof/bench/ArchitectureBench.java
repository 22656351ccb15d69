package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.external.OneShot;
import dev.gradproof.spec.Spec;
import org.apiguardian.api.API;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Consumer;

/**
 * {@code gradproof bench --graphs}: issue #17's second target. Each bundled architecture checked by
 * gradproof (warm: exact oracle; exact + finite differences; directional; and the directional check
 * cold, a fresh {@code ./gradproof check}) next to PyTorch's gradcheck, full mode and fast mode, on the
 * same network, parameters and batch (a protocol 2 dump that examples/torch/graph_loss.py rebuilds), in
 * float64, both sides on the same number of threads. One Markdown row per architecture, with the three
 * ratios the issue sets targets for, each marked met or missed.
 */
@API(status = INTERNAL, since = "0.2")
public final class ArchitectureBench {
    /** The bounds: full mode over the exact check, full mode over exact + FD, cold directional over fast mode. */
    static final double EXACT_TARGET = 100;
    static final double FD_TARGET = 5;
    static final double DIRECTIONAL_TARGET = 2;

    /**
     * @param threads     threads for both sides: gradproof's parallel loops run in a pool of this size (the
     *                    cold child sees this many processors), PyTorch gets {@code set_num_threads(threads)}
     * @param coldRuns    fresh {@code ./gradproof check} runs of the directional check (median)
     * @param fullRepeats gradcheck full-mode runs (median); LeNet-5's takes minutes
     */
    public record Options(Path specDir, List<String> names, int threads, int coldRuns, int fullRepeats, int fastRepeats,
                          Duration timeout, List<String> pythons, Path torchScript, Path launcher) {
        public static Options standard(List<String> names, int threads, int coldRuns, int fullRepeats, int fastRepeats,
                                       Duration timeout) {
            String env = System.getenv("GRADPROOF_PYTHON");
            List<String> pythons = env != null && !env.isBlank() ? List.of(env) : List.of("python3", "/usr/bin/python3");
            return new Options(Path.of("specs/architectures"), names, threads, coldRuns, fullRepeats, fastRepeats, timeout,
                    pythons, Path.of("examples/torch/gradcheck_bench.py"), Path.of("gradproof"));
        }
    }

    /** One architecture's figures; NaN where a side was not measured (its note says why). */
    public record Row(String name, long parameters, int batch, double exact, double exactFd, double directional,
                      double coldReport, double coldProcess, double torchFull, double torchFast, double peakMegabytes,
                      String verdicts) {
        public String markdown() {
            return String.format(Locale.ROOT, "| %s | %,d | %d | %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s | %s |",
                    name, parameters, batch, s(exact), s(exactFd), s(directional), s(coldReport), s(coldProcess),
                    s(torchFull), s(torchFast), against(torchFull / exact, EXACT_TARGET, true),
                    against(torchFull / exactFd, FD_TARGET, true), against(coldReport / torchFast, DIRECTIONAL_TARGET, false),
                    Double.isNaN(peakMegabytes) ? "-" : String.format(Locale.ROOT, "%.0f", peakMegabytes), verdicts);
        }
    }

    public static final String HEADER = "| architecture | parameters | batch | exact s | exact + FD s | directional s "
            + "| directional cold s (process s) | gradcheck full s | gradcheck fast s | full ÷ exact (≥ 100) "
            + "| full ÷ exact + FD (≥ 5) | cold directional ÷ fast (≤ 2) | peak heap MB | verdicts |\n"
            + "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    private ArchitectureBench() {
    }

    static String s(double seconds) {
        return Double.isNaN(seconds) ? "-" : String.format(Locale.ROOT, "%.3f", seconds);
    }

    /** A ratio against its bound: {@code ×12.3 met} or {@code ×0.8 missed}; {@code -} when a side is missing. */
    static String against(double ratio, double bound, boolean atLeast) {
        if (Double.isNaN(ratio) || Double.isInfinite(ratio)) {
            return "-";
        }
        boolean met = atLeast ? ratio >= bound : ratio <= bound;
        return String.format(Locale.ROOT, ratio >= 10 ? "×%.0f %s" : "×%.2f %s", ratio, met ? "met" : "**missed**");
    }

    /** The table: header, one row per architecture, then notes (skipped sides, failures, how it was measured). */
    public static List<String> run(Options o, Consumer<String> progress) throws IOException {
        List<String> out = new ArrayList<>(List.of(HEADER));
        List<String> notes = new ArrayList<>();
        Path dir = Files.createTempDirectory("gradproof-graphs");
        String python = OtherCheckers.pythonWithTorch(o.pythons(), progress).orElse(null);
        if (python == null) {
            notes.add("PyTorch: skipped: no Python here imports torch (tried " + String.join(", ", o.pythons())
                    + "); install it with `apt-get install python3-torch` (Debian), or set GRADPROOF_PYTHON.");
        }
        try {
            for (String name : o.names()) {
                out.add(row(o, name, dir, python, notes, progress).markdown());
                progress.accept(out.get(out.size() - 1));
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path f : files.toList()) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(dir);
        }
        out.add("");
        notes.add(String.format(Locale.ROOT, "both sides on %d thread(s); gradproof warm (median of 3 after a warm-up), "
                + "its cold directional check a fresh `./gradproof check` (median of %d; the report's seconds, the whole "
                + "process in brackets); gradcheck after import, full mode median of %d, fast mode median of %d; "
                + "Java %s, %d cores", o.threads(), o.coldRuns(), o.fullRepeats(), o.fastRepeats(),
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        notes.forEach(n -> out.add("- " + n));
        return out;
    }

    private static Row row(Options o, String name, Path dir, String python, List<String> notes,
                           Consumer<String> progress) throws IOException {
        Spec exact = Architectures.load(Architectures.write(o.specDir(), name, Architectures.Check.EXACT, dir));
        Spec fd = Architectures.load(Architectures.write(o.specDir(), name, Architectures.Check.EXACT_FD, dir));
        Path directionalFile = Architectures.write(o.specDir(), name, Architectures.Check.DIRECTIONAL, dir);
        Spec directional = Architectures.load(directionalFile);
        Benchmarks.Row e = warm(exact, o.threads(), progress);
        Benchmarks.Row f = warm(fd, o.threads(), progress);
        Benchmarks.Row d = warm(directional, o.threads(), progress);
        double[] cold = cold(o, directionalFile, notes, progress);
        Path dump = dir.resolve(name + ".json");
        double loss = Architectures.dump(exact, dump);
        double full = Double.NaN;
        double fast = Double.NaN;
        if (python != null) {
            full = torch(o, python, "--full", dump, o.fullRepeats(), loss, name, notes, progress);
            fast = torch(o, python, "--fast", dump, o.fastRepeats(), loss, name, notes, progress);
        }
        String verdicts = e.verdict() + ", " + f.verdict() + ", " + d.verdict();
        return new Row(name, e.parameters(), e.examples(), e.seconds(), f.seconds(), d.seconds(), cold[0], cold[1], full,
                fast, Math.max(e.peakMegabytes(), Math.max(f.peakMegabytes(), d.peakMegabytes())), verdicts);
    }

    /** The warm check in a pool of {@code threads}: the checker's parallel streams run in the pool that calls them. */
    static Benchmarks.Row warm(Spec spec, int threads, Consumer<String> progress) {
        ForkJoinPool pool = new ForkJoinPool(threads);
        try {
            return pool.submit(() -> Benchmarks.run(List.of(new Workload(spec.name(), spec)), 0, 0, progress).get(0)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(spec.name() + ": " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdown();
        }
    }

    /** {report seconds, process seconds}, medians of fresh {@code ./gradproof check FILE --no-report} runs. */
    static double[] cold(Options o, Path spec, List<String> notes, Consumer<String> progress) {
        ColdCheck c = ColdCheck.median(o.launcher(), spec, o.coldRuns(),
                Map.of("JAVA_OPTS", "-XX:ActiveProcessorCount=" + o.threads()), o.timeout(), notes, progress);
        return new double[] {c.report(), c.process()};
    }

    static double torch(Options o, String python, String mode, Path dump, int repeats, double loss, String name,
                                List<String> notes, Consumer<String> progress) {
        progress.accept(String.format(Locale.ROOT, "PyTorch: gradcheck %s on %s, %d run(s)", mode.substring(2), name, repeats));
        try {
            List<String> lines = OneShot.run(List.of(python, o.torchScript().toString(), mode, dump.toString(), "--repeats",
                    Integer.toString(repeats), "--threads", Integer.toString(o.threads())), null, Map.of(), o.timeout());
            String last = lines.get(lines.size() - 1);
            progress.accept("PyTorch said: " + last);
            OtherCheckers.Row r = OtherCheckers.torchRows(last).get(0);
            if (!(Math.abs(r.loss() - loss) <= 1e-9 * Math.abs(loss))) {
                notes.add(String.format(Locale.ROOT, "warning: on %s PyTorch computed the loss %.17g where gradproof "
                        + "computes %.17g: it did not check the same network", name, r.loss(), loss));
            }
            if (!r.verdict().startsWith("pass")) {
                notes.add("PyTorch's gradcheck " + mode.substring(2) + " on " + name + ": " + r.verdict());
            }
            return r.seconds();
        } catch (IOException | RuntimeException e) {
            notes.add("PyTorch " + mode.substring(2) + " on " + name + ": failed: " + e.getMessage());
            return Double.NaN;
        }
    }
}
