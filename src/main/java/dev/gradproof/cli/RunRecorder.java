package dev.gradproof.cli;

import dev.gradproof.compare.SpecResult;
import dev.gradproof.external.Shutdown;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.report.RunInfo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The results of one {@code check} run and the report they become, written once: complete when every
 * spec has finished, or, when Ctrl-C or SIGTERM comes first, partial ({@code "complete": false}, the
 * specs recorded before the signal), with {@code reports/latest} left on the last complete run.
 *
 * <p>The JVM runs shutdown hooks while the main thread carries on, so the two race. One lock and
 * {@link Shutdown}'s order settle it: nothing is recorded once the shutdown has begun (a child killed
 * by it fails, and that failure is not the implementation's), the shutdown writes the partial report
 * before any child is killed, and a complete report being written when the signal arrives is
 * finished first (the shutdown waits for it, up to {@value #COMMIT_WAIT_SECONDS} s) and then left
 * alone.
 */
final class RunRecorder implements AutoCloseable {
    static final long COMMIT_WAIT_SECONDS = 10;

    private enum State { RUNNING, COMMITTED, INTERRUPTED, CLOSED }

    private final ReentrantLock lock = new ReentrantLock();
    private final ReportWriter writer;
    private final Path runDir;
    private final Instant started;
    private final PrintWriter err;
    private final List<SpecResult> results = new ArrayList<>();
    private volatile State state = State.RUNNING;
    private final Shutdown.Registration registration;

    /**
     * @param runDir the run's folder; null when no report is written
     * @param err    where the shutdown says what it saved
     */
    RunRecorder(ReportWriter writer, Path runDir, Instant started, PrintWriter err) {
        this.writer = writer;
        this.runDir = runDir;
        this.started = started;
        this.err = err;
        this.registration = Shutdown.onShutdown(this::interrupt);
    }

    /** Records a finished spec; false, and nothing recorded, once the JVM is shutting down. */
    boolean record(SpecResult result) {
        lock.lock();
        try {
            if (state != State.RUNNING || Shutdown.begun()) {
                return false;
            }
            results.add(result);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the run was interrupted: stop, print nothing more; the shutdown has said what it saved. */
    boolean interrupted() {
        return state == State.INTERRUPTED || (state == State.RUNNING && Shutdown.begun());
    }

    List<SpecResult> results() {
        lock.lock();
        try {
            return List.copyOf(results);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Writes the complete report and points {@code latest} at it (with no run folder: only marks the
     * run finished), unless the shutdown came first.
     *
     * @return false when the run was interrupted (nothing written here)
     * @throws IOException when the report cannot be written; the shutdown then writes nothing either
     */
    boolean commit(RunInfo info) throws IOException {
        lock.lock();
        try {
            if (state != State.RUNNING || Shutdown.begun()) {
                return false;
            }
            state = State.COMMITTED;
            if (runDir != null) {
                writer.write(runDir, info, results);
            }
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** At shutdown: the partial report, unless the run has ended or the complete report is written. */
    private void interrupt() {
        try {
            if (!lock.tryLock(COMMIT_WAIT_SECONDS, TimeUnit.SECONDS)) {
                err.println("gradproof check: interrupted while the report was being written; it may be incomplete");
                err.flush();
                return;
            }
        } catch (InterruptedException e) {
            return;
        }
        try {
            if (state != State.RUNNING) {
                return;
            }
            state = State.INTERRUPTED;
            String specs = results.size() + (results.size() == 1 ? " spec" : " specs") + " finished";
            if (runDir == null) {
                err.println("gradproof check: interrupted (" + specs + ")");
            } else {
                writer.write(runDir, new RunInfo(runDir.getFileName().toString(), started, Instant.now(), false), results);
                err.println("gradproof check: interrupted; partial report (" + specs + ", \"complete\": false) in "
                        + runDir.resolve("report.json") + "; latest still names the last complete run");
            }
        } catch (IOException | RuntimeException e) {
            err.println("gradproof check: interrupted; could not write the partial report in " + runDir + ": " + e.getMessage());
        } finally {
            err.flush();
            lock.unlock();
        }
    }

    /** The run is over (reported, failed or interrupted): a later shutdown leaves its folder alone. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (state == State.RUNNING) {
                state = State.CLOSED;
            }
        } finally {
            lock.unlock();
        }
        registration.close();
    }
}
