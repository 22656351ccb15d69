package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.compare.Conversions;
import dev.gradproof.external.OneShot;
import dev.gradproof.external.RequestDump;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * {@code gradproof bench --others}: gradproof's check next to PyTorch's {@code gradcheck} and
 * Deeplearning4j's {@code GradientCheckUtil} on Ng's ex4 network, with the very weights and data
 * gradproof checks (written to a protocol dump that the other checker reads), at the same example
 * counts. Each pairing compares like with like: gradproof's exhaustive check with gradcheck's full
 * mode and with GradientCheckUtil (both a central difference per parameter), gradproof's fast mode
 * with gradcheck's fast_mode (random directions). A checker that is not installed is skipped with a
 * line saying how to install it; one that fails or hangs gives its error in a line, not a stack trace.
 */
@API(status = INTERNAL, since = "0.2")
public final class OtherCheckers {
    /** Directions of gradproof's fast mode, as in the main benchmark's fast-mode row. */
    static final int DIRECTIONS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What to run and where the other checkers are.
     *
     * @param pythons      interpreters tried in order; the first that imports torch runs the script
     * @param dl4jLauncher {@code adapters/dl4j/gradproof-dl4j}; DL4J counts as installed once it is built
     * @param launcher     {@code gradproof}, for the cold checks (a fresh JVM each, {@code coldRuns} of them)
     */
    public record Options(int torchFullExamples, int torchFastExamples, int dl4jExamples, int repeats,
                          Duration timeout, List<String> pythons, Path torchScript, Path dl4jLauncher, Path launcher,
                          int coldRuns) {
        /** The other checkers where this repository keeps them, relative to the working directory. */
        public static Options standard(int torchFull, int torchFast, int dl4j, int repeats, Duration timeout) {
            String env = System.getenv("GRADPROOF_PYTHON");
            List<String> pythons = env != null && !env.isBlank() ? List.of(env) : List.of("python3", "/usr/bin/python3");
            return new Options(torchFull, torchFast, dl4j, repeats, timeout, pythons,
                    Path.of("examples/torch/gradcheck_bench.py"), Path.of("adapters/dl4j/gradproof-dl4j"),
                    Path.of("gradproof"), repeats);
        }
    }

    /**
     * One line of the table; {@code ratio} is NaN on gradproof's own rows (the reference), {@code loss}
     * is the loss the other checker computed at the unperturbed parameters (NaN: not reported).
     */
    public record Row(String checker, String mode, int examples, double seconds, double ratio, String verdict,
                      double loss) {
        public String markdown() {
            return String.format(Locale.ROOT, "| %s | %s | %,d | %.3f | %s | %s |", checker, mode, examples, seconds,
                    Double.isNaN(ratio) ? "1 (reference)" : String.format(Locale.ROOT, "×%.1f", ratio), verdict);
        }
    }

    public static final String HEADER = "| checker | mode | examples | seconds (median) | ratio to gradproof | verdict |\n"
            + "|---|---|---|---|---|---|";

    /**
     * gradproof's check as a user runs it, a fresh {@code ./gradproof check}, next to gradcheck's fast_mode on
     * the same network and example count, against issue #17's bounds: the check's own seconds at most
     * {@code bound} × fast_mode's, and the whole process within {@code processBound} seconds (NaN: no such bound).
     */
    public record ColdRow(String check, int examples, double report, double process, double torchFast, double bound,
                          double processBound) {
        public String markdown() {
            String target = String.format(Locale.ROOT, "≤ ×%s: %s", trim(bound), met(report / torchFast <= bound,
                    report / torchFast));
            if (!Double.isNaN(processBound)) {
                target += String.format(Locale.ROOT, "; process ≤ %s s: %s", trim(processBound),
                        met(process <= processBound, process));
            }
            return String.format(Locale.ROOT, "| %s | %,d | %s | %s | %s | %s | %s |", check, examples, ArchitectureBench.s(report),
                    ArchitectureBench.s(process), ArchitectureBench.s(torchFast), Double.isNaN(report / torchFast) ? "-"
                    : String.format(Locale.ROOT, "×%.2f", report / torchFast), target);
        }

        private static String met(boolean met, double measured) {
            return Double.isNaN(measured) ? "not measured" : met ? "met" : "**missed**";
        }

        private static String trim(double v) {
            return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
        }
    }

