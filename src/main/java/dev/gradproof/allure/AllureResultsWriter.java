package dev.gradproof.allure;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.Numbers;
import dev.gradproof.report.ReportJson;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.report.plot.Plots;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.apiguardian.api.API;

/**
 * {@code check --allure-results DIR}: the specs of a command-line run as Allure results, one
 * {@code <uuid>-result.json} per spec, its attachments beside it, and {@code categories.json}. Plain JSON
 * written with Jackson, so the command line needs no Allure library (Allure's result format:
 * allurereport.org/docs/how-it-works-test-result-file).
 *
 * <p>The previous run's results in DIR are removed first (a spec would otherwise show as its own retry),
 * but {@code DIR/history} stays: that is where Allure 2 looks for the trend of earlier runs (README,
 * "Allure report of a command-line run").
 */
@API(status = INTERNAL, since = "0.2")
public final class AllureResultsWriter {
    public static final String ATTACH_CSV = "mismatches (CSV)";
    public static final String ATTACH_FINDINGS = "findings";

    private AllureResultsWriter() {
    }

    /** Writes the results of a run that started at {@code started}; returns how many result files were written. */
    public static int write(Path dir, List<SpecResult> results, Instant started) throws IOException {
        Files.createDirectories(dir);
        removePreviousResults(dir);
        long clock = started.toEpochMilli();
        for (SpecResult r : results) {
            long stop = clock + Math.max(0, Math.round(r.seconds() * 1000));
            writeResult(dir, r, clock, stop);
            clock = stop;
        }
        ReportWriter.writeAtomically(dir.resolve("categories.json"),
                ReportJson.mapper().writeValueAsString(categories()) + "\n");
        return results.size();
    }

