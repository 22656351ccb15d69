package dev.gradproof.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.GraphMutants;
import dev.gradproof.mutants.graph.ZooEntry;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;
import dev.gradproof.train.ConsoleProgress;
import dev.gradproof.train.Defaults;
import dev.gradproof.train.TrainReport;
import dev.gradproof.train.Trainer;
import dev.gradproof.train.TrainingPlan;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.Locale;
import org.apiguardian.api.API;

/** {@code gradproof train SPEC}: what a wrong gradient does to training. */
@Command(name = "train",
        mixinStandardHelpOptions = true,
        description = {
                "Trains the spec's network with the correct gradient and with each mutant asked for.",
                "",
                "Full-batch gradient descent, every run from the same weights and data (trial 0 of the",
                "spec's seed) and measured with the spec's own loss. A layer graph trains too when its",
                "output is one vector per example; --mutant names a mutant of either zoo (dense chains",
                "or layer graphs, see 'gradproof mutants list'), and one of the other zoo is skipped.",
                "",
                "A spec that overrides an activation's derivative is trained twice: with the declared",
                "derivative (as the spec's own network backpropagates) and with the correct one.",
                "",
                "Prints a table of each run's first and final loss and its first and final accuracy",
                "(RMSE for regression) on the training set, and writes loss-curves.png (and .svg),",
                "results.md and results.json into reports/train/<spec>-<time>/ (or --out).",
                "",
                "Default learning rate and epochs by data generator: xor 0.3 x 2000, two_moons 1 x 2000,",
                "sine 0.1 x 2000, normal_regression 0.1 x 1000; other data: 1000 epochs and the",
                "learning rate (of 1, 0.3, ..., 0.001) whose correct run does best in 200 epochs;",
                "a layer graph: 300 epochs, the learning rate tuned over 20.",
                "",
                "Exit status: 0 done; 1 a run failed; 2 a usage error or a spec that could not be read."},
        sortOptions = false)
@API(status = INTERNAL, since = "0.2")
public final class TrainCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Parameters(paramLabel = "SPEC", arity = "1", description = "The spec file to train.")
    Path file;

    @Option(names = "--mutant", paramLabel = "NAME", description = "Also train with this mutant's gradient (repeatable).")
    List<String> mutants = new ArrayList<>();

    @Option(names = "--all-mutants", description = "Also train with every mutant of the spec's zoo (dense chain or layer graph) that applies to it.")
    boolean allMutants;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: by data generator, see above).")
    Double learningRate;

    @Option(names = "--epochs", paramLabel = "N", description = "Full-batch steps (default: by data generator).")
    Integer epochs;

    @Option(names = "--out", paramLabel = "DIR", description = "Write the files here instead of reports/train/<spec>-<time>/.")
    Path out;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports",
            description = "Reports folder when --out is not given (default: ${DEFAULT-VALUE}).")
    Path reports;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    public TrainCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter stdout = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        if (learningRate != null && !(learningRate > 0 && Double.isFinite(learningRate))) {
            err.println("gradproof train: --lr must be a positive number, got " + learningRate);
            return ExitCode.USAGE.code;
        }
        if (epochs != null && (epochs < 1 || epochs > 10_000_000)) {
            err.println("gradproof train: --epochs must be between 1 and 10,000,000, got " + epochs);
            return ExitCode.USAGE.code;
        }
        Spec spec;
        try {
            spec = new SpecLoader().load(file);
        } catch (SpecException e) {
            err.println("gradproof train: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        Selection selected;
        try {
            selected = select(mutants, allMutants, spec.network().isGraph());
        } catch (IllegalArgumentException e) {
            err.println("gradproof train: --mutant: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        TrainingPlan plan;
        try {
            plan = TrainingPlan.of(spec, selected.dense(), selected.graph());
        } catch (IllegalArgumentException e) {
            err.println("gradproof train: " + file + ": " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        Defaults.Choice choice;
        try {
            choice = Defaults.choose(plan, learningRate, epochs);
        } catch (IllegalStateException e) {
            err.println("gradproof train: " + e.getMessage());
            return ExitCode.NOT_MET.code;
        }
        Trainer.Options options = choice.options();
        stdout.println("training " + spec.name() + ": " + plan.variants().size() + " runs, full-batch gradient descent, "
                + new TrainReport(plan, options, choice.how(), List.of(), 0).setting());
        for (TrainingPlan.Skipped s : plan.skipped()) {
            stdout.println("  skipped " + s.mutant() + ": " + s.reason());
        }
        stdout.flush();
        ConsoleProgress progress = new ConsoleProgress(err, ConsoleProgress.onTerminal(), "training " + spec.name(),
                (long) plan.variants().size() * options.epochs());
        TrainReport report;
        try {
            report = TrainReport.run(plan, choice, progress);
        } catch (IllegalStateException e) {
            progress.clear();
            err.println("gradproof train: " + e.getMessage());
            return ExitCode.NOT_MET.code;
        }
        progress.clear();
        stdout.print(report.table());
        Path dir;
        try {
            dir = out != null ? Files.createDirectories(out) : newRunFolder(reports.resolve("train"), spec.name());
            List<Path> files = report.write(dir, w -> err.println("gradproof train: " + w));
            stdout.println("wrote " + dir + "/: " + String.join(", ", files.stream().map(p -> p.getFileName().toString()).toList()));
        } catch (IOException e) {
            err.println("gradproof train: cannot write the results: " + CheckCommand.describe(e));
            return ExitCode.USAGE.code;
        }
        stdout.printf(Locale.ROOT, "done in %.1f s%n", report.seconds());
        stdout.flush();
        return ExitCode.OK.code;
    }

    /** Mutants of the two zoos, each in zoo order. */
    record Selection(List<Mutant> dense, List<GraphMutant> graph) {
    }

    /**
     * The mutants asked for, in zoo order, each once, each looked up in the zoo that has it; with
     * {@code all}, every mutant of the spec's own zoo (dense chain or layer graph) as well.
     */
    static Selection select(List<String> names, boolean all, boolean graph) {
        Set<Mutant> dense = new LinkedHashSet<>();
        Set<GraphMutant> graphs = new LinkedHashSet<>();
        for (String n : names) {
            ZooEntry entry = ZooEntry.named(n);
            if (entry.dense() != null) {
                dense.add(entry.dense());
            } else {
                graphs.add(entry.graph());
            }
        }
        if (all && graph) {
            graphs.addAll(GraphMutants.all());
        } else if (all) {
            dense.addAll(Mutants.all());
        }
        return new Selection(Mutants.all().stream().filter(dense::contains).toList(),
                GraphMutants.all().stream().filter(graphs::contains).toList());
    }

    /** {@code reports/train/<spec>-<yyyyMMdd-HHmmss>}, with {@code -2}, {@code -3}... if taken. */
    static Path newRunFolder(Path root, String specName) throws IOException {
        Files.createDirectories(root);
        String base = safe(specName) + "-" + STAMP.format(Instant.now());
        for (int i = 1; ; i++) {
            try {
                return Files.createDirectory(root.resolve(i == 1 ? base : base + "-" + i));
            } catch (FileAlreadyExistsException taken) {
                if (i > 100) {
                    throw taken;
                }
            }
        }
    }

    static String safe(String name) {
        String s = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^[-.]+|-+$", "");
        return s.isEmpty() ? "spec" : s;
    }
}