    public static final String COLD_HEADER = "| gradproof check, cold | examples | report s | process s | PyTorch fast_mode s "
            + "| report ÷ fast_mode | issue #17's target |\n|---|---|---|---|---|---|---|";

    /** The table's rows, the cold rows' table, then notes: skipped checkers, failures, what was measured how. */
    public record Report(List<Row> rows, List<ColdRow> cold, List<String> notes) {
        public Report(List<Row> rows, List<String> notes) {
            this(rows, List.of(), notes);
        }

        public String markdown() {
            StringBuilder sb = new StringBuilder(HEADER);
            rows.forEach(r -> sb.append('\n').append(r.markdown()));
            sb.append('\n');
            if (!cold.isEmpty()) {
                sb.append('\n').append(COLD_HEADER);
                cold.forEach(r -> sb.append('\n').append(r.markdown()));
                sb.append('\n');
            }
            notes.forEach(n -> sb.append("\n- ").append(n));
            return sb.toString();
        }
    }

    private OtherCheckers() {
    }

    public static Report run(Options o, Consumer<String> progress) {
        List<Row> rows = new ArrayList<>();
        List<ColdRow> cold = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        Path dir = null;
        try {
            dir = Files.createTempDirectory("gradproof-others");
            Spec full = Workload.ex4(25, o.torchFullExamples(), Workload.exactAndFiniteDifferences());
            Spec fast = Workload.ex4(25, o.torchFastExamples(), Workload.directional(DIRECTIONS));
            Spec dl4j = Workload.ex4(25, o.dl4jExamples(), Workload.exactAndFiniteDifferences());
            Row gpFull = gradproof(full, "exhaustive: exact + finite differences", o.repeats(), progress);
            Row gpFast = gradproof(fast, "fast mode, " + DIRECTIONS + " directions", o.repeats(), progress);
            Row gpDl4j = o.dl4jExamples() == o.torchFullExamples() ? gpFull
                    : gradproof(dl4j, "exhaustive: exact + finite differences", o.repeats(), progress);

            Dumped fullDump = dump(full, dir);
            Dumped fastDump = dump(fast, dir);
            Dumped dl4jDump = dump(dl4j, dir);
            List<Row> torch = torch(o, fullDump.file(), fastDump.file(), notes, progress);
            rows.add(gpFull);
            torch.stream().filter(r -> r.mode().equals("full")).forEach(r -> rows.add(compared(r, gpFull, fullDump, notes)));
            rows.add(gpFast);
            torch.stream().filter(r -> r.mode().equals("fast_mode")).forEach(r -> rows.add(compared(r, gpFast, fastDump, notes)));
            double torchFast = torch.stream().filter(r -> r.mode().equals("fast_mode")).mapToDouble(Row::seconds)
                    .findFirst().orElse(Double.NaN);
            cold.add(cold(o, dir, Architectures.Check.EXACT_FD, "exhaustive: exact + finite differences", torchFast, 2,
                    Double.NaN, notes, progress));
            cold.add(cold(o, dir, Architectures.Check.DIRECTIONAL, "fast mode, " + DIRECTIONS + " directions", torchFast,
                    0.5, 1.5, notes, progress));
            rows.add(gpDl4j); // again when it is gpFull: the ratio is always to the row above
            dl4j(o, dl4jDump.file(), notes, progress).ifPresent(r -> rows.add(compared(r, gpDl4j, dl4jDump, notes)));
            notes.add("ratio: the other checker's median seconds over gradproof's on the row above it (same network, "
                    + "weights, data and example count); gradproof's exhaustive check also compares every parameter "
                    + "with the exact gradient, its fast mode uses " + DIRECTIONS + " random directions.");
            notes.add(String.format(Locale.ROOT, "cold: a fresh `./%s check FILE --no-report` of the same network and "
                    + "example count as fast_mode's (median of %d), as a user or a CI job runs it, with every core the "
                    + "machine has; report s is the check's own seconds, process s the whole command with the JVM's "
                    + "start.", o.launcher(), o.coldRuns()));
        } catch (IOException e) {
            notes.add("could not write the network for the other checkers: " + e.getMessage());
        } finally {
            deleteAll(dir);
        }
        return new Report(rows, cold, notes);
    }

