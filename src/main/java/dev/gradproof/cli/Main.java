package dev.gradproof.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

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
        subcommands = {CheckCommand.class, MergeCommand.class, MutantsCommand.class, TrainCommand.class,
                TeachCommand.class, BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'gradproof COMMAND --help' for a command's options.",
                "Spec format: specs/README.md. Reports: docs/REPORT.md.",
                "How tolerances are derived: docs/TOLERANCE.md."})
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

    /** The configured command line; tests set its output writers. */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Main());
        // Descriptions are written as lines of up to ~95 characters: wrap only beyond that.
        cl.setUsageHelpWidth(100);
        cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("gradproof: internal error: " + ex);
            cmd.getErr().println("Please report it with the spec that caused it.");
            return 3;
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