    private static void removePreviousResults(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) {
                String name = f.getFileName().toString();
                if (Files.isRegularFile(f) && (name.endsWith("-result.json") || name.endsWith("-container.json")
                        || name.contains("-attachment") || name.equals("categories.json"))) {
                    Files.delete(f);
                }
            }
        }
    }

    private static void writeResult(Path dir, SpecResult r, long start, long stop) throws IOException {
        String uuid = UUID.randomUUID().toString();
        String fullName = r.file() == null ? r.name() : r.file().normalize().toString().replace('\\', '/');
        ObjectNode n = ReportJson.mapper().createObjectNode();
        n.put("uuid", uuid);
        n.put("historyId", md5(fullName));
        n.put("testCaseId", md5(fullName));
        n.put("name", r.name());
        n.put("fullName", fullName);
        n.put("status", status(r));
        n.putObject("statusDetails").put("message", message(r));
        n.put("stage", "finished");
        n.put("start", start);
        n.put("stop", stop);
        labels(n.putArray("labels"), r);
        ArrayNode parameters = n.putArray("parameters");
        parameter(parameters, "seed", Long.toString(r.spec() != null ? r.spec().seed() : r.seed()));
        parameter(parameters, "trials", Integer.toString(r.trials()));
        if (r.spec() != null) {
            parameter(parameters, "mode", r.spec().check().directions() > 0
                    ? "fast (" + r.spec().check().directions() + " directions)" : "exhaustive");
        }
        n.putArray("steps");
        ArrayNode attachments = n.putArray("attachments");
        if (!MismatchCsv.rows(r).isEmpty()) {
            attach(dir, attachments, ATTACH_CSV, "text/csv", ".csv",
                    MismatchCsv.csv(MismatchCsv.rows(r)).getBytes(StandardCharsets.UTF_8));
        }
        attach(dir, attachments, ATTACH_FINDINGS, "text/plain", ".txt",
                (Messages.specLine(r) + "\n" + underTheSpecLine(r)).getBytes(StandardCharsets.UTF_8));
        plots(dir, attachments, r);
        ReportWriter.writeAtomically(dir.resolve(uuid + "-result.json"), ReportJson.mapper().writeValueAsString(n) + "\n");
    }

    /** Charts are extras, as in the run folder: one that cannot be drawn (no fonts, no AWT) is left out. */
    private static void plots(Path dir, ArrayNode attachments, SpecResult r) throws IOException {
        List<Plots.Plot> plots;
        try {
            plots = Plots.forSpec(r);
        } catch (RuntimeException | LinkageError | java.awt.AWTError e) {
            return;
        }
        for (Plots.Plot p : plots) {
            attach(dir, attachments, p.fileName(), "image/png", ".png", p.png());
        }
    }

    private static void attach(Path dir, ArrayNode attachments, String name, String type, String extension, byte[] content)
            throws IOException {
        String source = UUID.randomUUID() + "-attachment" + extension;
        ReportWriter.writeAtomically(dir.resolve(source), content);
        attachments.addObject().put("name", name).put("source", source).put("type", type);
    }

    /**
     * The check's outcome, as the console's ok/FAIL and the JUnit adapter's test have it: a spec that met
     * its expect passed (a bug twin that mismatches as it should is green); one that did not failed, or is
     * broken when no check ran; a spec the implementation refused (--skip-refused) is skipped. The
     * verdict itself is the {@code verdict} label and the message's first word.
     */
    static String status(SpecResult r) {
        if (r.isSkipped()) {
            return "skipped";
        }
        if (r.metExpectation()) {
            return "passed";
        }
        return r.verdict() == Verdict.ERROR ? "broken" : "failed";
    }

    /** error: blocker; mismatch: critical; forward-differs: normal; pass: minor. */
    static String severity(Verdict v) {
        return switch (v) {
            case ERROR -> "blocker";
            case MISMATCH -> "critical";
            case FORWARD_DIFFERS -> "normal";
            case PASS -> "minor";
        };
    }

    /**
     * The verdict first (categories.json matches on it), what was expected, the headline, then every line
     * the console prints under the spec.
     */
    static String message(SpecResult r) {
        if (r.isSkipped()) {
            return "skipped: " + r.skipped();
        }
        StringBuilder sb = new StringBuilder(r.verdict().label()).append(" (expected ")
                .append(r.expect().verdict().label()).append(")");
        if (r.verdict() == Verdict.ERROR) {
            return sb.append(": ").append(r.error()).toString();
        }
        if (r.mismatches().isEmpty()) {
            sb.append(": max rel. error ").append(Numbers.g(r.maxRelativeError()));
        }
        return (sb.append('\n') + underTheSpecLine(r).replaceAll("(?m)^  ", "")).stripTrailing();
    }

    /** What the console prints under the spec's line: the details, or for a clean pass its warnings. */
    static String underTheSpecLine(SpecResult r) {
        boolean quiet = r.metExpectation() && r.verdict() == Verdict.PASS;
        return quiet ? Messages.warnings(r) : Messages.details(r, Medium.ALLURE);
    }

    /** epic: the spec's top folder ({@code specs}); feature: its folder ({@code specs/reliability}); suite likewise. */
    private static void labels(ArrayNode labels, SpecResult r) {
        Path dir = r.file() == null ? null : r.file().normalize().getParent();
        String folder = dir == null ? "." : dir.toString().replace('\\', '/');
        label(labels, "epic", dir == null ? "." : dir.getName(0).toString());
        label(labels, "feature", folder);
        label(labels, "story", r.name());
        label(labels, "suite", folder + "/");
        label(labels, "severity", severity(r.verdict()));
        label(labels, "verdict", r.verdict().label());
        label(labels, "expect", r.expect().verdict().label());
        label(labels, "framework", "gradproof");
    }

    private static void label(ArrayNode labels, String name, String value) {
        labels.addObject().put("name", name).put("value", value);
    }

    private static void parameter(ArrayNode parameters, String name, String value) {
        parameters.addObject().put("name", name).put("value", value);
    }

    /**
     * Allure's defect categories for the specs that did not meet their expect, matched on the status and the
     * message's first word (the verdict).
     */
    static ArrayNode categories() {
        ArrayNode c = ReportJson.mapper().createArrayNode();
        category(c, "Gradient mismatch", "failed", "(?s)^mismatch .*");
        category(c, "Forward pass differs", "failed", "(?s)^forward-differs .*");
        category(c, "Check could not run (error)", "broken", "(?s)^error .*");
        category(c, "Expected mismatch not found", "failed", "(?s)^pass \\(expected .*");
        return c;
    }

    private static void category(ArrayNode c, String name, String status, String regex) {
        ObjectNode n = c.addObject();
        n.put("name", name);
        n.putArray("matchedStatuses").add(status);
        n.put("messageRegex", regex);
    }

    private static String md5(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has MD5", e);
        }
    }
}
