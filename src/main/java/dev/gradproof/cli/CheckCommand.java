package dev.gradproof.cli;

import dev.gradproof.allure.AllureResultsWriter;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.external.ChildEnvironment;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.ReportJson;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.report.RunInfo;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphRecipe;
import dev.gradproof.run.DeclaredDerivatives;
import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.SpecRun;
import dev.gradproof.run.TrustedCommands;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import dev.gradproof.compare.Shard;
import dev.gradproof.report.plot.PlotWriter;
import java.awt.AWTError;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

@Command(name = "check",
        mixinStandardHelpOptions = true,
        description = {
                "Checks the gradients of the specs given (default: specs/).",
                "",
                "Spec files are checked as given; folders are searched for *.yaml and *.yml.",
                "",
                "Prints one line per spec and the details of each mismatch, writes",
                "reports/<run-id>/report.json and summary.md, and points reports/latest at them.",
                "",
                "Exit status: 0 every spec met its 'expect'; 1 some did not; 2 a usage error or a",
                "spec that could not be read (and did not expect an error). Interrupted (Ctrl-C,",
                "SIGTERM): 130 or 143, the specs finished so far in a report marked incomplete, and",
                "reports/latest left on the last complete run."},
        sortOptions = false)
final class CheckCommand implements Callable<Integer> {

    @Parameters(paramLabel = "SPEC|DIR", arity = "0..*", description = "Spec files or folders (default: specs/).")
    List<Path> paths = new ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Base seed for every spec (overrides the spec's 'seed').")
    Long seed;

    @Option(names = "--trials", paramLabel = "N", description = "Trials per spec (overrides 'check.trials').")
    Integer trials;

    @Option(names = "--recipe", paramLabel = "RECIPE",
            description = "Check one trial exactly as a failure printed it, for example "
                    + "\"seed=-42 examples=1 digits=2 units=1,3\" (one spec file only).")
    String recipe;

    @Option(names = "--impl", paramLabel = "IMPL",
            description = "What to check instead of what each spec names: 'reference', 'java:CLASS' (a "
                    + "NetworkUnderTest on the classpath, or the name of one registered with ServiceLoader), "
                    + "'mutant:NAME' (see 'gradproof mutants list'), or a command speaking the JSON Lines protocol "
                    + "of docs/PROTOCOL.md, such as 'examples/numpy/net'.")
    String impl;

    @Option(names = {"--classpath", "-cp"}, paramLabel = "PATH",
            description = "Where --impl java:CLASS (and a spec's java:) finds your classes: folders and jars "
                    + "separated by ':' (';' on Windows), DIR/* for every jar in DIR. The default is "
                    + "the CLASSPATH variable, read here because java -jar, which ./gradproof runs, ignores it.")
    String classpath;

    @Option(names = "--expect", paramLabel = "EXPECT",
            description = "What every spec is expected to give: 'as-spec' (each spec's own expect), 'pass', "
                    + "'mismatch' or 'forward-differs'. The default is 'pass' under --impl with a command or a "
                    + "Java class, since a spec's declared derivatives never reach another implementation, and "
                    + "'as-spec' otherwise. A spec that cannot be read keeps its own expect.")
    String expectOption;

    @Option(names = "--skip-refused",
            description = "List the specs the implementation refuses (a program's ok: false answer to hello, a "
                    + "Java class's unsupported-operation exception from evaluate) as skipped rather than failed. "
                    + "A run in which every spec was refused is an error, since nothing was checked.")
    boolean skipRefused;

    @Option(names = "--allow-process",
            description = "Let the specs start the programs they name (implementation: {process: ...}). Without it "
                    + "only the commands of the trusted-commands file start (--trust). Read a spec before allowing it.")
    boolean allowProcess;

    @Option(names = "--trust", paramLabel = "FILE",
            description = "The trusted-commands file: commands the specs may start without --allow-process "
                    + "(docs/PROTOCOL.md, Security). Default: the file named by -D" + TRUST_PROPERTY + ", which "
                    + "./gradproof sets to its own trusted-commands.")
    Path trust;

    @Option(names = "--inherit-env",
            description = "Pass the whole environment to the programs checked; by default they see PATH, HOME, the "
                    + "locale, TMPDIR, Python's and the BLAS libraries' settings and GRADPROOF_*, nothing else.")
    boolean inheritEnv;

    @Option(names = "--shard", paramLabel = "K/N",
            description = "Check only shard K of N of each spec's parameters (a deterministic split), for a "
                    + "CI matrix; 'gradproof merge' combines the shards' reports.")
    String shardOption;

    @Option(names = "--json", description = "Print report.json on standard output; the human summary goes to standard error.")
    boolean json;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports",
            description = "Where run folders are written (default: ${DEFAULT-VALUE}).")
    Path reports;

