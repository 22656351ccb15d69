package dev.gradproof.cli;

import static org.apiguardian.api.API.Status.INTERNAL;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.Writer;
import picocli.CommandLine.Command;
import org.apiguardian.api.API;

/** Entry point of {@code ./gradproof}. */
@Command(name = "gradproof",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = {
                "Proves backpropagation gradients right, or shows exactly where they are wrong.",
                "",
                "A spec (a YAML file) describes a network, a loss and data. gradproof compares",
                "the analytic backprop gradient, parameter by parameter, with exact derivatives",
                "(Commons Math DerivativeStructure) and with finite differences."},
        subcommands = {CheckCommand.class, MergeCommand.class, MutantsCommand.class, TrainCommand.class, ConformanceCommand.class,
                TeachCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'gradproof COMMAND --help' for a command's options.",
                "Spec format: specs/README.md. Reports: docs/REPORT.md.",
                "How tolerances are derived: docs/TOLERANCE.md."})
@API(status = INTERNAL, since = "0.2")
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit status: 0 all specs met, 1 some did not, 2 usage or spec error. */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    /** The configured command line, printing to standard output and error. */
    static CommandLine commandLine() {
        return commandLine(new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    }

    /** The configured command line printing to {@code out} and {@code err}, through {@link TerminalSafeWriter}. */
    static CommandLine commandLine(Writer out, Writer err) {
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(new TerminalSafeWriter(out), true));
        cl.setErr(new PrintWriter(new TerminalSafeWriter(err), true));
        // Plain help: colour codes would be escaped like any other control character.
        cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
        // Descriptions are written as lines of up to ~95 characters: wrap only beyond that.
        cl.setUsageHelpWidth(100);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("gradproof: internal error: " + ex);
            cmd.getErr().println("Please report it with the spec that caused it.");
            return ExitCode.INTERNAL.code;
        });
        return cl;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {"gradproof " + (v == null ? "(development build)" : v)};
        }
    }
}
