package dev.gradproof.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.DetectionTable;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.GraphMutants;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apiguardian.api.API;

/** {@code gradproof mutants}: the zoo of backpropagation bugs, and how many of them the harness catches. */
@Command(name = "mutants",
        mixinStandardHelpOptions = true,
        description = {
                "A zoo of realistic backpropagation bugs, and correct variants that must not be flagged.",
                "",
                "Each is the reference backpropagation with one step changed, run through the same engine",
                "as any implementation under test. See docs/MUTANTS.md."},
        subcommands = {MutantsCommand.ListMutants.class, MutantsCommand.Explain.class, MutantsCommand.Table.class})
@API(status = INTERNAL, since = "0.2")
public final class MutantsCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public void run() {
        command.commandLine().usage(command.commandLine().getOut());
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Names and one-line summaries.")
    static final class ListMutants implements Callable<Integer> {
        @CommandLine.Spec
        CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            PrintWriter out = command.commandLine().getOut();
            int width = Mutants.all().stream().mapToInt(m -> m.name().length()).max().orElse(0);
            out.println("bugs (must be caught wherever they apply):");
            Mutants.all().stream().filter(m -> !m.correct()).forEach(m -> out.println("  " + pad(m.name(), width) + "  " + m.summary()));
            out.println("correct variants (must never be flagged):");
            Mutants.all().stream().filter(Mutant::correct).forEach(m -> out.println("  " + pad(m.name(), width) + "  " + m.summary()));
            int graphWidth = GraphMutants.all().stream().mapToInt(m -> m.name().length()).max().orElse(0);
            out.println();
            out.println("layer-graph bugs (gradproof mutants table --graphs):");
            GraphMutants.all().stream().filter(m -> !m.correct()).forEach(m -> out.println("  " + pad(m.name(), graphWidth)
                    + "  " + m.layer() + ": " + m.summary()));
            out.println("layer-graph correct variants:");
            GraphMutants.all().stream().filter(GraphMutant::correct).forEach(m -> out.println("  " + pad(m.name(), graphWidth)
                    + "  " + m.layer() + ": " + m.summary()));
            out.flush();
            return ExitCode.OK.code;
        }
    }

    @Command(name = "explain", mixinStandardHelpOptions = true,
            description = {"Explains a mutant: the mistake, how it arises, and when it applies.",
                    "With spec files, also whether it applies to each and, where it does, what the harness",
                    "reports for it (the spec's own trials)."})
    static final class Explain implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "NAME", description = "A mutant's name (see 'gradproof mutants list').")
        String name;

        @Parameters(index = "1..*", arity = "0..*", paramLabel = "SPEC", description = "Spec files to run it on.")
        List<Path> specs = new ArrayList<>();

        @CommandLine.Spec
        CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            PrintWriter out = command.commandLine().getOut();
            PrintWriter err = command.commandLine().getErr();
            Mutant m;
            try {
                if (GraphMutants.all().stream().anyMatch(g -> g.name().equals(name))) {
                    return explainGraph(GraphMutants.byName(name), out);
                }
                m = Mutants.byName(name);
            } catch (IllegalArgumentException e) {
                err.println("gradproof mutants explain: " + e.getMessage());
                return ExitCode.USAGE.code;
            }
            out.println(m.name() + (m.correct() ? " (correct variant: must never be flagged)" : " (bug: must be caught)"));
            out.println("  " + m.summary());
            out.println();
            out.print(wrap(m.explanation(), 100, ""));
            out.println();
            out.println("Applies to: " + m.requires() + ".");
            int status = 0;
            SpecLoader loader = new SpecLoader();
            for (Path file : specs) {
                out.println();
                Spec spec;
                try {
                    spec = loader.load(file);
                } catch (SpecException e) {
                    err.println("gradproof mutants explain: " + e.getMessage());
                    status = 2;
                    continue;
                }
                Applicability a = m.applies(spec);
                out.println(file + ": " + a);
                if (!a.applicable()) {
                    continue;
                }
                Spec s = spec.withExpect(new Expectation(m.correct() ? Verdict.PASS : Verdict.MISMATCH, null));
                SpecResult r = SpecChecker.run(s, UnderTest.of(m.implementation(s)), SpecChecker.Progress.NONE);
                out.println(Messages.specLine(r));
                out.print(Messages.details(r, Medium.CONSOLE_WITHOUT_REPORT));
                if (!r.metExpectation()) {
                    status = Math.max(status, 1);
                }
            }
            out.flush();
            return status;
        }
    }

    /** A graph mutant's text: the wrong line, how it arises, where it applies (its runs: mutants table --graphs). */
    static int explainGraph(GraphMutant m, PrintWriter out) {
        out.println(m.name() + (m.correct() ? " (correct variant: must never be flagged)" : " (bug: must be caught)")
                + ", in " + m.layer());
        out.println("  " + m.summary());
        out.println();
        out.println("  " + m.wrongLine());
        out.println();
        out.print(wrap(m.explanation(), 100, ""));
        out.println();
        out.println("Applies to: " + m.requires() + ".");
        out.println("Run it: gradproof mutants table --graphs --mutant " + m.name());
        out.flush();
        return ExitCode.OK.code;
    }

    @Command(name = "table", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                    "Runs every mutant on every spec and prints which bugs the check catches.",
                    "",
                    "Seeds 1..N, one trial per seed. The detection table gives, for a bug, trials caught /",
                    "trials where it applies, or n/a; for a correct variant, its false alarms (FA).",
                    "",
                    "Skipped: specs that name another implementation, specs whose 'expect' is not pass",
                    "(their reference gradient is itself flagged, or they are meant to be rejected), and",
                    "specs larger than --max-size.",
                    "",
                    "Exit status: 0 every applicable bug caught in every trial and no false alarm; 1",
                    "otherwise; 2 a usage error or a spec that could not be read."})
    static final class Table implements Callable<Integer> {
        static final String OTHER_IMPLEMENTATION = TableSpecs.OTHER_IMPLEMENTATION;
        static final String LAYER_GRAPH = "a layer graph";
        static final int GRAPH_SEEDS = 3;

        @Parameters(paramLabel = "SPEC|DIR", arity = "0..*", description = "Spec files or folders (default: specs/).")
        List<Path> paths = new ArrayList<>();

        @Option(names = "--graphs", description = {"The layer-graph zoo instead: every graph mutant on every layer-graph spec",
                "(default: specs/architectures and specs/layers), in the exhaustive and the directional mode."})
        boolean graphs;

        @Option(names = "--seeds", paramLabel = "N",
                description = "Seeds per spec (default: 20; with --graphs " + GRAPH_SEEDS + ").")
        Integer seedOption;

        int seeds;

        @Option(names = "--mutant", paramLabel = "NAME", description = "Only these mutants (repeatable; default: all).")
        List<String> only = new ArrayList<>();

        @Option(names = "--max-size", paramLabel = "N",
                description = {"Skip specs whose examples x parameters exceed N", "(default: 100000; with --graphs 0: no limit)."})
        Long maxSizeOption;

        long maxSize;

        @Option(names = "--json", description = "Print the table as JSON on standard output; the text goes to standard error.")
        boolean json;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec command;

        @Override
        public Integer call() {
            PrintWriter out = command.commandLine().getOut();
            PrintWriter err = command.commandLine().getErr();
            PrintWriter human = json ? err : out;
            seeds = seedOption != null ? seedOption : graphs ? GRAPH_SEEDS : 20;
            maxSize = maxSizeOption != null ? maxSizeOption : graphs ? 0 : 100_000;
            if (seeds < 1) {
                err.println("gradproof mutants table: --seeds must be at least 1, got " + seeds);
                return ExitCode.USAGE.code;
            }
            if (graphs) {
                return GraphTable.run(this, out, err, human);
            }
            List<Mutant> mutants = new ArrayList<>();
            try {
                for (String n : only) {
                    mutants.add(Mutants.byName(n));
                }
            } catch (IllegalArgumentException e) {
                err.println("gradproof mutants table: " + e.getMessage());
                return ExitCode.USAGE.code;
            }
            if (mutants.isEmpty()) {
                mutants.addAll(Mutants.all());
            }
            TableSpecs found = TableSpecs.collect(paths, List.of(Path.of("specs")),
                    spec -> spec.network().isGraph() ? LAYER_GRAPH : null,
                    maxSize, err);
            if (found == null) {
                return ExitCode.USAGE.code;
            }
            List<Spec> specs = found.specs();
            List<String[]> skipped = found.skipped();
            if (specs.isEmpty()) {
                err.println("gradproof mutants table: no spec to run (all skipped or none found)");
                return ExitCode.USAGE.code;
            }
            Progress progress = new Progress(err);
            DetectionTable.Result result = DetectionTable.run(specs, seeds, mutants, progress);
            progress.clear();
            human.print(result.text());
            List<String> others = skipped.stream().filter(s -> s[1].equals(OTHER_IMPLEMENTATION)).map(s -> s[0]).toList();
            if (!others.isEmpty()) {
                human.print(wrap("skipped " + others.size() + (others.size() == 1 ? " spec that names" : " specs that name")
                        + " another implementation (the mutants stand in for the reference network): "
                        + String.join(", ", others), 100, ""));
            }
            List<String> graphs = skipped.stream().filter(s -> s[1].equals(LAYER_GRAPH)).map(s -> s[0]).toList();
            if (!graphs.isEmpty()) {
                human.print(wrap("skipped " + graphs.size() + (graphs.size() == 1 ? " layer graph" : " layer graphs")
                        + " (their zoo: gradproof mutants table --graphs): " + String.join(", ", graphs), 100, ""));
            }
            for (String[] s : skipped) {
                if (!s[1].equals(OTHER_IMPLEMENTATION) && !s[1].equals(LAYER_GRAPH)) {
                    human.println("skipped " + s[0] + ": " + s[1]);
                }
            }
            human.flush();
            if (json) {
                ObjectNode root = result.json();
                ArrayNode sk = root.putArray("skipped");
                for (String[] s : skipped) {
                    sk.addObject().put("spec", s[0]).put("reason", s[1]);
                }
                try {
                    out.println(DetectionTable.mapper().writeValueAsString(root));
                } catch (IOException e) {
                    err.println("gradproof mutants table: " + e.getMessage());
                    return ExitCode.USAGE.code;
                }
            }
            out.flush();
            return result.ok() ? ExitCode.OK.code : ExitCode.NOT_MET.code;
        }
    }

    /** Progress on standard error: a line rewritten in place on a terminal, a line per 10 % otherwise. */
    static final class Progress implements DetectionTable.Progress {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private final long started = System.nanoTime();
        private int lastTenth = 0;
        private boolean shown;

        Progress(PrintWriter err) {
            this.err = err;
        }

        @Override
        public void update(int done, int total, String mutant, String spec) {
            double elapsed = (System.nanoTime() - started) / 1e9;
            String line = String.format(Locale.ROOT, "mutants: %d/%d runs (%s on %s), %.0f s", done, total, mutant, spec, elapsed);
            if (terminal) {
                if (elapsed >= 1 || done == total) {
                    err.print("\r\033[K" + line);
                    err.flush();
                    shown = true;
                }
            } else {
                int tenth = (int) (10L * done / total);
                if (tenth > lastTenth) {
                    lastTenth = tenth;
                    err.println(line);
                    err.flush();
                }
            }
        }

        void clear() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }

    static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** Words wrapped at {@code width} columns. */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        StringBuilder line = new StringBuilder(indent);
        for (String word : text.split(" ")) {
            if (line.length() > indent.length() && line.length() + 1 + word.length() > width) {
                out.append(line).append('\n');
                line = new StringBuilder(indent);
            }
            if (line.length() > indent.length()) {
                line.append(' ');
            }
            line.append(word);
        }
        if (line.length() > indent.length()) {
            out.append(line).append('\n');
        }
        return out.toString();
    }

}
