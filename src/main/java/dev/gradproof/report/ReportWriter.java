package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.SpecResult;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import org.apiguardian.api.API;

/**
 * Writes {@code reports/<run-id>/report.json} and {@code summary.md}, then points
 * {@code reports/latest} at that run. Every file is written to a temporary name and renamed, so a
 * reader never sees half a report; {@code latest} is a symbolic link swapped by rename, so it always
 * names a complete earlier run or the new one. Run ids carry a random suffix so two runs at once
 * never share a folder.
 */
@API(status = INTERNAL, since = "0.2")
public final class ReportWriter {
    private static final DateTimeFormatter ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path root;

    public ReportWriter(Path root) {
        this.root = root;
    }

    /** Creates the run's folder. */
    public Path newRun(Instant started) throws IOException {
        Files.createDirectories(root);
        for (int attempt = 0; ; attempt++) {
            String id = ID.format(started) + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
            try {
                return Files.createDirectory(root.resolve(id));
            } catch (FileAlreadyExistsException taken) {
                if (attempt > 20) {
                    throw taken;
                }
            }
        }
    }

    public void write(Path runDir, RunInfo info, List<SpecResult> results) throws IOException {
        writeAtomically(runDir.resolve("report.json"),
                ReportJson.mapper().writeValueAsString(ReportJson.run(info, results)) + "\n");
        writeAtomically(runDir.resolve("summary.md"), SummaryMarkdown.render(info, results));
        if (info.complete()) {
            pointLatestAt(runDir);
        }
    }

    /** Rewrites summary.md once the charts are drawn, so it shows them (see SummaryMarkdown#render). */
    public static void writeSummary(Path runDir, RunInfo info, List<SpecResult> results, List<List<String>> plots)
            throws IOException {
        writeAtomically(runDir.resolve("summary.md"), SummaryMarkdown.render(info, results, plots));
    }

    public static void writeAtomically(Path target, String content) throws IOException {
        writeAtomically(target, content.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes to a temporary name beside the target, readable by all, then renames it into place. */
    public static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = Files.createTempFile(target.toAbsolutePath().getParent(), "." + target.getFileName(), ".tmp");
        try {
            readableByAll(tmp);
            Files.write(tmp, content);
            move(tmp, target);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Temp files start owner-only; a report is for CI publishers and colleagues too. */
    public static void readableByAll(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException notPosix) {
            // other file systems keep their defaults
        }
    }

    private void pointLatestAt(Path runDir) throws IOException {
        Path latest = root.resolve("latest");
        Path tmp = root.resolve(".latest-" + runDir.getFileName());
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, runDir.getFileName());
        if (Files.isDirectory(latest) && !Files.isSymbolicLink(latest)) {
            deleteTree(latest); // an older layout, or a copy someone made: replace it
        }
        move(tmp, latest);
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (var walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
