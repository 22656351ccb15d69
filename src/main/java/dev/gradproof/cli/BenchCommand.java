package dev.gradproof.cli;

import dev.gradproof.bench.ArchitectureBench;
import dev.gradproof.bench.Architectures;
import dev.gradproof.bench.Benchmarks;
import dev.gradproof.bench.GrowthTable;
import dev.gradproof.bench.OtherCheckers;
import dev.gradproof.bench.PeakMemory;
import dev.gradproof.bench.ProtocolOverhead;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import dev.gradproof.bench.Workload;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = {
                "Times the check on the benchmark workloads (warm JVM) and prints a Markdown table.",
                "",
                "Workloads: Ng's ex4 network (400-25-10, 5,000 examples) exhaustive against the exact",
                "oracle, with finite differences, and in fast mode; the 2-25-50-25-2 two-moons network",
                "on 2,000 examples; growth with hidden width (25-200) and with examples (500-50,000).",
                "The straightforward finite difference (a full forward pass per perturbed loss) is",
                "timed on a sample of parameters and scaled to all of them, for the ratio.",
                "Takes several minutes; --quick runs small versions in seconds.",
                "",
                "--others runs gradproof next to PyTorch's gradcheck and DL4J's GradientCheckUtil, where",
                "installed, on the ex4 network with the same weights and data, and prints the ratios; it also",
                "runs the exhaustive and fast checks cold (a fresh ./gradproof check each) next to fast_mode.",
                "--graphs runs the bundled architectures against PyTorch's gradcheck (full and fast mode);",
                "--growth times each layer type at a base size, its width doubled and its examples doubled.",
                "--memory checks every bundled spec in a fresh ./gradproof check and reports its peak memory.",
                "--all runs every one of these tables in turn, each under its own heading (about an hour)."},
        sortOptions = false)
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "Small workloads: checks that the benchmark runs, not how fast.")
    boolean quick;

    @Option(names = "--straightforward-sample", paramLabel = "N", defaultValue = "40",
            description = "Parameters timed with the straightforward method (default: ${DEFAULT-VALUE}; 0 skips it).")
    int sample;

    @Option(names = "--only", paramLabel = "TEXT",
            description = "Run only the workloads whose name contains TEXT (e.g. \"ex4\", \"width\").")
    String only;

    @Option(names = "--mutants", description = "Only the built-in mutants on the ex4 network: fast mode against the "
            + "exhaustive check, verdict by verdict.")
    boolean mutants;

    @Option(names = "--protocol", description = "Measure only the process protocol's overhead (needs python3 with numpy).")
    boolean protocol;

    @Option(names = "--growth", description = "Only the growth table per layer type: exact + finite differences at a "
            + "base size, the layer's width doubled and the examples doubled.")
    boolean growth;

    @Option(names = "--memory", description = "Only the peak memory of every bundled spec (specs/), each in a fresh "
            + "./gradproof check as a user runs it: the JVM's peak resident set and heap; --only picks specs by path.")
    boolean memory;

    @Option(names = "--memory-timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest wait for one spec's check with --memory before it is killed (default: ${DEFAULT-VALUE}).")
    long memoryTimeout;

    @Option(names = "--protocol-stride", paramLabel = "N", defaultValue = "172",
            description = "With --protocol, LeNet-5's perturbed losses are every N-th parameter's four (default: "
                    + "${DEFAULT-VALUE}: 259 parameters, 1,036 losses; every one is a whole forward pass in numpy).")
    int protocolStride;

    @Option(names = "--others", description = "Only the side-by-side run with the other checkers (PyTorch, DL4J) that "
            + "are installed, and gradproof's cold checks (a fresh ./gradproof check each) next to PyTorch's fast_mode.")
    boolean others;

    @Option(names = "--graphs", description = "Only the bundled architectures (specs/architectures) against PyTorch's "
            + "gradcheck, full and fast mode, with the ratios issue #17 sets targets for; --only picks architectures.")
    boolean graphs;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "1",
            description = "Threads for both gradproof and PyTorch with --graphs (default: ${DEFAULT-VALUE}).")
    int threads;

    @Option(names = "--cold-runs", paramLabel = "N", defaultValue = "3",
            description = "Fresh ./gradproof check runs of each directional check with --graphs (default: ${DEFAULT-VALUE}).")
    int coldRuns;

    @Option(names = "--full-repeats", paramLabel = "N", defaultValue = "1",
            description = "gradcheck full-mode runs per architecture with --graphs; LeNet-5's takes minutes "
                    + "(default: ${DEFAULT-VALUE}).")
    int fullRepeats;

    @Option(names = "--torch-full-examples", paramLabel = "N", defaultValue = "100",
            description = "Examples for gradcheck's full mode (default: ${DEFAULT-VALUE}; 500 takes about 3 min a run).")
    int torchFull;

    @Option(names = "--torch-fast-examples", paramLabel = "N", defaultValue = "5000",
            description = "Examples for gradcheck's fast_mode (default: ${DEFAULT-VALUE}).")
    int torchFast;

    @Option(names = "--dl4j-examples", paramLabel = "N", defaultValue = "100",
            description = "Examples for DL4J's GradientCheckUtil (default: ${DEFAULT-VALUE}).")
    int dl4jExamples;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "Timed runs of each checker with --others; the median is shown (default: ${DEFAULT-VALUE}).")
    int repeats;

    @Option(names = "--others-timeout", paramLabel = "SECONDS", defaultValue = "3600",
            description = "Longest wait for one other checker's whole run before it is killed (default: ${DEFAULT-VALUE}).")
    long othersTimeout;

    @Option(names = "--all", description = "Every table in one run, each under a Markdown heading: the warm workloads, "
            + "--others, --graphs, --growth, --memory and --protocol (about an hour on a quiet 2-core machine; with "
            + "--quick, small versions of each).")
    boolean all;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    /** One table of the benchmark: its heading under --all, the option that runs it alone, and how it runs. */
    record Section(String heading, String option, BiFunction<PrintWriter, PrintWriter, Integer> run) {
    }

    /** What --all runs, in order: every table BENCHMARKS.md records for issue #17. */
    List<Section> sections() {
        return List.of(
                new Section("The check, warm", "(no option)", this::warm),
                new Section("Other checkers side by side, and the cold command line", "--others", this::others),
                new Section("The architectures against PyTorch's gradcheck", "--graphs", this::graphs),
                new Section("Growth per layer type", "--growth", this::growth),
                new Section("Peak memory of every bundled spec", "--memory", this::memory),
                new Section("The process protocol's overhead", "--protocol", this::protocol));
    }

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (all) {
            return all(out, err);
        }
        if (protocol) {
            return protocol(out, err);
        }
        if (others) {
            return others(out, err);
        }
        if (graphs) {
            return graphs(out, err);
        }
        if (memory) {
            return memory(out, err);
        }
        if (growth) {
            return growth(out, err);
        }
        if (mutants) {
            out.println(Benchmarks.MUTANT_HEADER);
            out.flush();
            Benchmarks.mutantsFastVersusExhaustive(quick ? 200 : 5000, rowsOrProgress(out, err));
            out.println();
            out.println("| fast mode on ex4 | |\n|---|---|");
            Benchmarks.fastModeSensitivity(quick ? 200 : 5000, quick ? 3 : 20, progress(err)).forEach(out::println);
            return ExitCode.OK.code;
        }
        return warm(out, err);
    }

    private int all(PrintWriter out, PrintWriter err) {
        if (only != null || protocol || others || graphs || memory || growth || mutants) {
            err.println("gradproof bench: --all runs every table in full; give --only, --others, --graphs, --growth, "
                    + "--memory, --protocol or --mutants without it to run one");
            return ExitCode.USAGE.code;
        }
        int worst = ExitCode.OK.code;
        for (Section s : sections()) {
            out.println("## " + s.heading());
            out.println();
            out.flush();
            err.println("bench: --all: " + s.heading() + " (" + s.option() + ")");
            err.flush();
            int code = s.run().apply(out, err);
            out.println();
            out.flush();
            worst = Math.max(worst, code);
        }
        return worst;
    }

    private int growth(PrintWriter out, PrintWriter err) {
        out.println(GrowthTable.HEADER);
        out.flush();
        GrowthTable.run(quick, rowsOrProgress(out, err));
        return ExitCode.OK.code;
    }

    private int warm(PrintWriter out, PrintWriter err) {
        List<Workload> workloads = Benchmarks.workloads(quick).stream()
                .filter(w -> only == null || w.name().contains(only)).toList();
        if (workloads.isEmpty()) {
            err.println("gradproof bench: no workload's name contains \"" + only + "\"; names are:");
            Benchmarks.workloads(quick).forEach(w -> err.println("  " + w.name()));
            return ExitCode.USAGE.code;
        }
        out.println(Benchmarks.HEADER);
        out.flush();
        List<Benchmarks.Row> rows = Benchmarks.run(workloads, sample, rowsOrProgress(out, err));
        out.println();
        out.println(String.format(Locale.ROOT, "%d workloads, %d cores, Java %s", rows.size(),
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version")));
        return ExitCode.OK.code;
    }

    /** Progress lines to standard error, as they come. */
    private static Consumer<String> progress(PrintWriter err) {
        return line -> {
            err.println("bench: " + line);
            err.flush();
        };
    }

    /** A table's rows (the lines starting with "|") to standard output as they come, the rest as progress. */
    private static Consumer<String> rowsOrProgress(PrintWriter out, PrintWriter err) {
        Consumer<String> progress = progress(err);
        return line -> {
            if (line.startsWith("|")) {
                out.println(line);
                out.flush();
            } else {
                progress.accept(line);
            }
        };
    }

    private int protocol(PrintWriter out, PrintWriter err) {
        try {
            out.println(ProtocolOverhead.HEADER);
            out.flush();
            double[] r = ProtocolOverhead.twoMoons(progress(err));
            out.println(ProtocolOverhead.row("2-25-50-25-2, 64 examples", (int) r[2], 1, r[0], r[1], 1));
            out.flush();
            if (!quick) {
                ProtocolOverhead.lenet5(Path.of("specs/architectures"), protocolStride, new int[] {1, 2}, progress(err))
                        .forEach(out::println);
            }
            return ExitCode.OK.code;
        } catch (Exception e) {
            err.println("gradproof bench: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
    }

    private int memory(PrintWriter out, PrintWriter err) {
        if (memoryTimeout < 1) {
            err.println("gradproof bench: --memory-timeout must be at least 1");
            return ExitCode.USAGE.code;
        }
        try {
            PeakMemory.run(new PeakMemory.Options(Path.of("specs"), Path.of("gradproof"), only,
                    Duration.ofSeconds(memoryTimeout)), progress(err)).forEach(out::println);
            return ExitCode.OK.code;
        } catch (IOException e) {
            err.println("gradproof bench: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
    }

    private int graphs(PrintWriter out, PrintWriter err) {
        if (Math.min(Math.min(threads, coldRuns), Math.min(fullRepeats, repeats)) < 1 || othersTimeout < 1) {
            err.println("gradproof bench: --threads, --cold-runs, --full-repeats, --repeats and --others-timeout must be "
                    + "at least 1");
            return ExitCode.USAGE.code;
        }
        List<String> names = (quick ? Architectures.NAMES.subList(0, 1) : Architectures.NAMES).stream()
                .filter(n -> only == null || n.contains(only)).toList();
        if (names.isEmpty()) {
            err.println("gradproof bench: no architecture's name contains \"" + only + "\"; names are: "
                    + String.join(", ", Architectures.NAMES));
            return ExitCode.USAGE.code;
        }
        ArchitectureBench.Options o = quick
                ? ArchitectureBench.Options.standard(names, threads, 1, 1, 1, Duration.ofSeconds(othersTimeout))
                : ArchitectureBench.Options.standard(names, threads, coldRuns, fullRepeats, repeats,
                Duration.ofSeconds(othersTimeout));
        try {
            ArchitectureBench.run(o, progress(err)).forEach(out::println);
            return ExitCode.OK.code;
        } catch (IOException | RuntimeException e) {
            err.println("gradproof bench: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
    }

    private int others(PrintWriter out, PrintWriter err) {
        if (Math.min(Math.min(torchFull, torchFast), Math.min(dl4jExamples, repeats)) < 1 || othersTimeout < 1) {
            err.println("gradproof bench: example counts, --repeats and --others-timeout must be at least 1");
            return ExitCode.USAGE.code;
        }
        // --quick: the same path end to end, on sizes that take seconds
        OtherCheckers.Options o = quick ? OtherCheckers.Options.standard(20, 200, 20, 1, Duration.ofSeconds(othersTimeout))
                : OtherCheckers.Options.standard(torchFull, torchFast, dl4jExamples, repeats,
                Duration.ofSeconds(othersTimeout));
        OtherCheckers.Report report = OtherCheckers.run(o, progress(err));
        out.println(report.markdown());
        return ExitCode.OK.code;
    }
}