    @Option(names = "--no-report", description = "Do not write report files.")
    boolean noReport;

    @Option(names = "--allure-results", paramLabel = "DIR",
            description = "Also write the specs as Allure results into DIR (one result per spec, with its findings, "
                    + "mismatch table and plots); DIR/history is kept for Allure's trends (README, Allure).")
    Path allureResults;

    @CommandLine.Mixin
    LimitOptions limitOptions = new LimitOptions();

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    /** The system property naming the default trusted-commands file. */
    static final String TRUST_PROPERTY = "gradproof.trust";

    private ImplementationSpec implementation;

    private ProcessPermission permission;

    private Shard shard = Shard.ALL;

    private ClassLoader userClasses;

    /** Notes about how the last spec ran, and those already printed: each is said once per run. */
    private final List<String> notes = new ArrayList<>();
    private final java.util.Set<String> told = new java.util.HashSet<>();

    /** What every spec is expected to give; null for each spec's own expect. */
    private Verdict expected;

    /** Whether {@link #expected} was chosen by --impl rather than by --expect. */
    private boolean expectedByDefault;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        PrintWriter human = json ? err : out;
        List<Path> files = specFiles(err);
        if (files == null || !optionsValid(files, err)) {
            return ExitCode.USAGE.code;
        }
        if (files.isEmpty()) {
            err.println("gradproof check: no spec files (*.yaml, *.yml) in " + (paths.isEmpty() ? "specs/" : paths));
            return ExitCode.USAGE.code;
        }
        SpecLoader loader;
        try {
            loader = new SpecLoader(limitOptions.limits());
        } catch (IllegalArgumentException e) {
            err.println("gradproof check: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        Instant started = Instant.now();
        ReportWriter writer = new ReportWriter(reports);
        Path runDir = null;
        if (!noReport) {
            try {
                runDir = writer.newRun(started);
            } catch (IOException e) {
                err.println("gradproof check: cannot create a report folder under " + reports + ": " + describe(e));
                return ExitCode.USAGE.code;
            }
        }
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        try (RunRecorder recorder = new RunRecorder(writer, runDir, started, err)) {
            // Implementations finds java: classes (and ServiceLoader their registrations) through this loader.
            thread.setContextClassLoader(userClasses);
            return run(loader, files, recorder, runDir, started, out, err, human);
        } finally {
            thread.setContextClassLoader(before);
            if (userClasses != before && userClasses instanceof java.net.URLClassLoader own) {
                try {
                    own.close();
                } catch (IOException ignored) {
                    // the run is over; an open jar is released when the process exits
                }
            }
        }
    }

    /** The spec files named (default specs/), with what was passed over listed on standard error; null on error. */
    private List<Path> specFiles(PrintWriter err) {
        try {
            SpecFiles.Found found = SpecFiles.expand(paths.isEmpty() ? List.of(Path.of("specs")) : paths);
            List<Path> files = found.files();
            for (String skipped : found.skipped()) {
                err.println("gradproof check: skipped " + skipped);
            }
            return files;
        } catch (IOException e) {
            err.println("gradproof check: " + describe(e));
            return null;
        }
    }

    /** Checks the options against each other and the files; prints what is wrong and returns false then. */
    private boolean optionsValid(List<Path> files, PrintWriter err) {
        if (trials != null && trials < 1) {
            err.println("gradproof check: --trials must be at least 1, got " + trials);
            return false;
        }
        if (recipe != null && files.size() != 1) {
            err.println("gradproof check: --recipe needs exactly one spec file, got " + files.size());
            return false;
        }
        // A dense chain's recipe is checked here; a layer graph's (seed, examples, steps, widths: no
        // digits) once the spec is read, in checkOne, where it is known which kind fits.
        if (recipe != null && recipe.contains("digits=")) {
            try {
                TrialRecipe.parse(recipe);
            } catch (IllegalArgumentException e) {
                err.println("gradproof check: --recipe: " + e.getMessage());
                return false;
            }
        }
        if (shardOption != null) {
            try {
                shard = Shard.parse(shardOption);
            } catch (IllegalArgumentException e) {
                err.println("gradproof check: " + e.getMessage());
                return false;
            }
        }
        if (impl != null) {
            try {
                implementation = ImplementationSpec.parseOption(impl);
            } catch (IllegalArgumentException e) {
                err.println("gradproof check: " + e.getMessage());
                return false;
            }
        }
        if (!expectationValid(err)) {
            return false;
        }
        String entries = classpath != null ? classpath : System.getenv("CLASSPATH");
        userClasses = Thread.currentThread().getContextClassLoader();
        if (entries != null && !entries.isBlank()) {
            try {
                boolean given = classpath != null;
                userClasses = UserClassPath.loader(entries, given ? "--classpath" : "CLASSPATH", given, userClasses);
            } catch (IllegalArgumentException e) {
                err.println("gradproof check: " + e.getMessage());
                return false;
            }
        }
        try {
            permission = permission();
        } catch (IOException | IllegalArgumentException e) {
            err.println("gradproof check: " + (e instanceof IOException io ? "trusted-commands file " + describe(io)
                    : e.getMessage()) + (trust == null && !allowProcess ? " (named by -D" + TRUST_PROPERTY + ")" : ""));
            return false;
        }
        return true;
    }

    /** --expect, or its default: pass under an --impl that is a program or a Java class. */
    private boolean expectationValid(PrintWriter err) {
        if (expectOption == null) {
            expectedByDefault = implementation != null && DeclaredDerivatives.foreign(implementation);
            expected = expectedByDefault ? Verdict.PASS : null;
            return true;
        }
        switch (expectOption) {
            case "as-spec" -> expected = null;
            case "pass", "mismatch", "forward-differs" -> expected = Verdict.ofLabel(expectOption);
            default -> {
                err.println("gradproof check: --expect " + expectOption + ": expected as-spec, pass, mismatch or"
                        + " forward-differs");
                return false;
            }
        }
        return true;
    }

    /** Checks the specs, then reports; an interrupted run stops quietly (see RunRecorder). */
    private int run(SpecLoader loader, List<Path> files, RunRecorder recorder, Path runDir, Instant started,
                    PrintWriter out, PrintWriter err, PrintWriter human) {
        boolean specError = false;
        // The progress line redraws itself with \r and an erase sequence: it writes to the terminal directly.
        Progress progress = new Progress(new PrintWriter(System.err, true));
        if (expected != null || expectOption != null) {
            human.println(Messages.expectationLine(expected, expectedByDefault));
        }
        for (Path file : files) {
            if (recorder.interrupted()) {
                return ExitCode.NOT_MET.code;
            }
            SpecResult r = checkOne(loader, file, progress);
            if (!r.metExpectation()) {
                r = r.toBuilder().reproduction(Reproduce.of(r, recipe, impl, shardOption)).build();
            }
            progress.clear();
            if (!recorder.record(r)) {
                return ExitCode.NOT_MET.code;   // the shutdown began: this result may be its doing, and is not reported
            }
            specError |= r.spec() == null && !r.metExpectation();
            human.println(Messages.specLine(r));
            boolean quiet = r.metExpectation() && r.verdict() == Verdict.PASS;
            human.print(quiet ? Messages.warnings(r) : Messages.details(r, noReport ? Medium.CONSOLE_WITHOUT_REPORT : Medium.CONSOLE));
            for (String note : notes) {
                if (told.add(note)) {
                    human.println(note);
                }
            }
            notes.clear();
            human.flush();
        }
        List<SpecResult> results = recorder.results();
        RunInfo info = new RunInfo(runDir == null ? "-" : runDir.getFileName().toString(), started, Instant.now(), true);
        try {
            if (!recorder.commit(info)) {
                return ExitCode.NOT_MET.code;
            }
            if (runDir != null) {
                human.println("report: " + runDir.resolve("report.json") + " (also " + reports.resolve("latest") + "/)");
                try { // plots are extras: a failure here never loses the report or changes the exit status
                    Path plots = runDir.resolve("plots");
                    List<List<String>> charts = PlotWriter.write(plots, results);
                    human.println("plots: " + plots + " (" + charts.stream().mapToInt(List::size).sum() + " files)");
                    ReportWriter.writeSummary(runDir, info, results, charts);
                } catch (Exception | LinkageError | AWTError e) {
                    err.println("gradproof check: warning: could not draw the plots: " + e);
                }
            }
        } catch (IOException e) {
            err.println("gradproof check: could not write the report in " + runDir + ": " + describe(e));
            specError = true;
        }
        if (allureResults != null) {
            try {
                human.println("allure results: " + allureResults + " ("
                        + AllureResultsWriter.write(allureResults, results, started) + " specs)");
            } catch (IOException e) {
                err.println("gradproof check: could not write the Allure results in " + allureResults + ": " + describe(e));
                specError = true;
            }
        }
        if (json) {
            try {
                out.println(ReportJson.mapper().writeValueAsString(ReportJson.run(info, results)));
            } catch (IOException e) {
                err.println("gradproof check: " + describe(e));
            }
        }
        human.println(Messages.closingLine(results));
        human.flush();
        out.flush();
        if (specError) {
            return ExitCode.USAGE.code;
        }
        return exitStatus(results, err);
    }

    /** A run's status from its results (check and merge): a run where every spec was refused checked nothing. */
    static int exitStatus(List<SpecResult> results, PrintWriter err) {
        if (!results.isEmpty() && results.stream().allMatch(SpecResult::isSkipped)) {
            err.println(Messages.everySpecSkipped(results.size()));
            return ExitCode.USAGE.code;
        }
        return results.stream().allMatch(r -> r.isSkipped() || r.metExpectation()) ? ExitCode.OK.code
                : ExitCode.NOT_MET.code;
    }

    private SpecResult checkOne(SpecLoader loader, Path file, Progress progress) {
        Spec spec;
        try {
            spec = loader.load(file);
        } catch (SpecException e) {
            SpecLoader.Declared declared = SpecLoader.declared(file);
            return SpecResult.error(declared.name(), file, null, declared.expect(), e.getMessage(), 0, 0);
        }
        if (seed != null) {
            spec = spec.withSeed(seed);
        }
        if (trials != null) {
            spec = spec.withCheck(spec.check().withTrials(trials));
        }
        if (expected != null) {
            spec = spec.withExpect(new Expectation(expected, null));
        }
        progress.start(spec.name());
        TrialRecipe r = null;
        if (recipe != null && spec.network().isGraph()) {
            return graphRecipe(spec, file);
        }
        if (recipe != null) {
            try {
                r = TrialRecipe.parse(recipe);
            } catch (IllegalArgumentException e) {
                return SpecResult.error(spec.name(), file, spec, spec.expect(), "--recipe: " + e.getMessage(), spec.seed(), 0);
            }
            if (r.units().length != spec.network().layers().size() - 1) {
                return SpecResult.error(spec.name(), file, spec, spec.expect(), "--recipe gives " + r.units().length
                        + " hidden widths, the network has " + (spec.network().layers().size() - 1) + " hidden layers",
                        spec.seed(), 0);
            }
        }
        return SpecRun.run(spec, implementation, r, progress, shard, permission, skipRefused, notes::add);
    }

    /** One trial of a layer graph as a shrunk counterexample printed it, on the reference network. */
    private SpecResult graphRecipe(Spec spec, Path file) {
        if (implementation != null && !implementation.isReference() || !spec.implementation().isReference()) {
            return SpecResult.error(spec.name(), file, spec, spec.expect(), "--recipe redraws a layer graph's trial "
                    + "on the spec's reference network only (a counterexample is shrunk there)", spec.seed(), 0);
        }
        try {
            return GraphSpecChecker.runCase(GraphFactory.materialize(spec, GraphRecipe.parse(recipe)),
                    GraphTrialCheck.Analytic.REFERENCE);
        } catch (IllegalArgumentException e) {
            return SpecResult.error(spec.name(), file, spec, spec.expect(), "--recipe: " + e.getMessage(), spec.seed(), 0);
        }
    }

    /** --allow-process, or the trusted-commands file (--trust, else -Dgradproof.trust), and --inherit-env. */
    private ProcessPermission permission() throws IOException {
        ProcessPermission p;
        String fromProperty = System.getProperty(TRUST_PROPERTY, "");
        if (allowProcess) {
            p = ProcessPermission.all();
        } else if (trust != null) {
            p = ProcessPermission.trusting(TrustedCommands.read(trust));
        } else if (!fromProperty.isBlank()) {
            p = ProcessPermission.trusting(TrustedCommands.read(Path.of(fromProperty)));
        } else {
            p = ProcessPermission.none();
        }
        return p.withEnvironment(inheritEnv ? ChildEnvironment.INHERITED : ChildEnvironment.MINIMAL)
                .withHowToAllow("run with --allow-process, or add the command to a trusted-commands file named with --trust FILE");
    }

    static String describe(IOException e) {
        if (e instanceof NoSuchFileException n) {
            return n.getFile() + ": no such file or folder";
        }
        if (e instanceof FileAlreadyExistsException x) {
            return x.getFile() + " exists and is not a folder";
        }
        if (e instanceof AccessDeniedException a) {
            return a.getFile() + ": permission denied";
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** A one-line progress display on standard error, only on a terminal and only for slow specs. */
    static final class Progress implements SpecChecker.Progress {
        private final PrintWriter err;
        private final boolean terminal = System.console() != null;
        private String name;
        private long started;
        private boolean shown;

        Progress(PrintWriter err) {
            this.err = err;
        }

        void start(String specName) {
            name = specName;
            started = System.nanoTime();
            shown = false;
        }

        @Override
        public synchronized void update(long done, long total) {
            if (!terminal || System.nanoTime() - started < 1_000_000_000L || (done % 50 != 0 && done != total)) {
                return;
            }
            err.print("\r  checking " + name + ": " + done + "/" + total + " parameter-trials");
            err.flush();
            shown = true;
        }

        void clear() {
            if (shown) {
                err.print("\r\033[K");
                err.flush();
            }
        }
    }
}