    /** ex4 at fast_mode's example count, written with the given check section and run in fresh JVMs. */
    static ColdRow cold(Options o, Path dir, Architectures.Check check, String label, double torchFast, double bound,
                        double processBound, List<String> notes, Consumer<String> progress) throws IOException {
        Path file = dir.resolve("ex4-cold-" + check.name().toLowerCase(Locale.ROOT) + ".yaml");
        Files.writeString(file, Workload.ex4Yaml(25, o.torchFastExamples(), check.yaml));
        progress.accept("gradproof: " + label + ", cold, " + o.coldRuns() + " fresh ./" + o.launcher() + " check run(s)");
        ColdCheck c = ColdCheck.median(o.launcher(), file, o.coldRuns(), Map.of(), o.timeout(), notes, progress);
        return new ColdRow(label, o.torchFastExamples(), c.report(), c.process(), torchFast, bound, processBound);
    }

    /** gradproof's check on the spec, warm, median of {@code repeats}. */
    static Row gradproof(Spec spec, String mode, int repeats, Consumer<String> progress) {
        Benchmarks.Row median = Benchmarks.run(List.of(new Workload(spec.name(), spec)), 0, repeats,
                line -> progress.accept("gradproof " + line)).get(0);
        return new Row("gradproof", mode, median.examples(), median.seconds(), Double.NaN, median.verdict(), Double.NaN);
    }

    /**
     * The other checker's row with its ratio to gradproof's; a note when its loss is not gradproof's,
     * which would mean it checked another network than the one in the dump.
     */
    static Row compared(Row other, Row gradproof, Dumped dumped, List<String> notes) {
        if (!(Math.abs(other.loss() - dumped.loss()) <= 1e-9 * Math.abs(dumped.loss()))) {
            notes.add(String.format(Locale.ROOT, "warning: %s computed the loss %.17g where gradproof computes %.17g: "
                    + "it did not check the same network", other.checker(), other.loss(), dumped.loss()));
        }
        return new Row(other.checker(), other.mode(), other.examples(), other.seconds(),
                other.seconds() / gradproof.seconds(), other.verdict(), other.loss());
    }

    /** A dump and gradproof's loss at its parameters, for checking that the other side built the same network. */
    record Dumped(Path file, double loss) {
    }

    /** Writes the spec's checked trial (trial 0: its parameters and data) as a protocol dump. */
    static Dumped dump(Spec spec, Path dir) throws IOException {
        Path file = dir.resolve(spec.name() + ".json");
        TrialCase c = TrialRecipe.full(spec, 0).materialize(spec);
        var mlp = NetworkFactory.build(spec);
        if (!Files.exists(file)) {
            RequestDump.write(file, Conversions.describe(spec), Conversions.parameters(mlp.layout(), c.trial().theta()),
                    Conversions.batch(c.trial().data()));
        }
        return new Dumped(file, mlp.loss(c.trial().theta(), c.trial().data()));
    }

    static List<Row> torch(Options o, Path fullDump, Path fastDump, List<String> notes, Consumer<String> progress) {
        if (!Files.isRegularFile(o.torchScript())) {
            notes.add("PyTorch: skipped: " + o.torchScript() + " not found (run gradproof from the repository root).");
            return List.of();
        }
        String python = pythonWithTorch(o.pythons(), progress).orElse(null);
        if (python == null) {
            notes.add("PyTorch: skipped: no Python here imports torch (tried " + String.join(", ", o.pythons())
                    + "); install it with `apt-get install python3-torch` (Debian), or set GRADPROOF_PYTHON.");
            return List.of();
        }
        progress.accept(String.format(Locale.ROOT, "PyTorch: gradcheck full mode on %d examples and fast_mode on %d, "
                + "%d run(s) each (full mode on 500 examples takes minutes a run)", o.torchFullExamples(),
                o.torchFastExamples(), o.repeats()));
        try {
            List<String> out = OneShot.run(List.of(python, o.torchScript().toString(), "--full", fullDump.toString(),
                    "--fast", fastDump.toString(), "--repeats", Integer.toString(o.repeats())), null, Map.of(), o.timeout());
            progress.accept("PyTorch said: " + lastLine(out)); // every run's seconds, for the record
            return torchRows(lastLine(out));
        } catch (IOException | RuntimeException e) {
            notes.add("PyTorch: failed: " + e.getMessage());
            return List.of();
        }
    }

