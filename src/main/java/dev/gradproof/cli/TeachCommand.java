package dev.gradproof.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.GraphMutants;
import dev.gradproof.train.GraphTeachingPages;
import dev.gradproof.train.TeachingPages;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apiguardian.api.API;

/** {@code gradproof teach}: one page per mutant of the bug zoo. */
@Command(name = "teach",
        mixinStandardHelpOptions = true,
        description = {
                "Writes a teaching page per mutant of the bug zoo, dense chains' and layer graphs'.",
                "",
                "Each page, in Markdown and in self-contained HTML (pictures embedded) with index.md and",
                "index.html, shows the bug, the gradient check's evidence against it, the derivative it",
                "uses (activation bugs), its training curve next to the correct gradient's on a seed",
                "problem (XOR, sine or two moons), and the fix. A layer-graph mutant's page quotes its",
                "wrong line and draws the error per layer, per channel and kernel position (convolutions)",
                "and per time step (recurrent layers), on the cheapest bundled layer-graph spec it",
                "applies to.",
                "",
                "Exit status: 0 done; 1 a page could not be made; 2 a usage error."},
        sortOptions = false)
@API(status = INTERNAL, since = "0.2")
public final class TeachCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "reports/teaching",
            description = "Where the pages go (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--mutant", paramLabel = "NAME", description = "Only this mutant's page (repeatable; default: all).")
    List<String> mutants = new ArrayList<>();

    @Option(names = "--graphs", description = "Only the layer-graph mutants' pages (with --mutant: only those named).")
    boolean graphsOnly;

    @Option(names = "--specs", paramLabel = "DIR", defaultValue = "specs",
            description = "Folder of the bundled specs the pages are shown on (default: ${DEFAULT-VALUE}).")
    Path specs;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    public TeachCommand() {
    }

    @Override
    public Integer call() {
        PrintWriter stdout = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        List<Mutant> selected;
        List<GraphMutant> graphs;
        try {
            List<String> dense = mutants.stream().filter(n -> !isGraph(n)).toList();
            if (graphsOnly && !dense.isEmpty()) {
                throw new IllegalArgumentException("'" + dense.get(0) + "' is not a layer-graph mutant (see 'gradproof "
                        + "mutants list')");
            }
            selected = graphsOnly ? List.of() : mutants.isEmpty() ? Mutants.all() : TrainCommand.select(dense, false, false).dense();
            graphs = mutants.isEmpty() ? GraphMutants.all()
                    : GraphMutants.all().stream().filter(m -> mutants.contains(m.name())).toList();
        } catch (IllegalArgumentException e) {
            err.println("gradproof teach: --mutant: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        if (!Files.isDirectory(specs)) {
            err.println("gradproof teach: --specs: " + specs + " is not a folder");
            return ExitCode.USAGE.code;
        }
        TeachingPages.Catalogue catalogue;
        GraphTeachingPages.Catalogue graphCatalogue;
        try {
            catalogue = TeachingPages.Catalogue.load(specs);
            graphCatalogue = graphs.isEmpty() ? null : GraphTeachingPages.Catalogue.load(specs);
        } catch (IOException e) {
            err.println("gradproof teach: cannot read " + specs + ": " + CheckCommand.describe(e));
            return ExitCode.USAGE.code;
        }
        long start = System.nanoTime();
        stdout.println(String.format(Locale.ROOT, "%-34s %-33s %-9s %-37s %s", "mutant", "shown on", "check",
                "effect on training", "time"));
        stdout.flush();
        try {
            TeachingPages.writeAll(selected, catalogue, graphs, graphCatalogue, out, line -> {
                stdout.println(line);
                stdout.flush();
            });
        } catch (IOException e) {
            err.println("gradproof teach: cannot write into " + out + ": " + CheckCommand.describe(e));
            return ExitCode.USAGE.code;
        } catch (RuntimeException e) {
            err.println("gradproof teach: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return ExitCode.NOT_MET.code;
        }
        stdout.println(String.format(Locale.ROOT, "wrote %d pages and the index into %s/ (open %s) in %.1f s",
                selected.size() + graphs.size(), out, out.resolve("index.html"), (System.nanoTime() - start) / 1e9));
        stdout.flush();
        return ExitCode.OK.code;
    }

    private static boolean isGraph(String name) {
        return GraphMutants.all().stream().anyMatch(m -> m.name().equals(name));
    }
}
