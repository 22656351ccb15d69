package dev.gradproof.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.report.Text;
import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.SpecRun;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.apiguardian.api.API;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec.Target;

/** {@code gradproof conformance}: every layer spec against every implementation, one table. */
@Command(name = "conformance",
        mixinStandardHelpOptions = true,
        description = {
                "Checks every layer spec against every implementation given and prints one Markdown table.",
                "",
                "Rows are specs (default: specs/layers/ and specs/architectures/), columns implementations:",
                "the reference network, and by default the numpy example (examples/numpy/net) and PyTorch",
                "1.13 through adapters/torch/gradproof-torch. Each cell is 'pass', 'convention: ...' (the",
                "forward pass differs from the spec's by a named convention), 'mismatch: ...' (with where),",
                "'refused: ...' (the implementation cannot build that network) or 'error: ...'. Every",
                "implementation is expected to pass: a spec's declared derivatives configure the reference",
                "only, as under check --impl.",
                "",
                "Exit status: 0 no mismatch and no error; 1 some cell is a mismatch or an error; 2 a usage",
                "error or a spec that could not be read."},
        sortOptions = false)
@API(status = INTERNAL, since = "0.2")
public final class ConformanceCommand implements Callable<Integer> {
    static final List<Path> DEFAULT_SPECS = List.of(Path.of("specs", "layers"), Path.of("specs", "architectures"));
    static final List<String> DEFAULT_IMPLEMENTATIONS = List.of("numpy=examples/numpy/net",
            "PyTorch 1.13=adapters/torch/gradproof-torch", "Deeplearning4j 1.0.0-M2.1=adapters/dl4j/gradproof-dl4j");

    @Parameters(paramLabel = "SPEC|DIR", arity = "0..*", description = "Spec files or folders (default: specs/layers/ "
            + "and specs/architectures/).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--impl", paramLabel = "NAME=IMPL", description = "A column: its heading and what check --impl "
            + "takes (repeatable); replaces the default numpy and PyTorch columns.")
    List<String> impls = new ArrayList<>();

    @picocli.CommandLine.Spec(Target.SELF)
    CommandSpec self;

    @Override
    public Integer call() {
        PrintWriter out = self.commandLine().getOut();
        PrintWriter err = self.commandLine().getErr();
        Map<String, ImplementationSpec> columns = new LinkedHashMap<>();
        columns.put("reference", ImplementationSpec.parseOption("reference"));
        try {
            for (String c : impls.isEmpty() ? DEFAULT_IMPLEMENTATIONS : impls) {
                int eq = c.indexOf('=');
                if (eq <= 0 || eq == c.length() - 1) {
                    throw new IllegalArgumentException("expected NAME=IMPL, got '" + c + "'");
                }
                columns.put(c.substring(0, eq), ImplementationSpec.parseOption(c.substring(eq + 1)));
            }
        } catch (IllegalArgumentException e) {
            err.println("gradproof conformance: --impl: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        List<Spec> specs = new ArrayList<>();
        try {
            SpecLoader loader = new SpecLoader();
            for (Path f : SpecFiles.expand(paths.isEmpty() ? DEFAULT_SPECS : paths).files()) {
                specs.add(loader.load(f));
            }
        } catch (IOException e) {
            err.println("gradproof conformance: " + CheckCommand.describe(e));
            return ExitCode.USAGE.code;
        } catch (SpecException e) {
            err.println("gradproof conformance: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        StringBuilder table = new StringBuilder("| spec | layers |");
        columns.keySet().forEach(c -> table.append(' ').append(Text.markdown(c)).append(" |"));
        table.append("\n|---|---|");
        columns.keySet().forEach(c -> table.append("---|"));
        table.append('\n');
        boolean bad = false;
        int done = 0;
        for (Spec spec : specs) {
            table.append("| ").append(Text.markdown(spec.name())).append(" | `").append(layers(spec)).append("` |");
            for (Map.Entry<String, ImplementationSpec> c : columns.entrySet()) {
                err.printf("gradproof conformance: %d of %d: %s with %s%n", ++done, specs.size() * columns.size(),
                        spec.name(), c.getKey());
                err.flush();
                SpecResult r = SpecRun.run(spec, c.getValue(), null, SpecChecker.Progress.NONE, Shard.ALL,
                        ProcessPermission.none(), true);
                String cell = cell(r);
                bad |= cell.startsWith("mismatch") || cell.startsWith("error");
                table.append(' ').append(Text.markdown(cell)).append(" |");
            }
            table.append('\n');
        }
        out.println("Conformance on " + LocalDate.now(ZoneOffset.UTC) + ", " + specs.size() + " specs:");
        out.println();
        out.print(table);
        out.flush();
        return bad ? ExitCode.NOT_MET.code : ExitCode.OK.code;
    }

    /** What a row checks: its layer types in order (a run of one type once), and its loss. */
    static String layers(Spec spec) {
        List<String> types = new ArrayList<>();
        if (spec.network().isGraph()) {
            for (GraphSpec.Layer l : spec.network().graph().layers()) {
                String t = l.options().type().yamlName() + (l.activation() == null ? "" : " " + l.activation().name());
                if (types.isEmpty() || !types.get(types.size() - 1).equals(t)) {
                    types.add(t);
                }
            }
        } else {
            spec.network().layers().forEach(l -> types.add("dense " + l.activation().name()));
        }
        return String.join(", ", types) + "; " + spec.loss().type().yamlName();
    }

    /** One cell: the verdict in a few words, with the finding that explains it. */
    static String cell(SpecResult r) {
        if (r.isSkipped()) {
            String why = firstLine(r.skipped()).replaceFirst("^refused by the implementation: ", "");
            int answered = why.indexOf("; the child answered");
            return "refused: " + (answered > 0 ? why.substring(0, answered) : why);
        }
        return switch (r.verdict()) {
            case PASS -> "pass";
            case FORWARD_DIFFERS -> "convention: " + finding(r, "convention", "loss");
            case MISMATCH -> "mismatch: " + finding(r, "where");
            case ERROR -> "error: " + firstLine(r.error());
        };
    }

    private static String finding(SpecResult r, String... prefixes) {
        for (String p : prefixes) {
            for (String f : r.findings()) {
                if (f.startsWith(p)) {
                    return firstLine(f.substring(f.indexOf(':') + 1).strip());
                }
            }
        }
        return r.findings().isEmpty() ? "(no finding)" : firstLine(r.findings().get(0));
    }

    private static String firstLine(String s) {
        String line = s == null ? "" : s.lines().findFirst().orElse("");
        return line.length() > 160 ? line.substring(0, 157) + "..." : line;
    }
}
