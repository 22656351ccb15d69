package dev.gradproof.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.SummedBatchGradient;
import dev.gradproof.report.Text;
import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.SpecRun;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
                "1.13 through adapters/torch/gradproof-torch, and PyTorch 2.7 through DJL (adapters/djl, in",
                "this JVM, once built with adapters/djl/gradproof-djl build), and Deeplearning4j 1.0.0-M2.1",
                "(adapters/dl4j/gradproof-dl4j, once built with --build). Each cell is 'pass', 'convention: ...' (the",
                "loss differs from the spec's by a named factor and the gradient is its gradient, or the gradient is",
                "exactly N times the spec's at every parameter, summed over the batch where the loss is averaged),",
                "'mismatch: ...' (with where),",
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
    /** The DJL adapter's column: a Java class, loaded from the adapter's build (docs/DJL.md). */
    static final String DJL_COLUMN = "PyTorch 2.7 (DJL)";
    static final String DJL_IMPL = "java:dev.gradproof.djl.DjlNetwork";
    static final Path DJL_TARGET = Path.of("adapters", "djl", "target");
    private static final Map<Path, ClassLoader> DJL_LOADERS = new java.util.concurrent.ConcurrentHashMap<>();
    static final String DJL_NOT_INSTALLED = "not installed: build with adapters/djl/gradproof-djl build";
    static final String DL4J_LAUNCHER = "adapters/dl4j/gradproof-dl4j";
    static final Path DL4J_TARGET = Path.of("adapters", "dl4j", "target");
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'", Locale.ROOT);
    static final String DL4J_NOT_INSTALLED = "not installed: build with adapters/dl4j/gradproof-dl4j --build";

    @Parameters(paramLabel = "SPEC|DIR", arity = "0..*", description = "Spec files or folders (default: specs/layers/ "
            + "and specs/architectures/).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--impl", paramLabel = "NAME=IMPL", description = "A column: its heading and what check --impl "
            + "takes (repeatable); replaces the default numpy, PyTorch, DJL and Deeplearning4j columns.")
    List<String> impls = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the table, with its heading (command, date, "
            + "duration, machine), to FILE, as docs/CONFORMANCE.md quotes it.")
    Path outFile;

    @picocli.CommandLine.Spec(Target.SELF)
    CommandSpec self;

    @Override
    public Integer call() {
        PrintWriter out = self.commandLine().getOut();
        PrintWriter err = self.commandLine().getErr();
        long started = System.nanoTime();
        if (outFile != null && (Files.isDirectory(outFile) || outFile.toAbsolutePath().getParent() == null
                || !Files.isDirectory(outFile.toAbsolutePath().getParent()))) {
            err.println("gradproof conformance: --out " + outFile + ": " + (Files.isDirectory(outFile) ? "is a folder"
                    : "its folder does not exist") + "; give a file in an existing folder");
            return ExitCode.USAGE.code;
        }
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
        // The DJL column (by default, or an --impl naming its class) runs with the adapter's build as its class
        // path; where it is not built, its cells say how to build it rather than an error per spec.
        if (impls.isEmpty()) {
            columns.put(DJL_COLUMN, ImplementationSpec.parseOption(DJL_IMPL));
        }
        Optional<ClassLoader> djlClasses = columns.values().stream().anyMatch(ConformanceCommand::isDjl)
                ? djlClasses(DJL_TARGET) : Optional.empty();
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
                String cell;
                if (isDjl(c.getValue()) && djlClasses.isEmpty()) {
                    cell = DJL_NOT_INSTALLED;
                } else if (isDl4j(c.getValue()) && !dl4jBuilt(DL4J_TARGET)) {
                    cell = DL4J_NOT_INSTALLED;
                } else {
                    cell = cell(run(spec, c.getValue(), isDjl(c.getValue()) ? djlClasses.get() : null));
                }
                bad |= cell.startsWith("mismatch") || cell.startsWith("error");
                table.append(' ').append(Text.markdown(cell)).append(" |");
            }
            table.append('\n');
        }
        String text = heading(specs.size(), columns.size(), System.nanoTime() - started) + "\n\n" + table;
        out.print(text);
        out.flush();
        if (outFile != null) {
            try {
                Files.writeString(outFile, text);
            } catch (IOException e) {
                err.println("gradproof conformance: --out " + outFile + ": " + CheckCommand.describe(e));
                return ExitCode.USAGE.code;
            }
            err.println("gradproof conformance: wrote " + outFile);
        }
        return bad ? ExitCode.NOT_MET.code : ExitCode.OK.code;
    }

    /**
     * What a reader of the table needs to reproduce it: the command as given, when it ran (UTC), how long it took
     * and on what. The columns' library versions are in their headings.
     */
    private String heading(int specs, int columns, long nanos) {
        List<String> args = self.commandLine().getParseResult() == null ? List.of()
                : self.commandLine().getParseResult().originalArgs();
        long seconds = Math.round(nanos / 1e9);
        String took = seconds >= 60 ? seconds / 60 + " min " + seconds % 60 + " s" : seconds + " s";
        return "Conformance on " + LocalDateTime.now(ZoneOffset.UTC).format(WHEN) + ", " + specs
                + (specs == 1 ? " spec, " : " specs, ") + columns + " implementations, " + took + ": `gradproof " + String.join(" ", args.stream()
                .map(ConformanceCommand::quoted).toList()) + "` (Java " + System.getProperty("java.version") + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
                + System.getProperty("os.arch") + ")";
    }

    /** An argument as a POSIX shell would need it to come back unchanged. */
    static String quoted(String arg) {
        return arg.matches("[A-Za-z0-9_./:=,@%+-]+") ? arg : "'" + arg.replace("'", "'\\''") + "'";
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

    /**
     * The Deeplearning4j child builds itself on first use, which takes minutes, longer than a child may take to
     * answer hello: unbuilt, its cells say how to build it.
     */
    static boolean dl4jBuilt(Path target) {
        try (var jars = java.nio.file.Files.newDirectoryStream(target, "gradproof-dl4j-*.jar")) {
            return jars.iterator().hasNext();
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isDl4j(ImplementationSpec impl) {
        return impl.kind().equals("process") && impl.target().strip().startsWith(DL4J_LAUNCHER);
    }

    private static boolean isDjl(ImplementationSpec impl) {
        return ("java:" + impl.target()).equals(DJL_IMPL) && impl.kind().equals("java");
    }

    /** One cell's check, with a column's own classes (null: gradproof's) as the context class loader. */
    private static SpecResult run(Spec spec, ImplementationSpec impl, ClassLoader classes) {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        if (classes != null) {
            thread.setContextClassLoader(classes);
        }
        try {
            return SpecRun.run(spec, impl, null, SpecChecker.Progress.NONE, Shard.ALL, ProcessPermission.none(), true);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    /**
     * The DJL adapter's classes, when its build left them: {@code gradproof-djl-*.jar} and {@code lib/} (DJL and
     * PyTorch's natives, copied there by its pom) in {@code target}; empty when either is missing.
     */
    static Optional<ClassLoader> djlClasses(Path target) {
        // one loader per JVM: PyTorch's native library, once loaded by a class loader, cannot be loaded by another
        ClassLoader known = DJL_LOADERS.get(target.toAbsolutePath().normalize());
        if (known != null) {
            return Optional.of(known);
        }
        Path lib = target.resolve("lib");
        if (!Files.isDirectory(lib)) {
            return Optional.empty();
        }
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "gradproof-djl-*.jar")) {
            for (Path jar : jars) {
                ClassLoader loader = UserClassPath.loader(jar + File.pathSeparator + lib + File.separator + "*",
                        DJL_TARGET.toString(), true, ConformanceCommand.class.getClassLoader());
                DJL_LOADERS.put(target.toAbsolutePath().normalize(), loader);
                return Optional.of(loader);
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
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
            case FORWARD_DIFFERS -> "convention: " + lossFactor(r).orElseGet(() -> finding(r, "convention", "loss"));
            case MISMATCH -> summedBatch(r).orElseGet(() -> "mismatch: " + finding(r, "constant factor", "where"));
            case ERROR -> "error: " + firstLine(r.error());
        };
    }

    /**
     * A mismatch that the check itself found to be exactly the batch-summed gradient at every parameter
     * ({@link SummedBatchGradient}): the convention and its evidence, up to the explanation.
     */
    private static Optional<String> summedBatch(SpecResult r) {
        return r.findings().stream().filter(f -> f.startsWith(SummedBatchGradient.FINDING)).findFirst()
                .map(f -> f.indexOf("): ") > 0 ? f.substring(0, f.indexOf("): ") + 1) : firstLine(f));
    }

    /**
     * A forward-differs verdict's convention is the factor its loss differs by (its gradient is that loss's
     * gradient, or the verdict would be a mismatch): {@code loss and gradient ×2: its squared error has no ½ ...},
     * from the check's {@code loss:} finding.
     */
    private static Optional<String> lossFactor(SpecResult r) {
        java.util.regex.Pattern loss = java.util.regex.Pattern.compile("loss: its loss is .* \\(ratio ([^)]+)\\)(?:: (.*))?");
        for (String f : r.findings()) {
            java.util.regex.Matcher m = loss.matcher(f.lines().findFirst().orElse(""));
            if (m.matches()) {
                return Optional.of("loss and gradient " + (m.group(2) != null ? m.group(2) : "×" + m.group(1)
                        + ", its gradient its own loss's"));
            }
        }
        return Optional.empty();
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
