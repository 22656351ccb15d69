package dev.gradproof.cli;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.report.RunInfo;
import dev.gradproof.report.ShardMerge;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "merge",
        mixinStandardHelpOptions = true,
        description = {
                "Merges the reports of 'gradproof check --shard K/N' into one report.",
                "",
                "Give every shard's run folder (or report.json). The spec files must be where the",
                "shards found them. The merged report equals an unsharded run's, and is written",
                "like one: reports/<run-id>/ and reports/latest.",
                "",
                "A spec the implementation refused in the shards (--skip-refused) stays listed as skipped.",
                "",
                "Exit status: 0 every spec checked met its 'expect'; 1 some did not; 2 missing or",
                "inconsistent shards, unreadable reports, or every spec skipped."},
        sortOptions = false)
final class MergeCommand implements Callable<Integer> {

    @Parameters(paramLabel = "REPORT", arity = "1..*", description = "Shard run folders or report.json files.")
    List<Path> inputs;

    @Option(names = "--reports", paramLabel = "DIR", defaultValue = "reports",
            description = "Where the merged run folder is written (default: ${DEFAULT-VALUE}).")
    Path reports;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec command;

    @Override
    public Integer call() {
        PrintWriter out = command.commandLine().getOut();
        PrintWriter err = command.commandLine().getErr();
        Instant started = Instant.now();
        List<SpecResult> results;
        try {
            results = ShardMerge.merge(inputs);
        } catch (IOException e) {
            err.println("gradproof merge: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        for (SpecResult r : results) {
            out.println(Messages.specLine(r));
            if (!r.metExpectation() || r.verdict() != Verdict.PASS) {
                out.print(Messages.details(r, Medium.CONSOLE));
            }
        }
        try {
            ReportWriter writer = new ReportWriter(reports);
            Path runDir = writer.newRun(started);
            writer.write(runDir, new RunInfo(runDir.getFileName().toString(), started, Instant.now(), true), results);
            out.println("report: " + runDir.resolve("report.json") + " (also " + reports.resolve("latest") + "/)");
        } catch (IOException e) {
            err.println("gradproof merge: could not write the merged report: " + CheckCommand.describe(e));
            return ExitCode.USAGE.code;
        }
        out.println(Messages.closingLine(results));
        out.flush();
        return CheckCommand.exitStatus(results, err);
    }
}
