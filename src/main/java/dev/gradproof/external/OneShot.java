package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * Runs a command that prints its answer and exits (another checker's benchmark, a version probe),
 * with every wait bounded. Built on {@link ChildProcess}, so a child that hangs is killed together
 * with whatever it started, and a failure carries the child's last stderr lines.
 */
@API(status = INTERNAL, since = "0.2")
public final class OneShot {
    /** Longest stdout line read; the answers expected are one JSON line. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** Stdout lines kept; a chatty child cannot fill the memory. */
    static final int MAX_LINES = 1000;

    private OneShot() {
    }

    /**
     * Runs {@code command} in {@code dir} (null: this process's) with {@code env} added to this
     * process's environment (all of it: these commands are gradproof's own choice, never a spec's),
     * and returns its stdout lines once it exits with code 0.
     *
     * @throws IOException when it cannot start, does not finish within {@code timeout} (it is then
     *                     killed), exits with another code, or prints a line over 1 MiB
     */
    public static List<String> run(List<String> command, Path dir, Map<String, String> env, Duration timeout)
            throws IOException {
        String display = String.join(" ", command);
        Map<String, String> extra = new HashMap<>(env);
        extra.put("PYTHONUNBUFFERED", "1");
        ChildProcess c;
        try {
            c = ChildProcess.start(command, dir, ChildEnvironment.INHERITED, extra, MAX_LINE_BYTES);
        } catch (IOException | IllegalStateException e) {
            throw new IOException(display + ": could not start: " + e.getMessage(), e);
        }
        try {
            List<String> lines = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                long left = deadline - System.nanoTime();
                ChildProcess.Out out = left > 0 ? c.stdout.poll(Math.min(left, 50_000_000L), TimeUnit.NANOSECONDS) : null;
                if (left <= 0) {
                    throw failure(c, display + ": did not finish within " + ProcessNetwork.human(timeout) + "; killed it");
                }
                if (out instanceof ChildProcess.Line line && lines.size() < MAX_LINES) {
                    lines.add(line.text());
                } else if (out instanceof ChildProcess.Partial partial && lines.size() < MAX_LINES) {
                    lines.add(partial.text());
                } else if (out instanceof ChildProcess.TooLong tooLong) {
                    throw failure(c, display + ": printed a line longer than " + tooLong.limit() + " bytes");
                } else if (out instanceof ChildProcess.ReadFailed failed) {
                    throw failure(c, display + ": reading its output failed: " + failed.error().getMessage());
                } else if (out instanceof ChildProcess.Eof) {
                    break;
                }
            }
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!c.awaitExit(left)) {
                throw failure(c, display + ": closed its output but did not exit within " + ProcessNetwork.human(timeout)
                        + "; killed it");
            }
            if (c.process.exitValue() != 0) {
                throw failure(c, display + ": exited with code " + c.process.exitValue());
            }
            return lines;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw failure(c, display + ": interrupted; killed it");
        } finally {
            c.kill();
        }
    }

    private static IOException failure(ChildProcess c, String message) {
        c.kill();
        return new IOException(message + ProcessNetwork.stderrSuffix(c));
    }
}