    /** The first interpreter that imports torch (a pyenv shim may shadow Debian's python3, which has it). */
    static Optional<String> pythonWithTorch(List<String> pythons, Consumer<String> progress) {
        for (String p : pythons) {
            try {
                OneShot.run(List.of(p, "-c", "import torch"), null, Map.of(), Duration.ofSeconds(60));
                return Optional.of(p);
            } catch (IOException notThisOne) {
                progress.accept("PyTorch: " + p + " does not import torch");
            }
        }
        return Optional.empty();
    }

    /** Rows from the script's JSON line. */
    static List<Row> torchRows(String json) throws IOException {
        JsonNode root = JSON.readTree(json);
        String checker = "PyTorch " + root.path("torch").asText("?") + " gradcheck";
        List<Row> rows = new ArrayList<>();
        for (JsonNode run : root.path("runs")) {
            String verdict = String.format(Locale.ROOT, "%s (atol %s, rtol %s)", run.path("passed").asBoolean() ? "pass"
                    : "fail", tolerance(run.path("atol")), tolerance(run.path("rtol")));
            rows.add(new Row(checker, run.path("mode").asText().equals("fast") ? "fast_mode" : "full",
                    run.path("examples").asInt(), run.path("seconds").asDouble(), Double.NaN, verdict,
                    run.path("loss").asDouble(Double.NaN)));
        }
        if (rows.isEmpty()) {
            throw new IOException("no runs in the script's output: " + json);
        }
        return rows;
    }

    static Optional<Row> dl4j(Options o, Path dump, List<String> notes, Consumer<String> progress) {
        Path built = o.dl4jLauncher().resolveSibling("target").resolve("classpath.stamp");
        if (!Files.isRegularFile(o.dl4jLauncher()) || !Files.isRegularFile(built)) {
            notes.add("Deeplearning4j: skipped: the DL4J adapter is not built; build it with `adapters/dl4j/gradproof-dl4j "
                    + "--build` (downloads DL4J and ND4J, about 150 MB; see docs/DL4J.md).");
            return Optional.empty();
        }
        progress.accept(String.format(Locale.ROOT, "Deeplearning4j: GradientCheckUtil on %d examples, %d run(s)",
                o.dl4jExamples(), o.repeats()));
        try {
            List<String> out = OneShot.run(List.of(o.dl4jLauncher().toString(), "--bench", dump.toString(), "--repeats",
                    Integer.toString(o.repeats())), null, Map.of(), o.timeout());
            progress.accept("Deeplearning4j said: " + lastLine(out));
            return Optional.of(dl4jRow(lastLine(out)));
        } catch (IOException | RuntimeException e) {
            notes.add("Deeplearning4j: failed: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The row from GradientCheckBench's JSON line. */
    static Row dl4jRow(String json) throws IOException {
        JsonNode r = JSON.readTree(json);
        if (!r.has("seconds")) {
            throw new IOException("no seconds in GradientCheckBench's output: " + json);
        }
        String verdict = String.format(Locale.ROOT, "%s (max rel. error %s)", r.path("passed").asBoolean() ? "pass" : "fail",
                tolerance(r.path("max_rel_error")));
        return new Row("DL4J " + r.path("dl4j").asText("?") + " GradientCheckUtil", "every parameter, central difference",
                r.path("examples").asInt(), r.path("seconds").asDouble(), Double.NaN, verdict, r.path("loss").asDouble(Double.NaN));
    }

    /** {@code 1e-5} rather than Java's {@code 1.0E-5}: as the checkers' documentation writes it. */
    static String tolerance(JsonNode n) {
        if (!n.isNumber()) {
            return "?";
        }
        double v = n.asDouble();
        String s = String.format(Locale.ROOT, "%.0e", v);
        return Double.parseDouble(s) == v ? s.replaceFirst("e([+-])0*(\\d)", "e$1$2").replace("e+", "e") : Double.toString(v);
    }

    private static String lastLine(List<String> lines) throws IOException {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (!lines.get(i).isBlank()) {
                return lines.get(i);
            }
        }
        throw new IOException("it printed nothing on stdout");
    }

    /** Best effort: the dumps are temporary files of up to 40 MB. */
    private static void deleteAll(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // a temporary directory left behind is no reason to fail the benchmark
        }
    }
}
