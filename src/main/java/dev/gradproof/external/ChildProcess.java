package dev.gradproof.external;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;

/**
 * One running child: its process, a thread turning stdout into lines on a bounded queue, a thread
 * draining stderr into the last {@value #STDERR_LINES} lines, and a thread writing requests (so a
 * child that stops reading its stdin cannot block the caller). Nothing here waits without a bound.
 * Where setsid exists the child leads a session of its own, and a kill reaches every process in it,
 * including those it started and that outlived it ({@link Sessions}); elsewhere, the descendants seen
 * while it ran.
 */
final class ChildProcess {
    static final int STDERR_LINES = 20;
    /** Longest stderr line kept, in bytes; the rest of the line is dropped. */
    static final int STDERR_LINE_BYTES = 1000;

    /** What the stdout thread saw. */
    sealed interface Out {
    }

    /** A complete line, without its '\n' (and a '\r' before it). */
    record Line(String text) implements Out {
    }

    /** Output that ended without a newline, followed by end of stream. */
    record Partial(String text) implements Out {
    }

    record Eof() implements Out {
    }

    /** A line longer than the limit; the thread stopped reading. */
    record TooLong(long limit) implements Out {
    }

    record ReadFailed(IOException error) implements Out {
    }

    final Process process;
    /** Started through setsid: the child leads a session, and whatever it started is found in it. */
    private final boolean ownSession;
    final BlockingQueue<Out> stdout = new ArrayBlockingQueue<>(16);
    private final ArrayDeque<String> stderrTail = new ArrayDeque<>();
    private final Thread stdoutThread;
    private final Thread stderrThread;
    private final ExecutorService writer;
    private final Set<ProcessHandle> descendantsSeen = ConcurrentHashMap.newKeySet();

    private ChildProcess(Process process, boolean ownSession, int maxLineBytes) {
        this.process = process;
        this.ownSession = ownSession;
        long pid = process.pid();
        stdoutThread = daemon("gradproof-child-" + pid + "-stdout", () -> readStdout(process.getInputStream(), maxLineBytes));
        stderrThread = daemon("gradproof-child-" + pid + "-stderr", () -> drainStderr(process.getErrorStream()));
        writer = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "gradproof-child-" + pid + "-stdin");
            t.setDaemon(true);
            return t;
        });
        stdoutThread.start();
        stderrThread.start();
    }

    /**
     * Starts {@code command} in a session of its own where setsid exists ({@link Sessions}), with the
     * environment {@code environment} allows plus {@code extra}, unless the JVM is shutting down.
     *
     * @param dir the working directory; null for this process's
     * @throws IOException           when the program cannot be started (the message is Java's)
     * @throws IllegalStateException when the JVM is shutting down ({@link Shutdown})
     */
    static ChildProcess start(List<String> command, Path dir, ChildEnvironment environment, Map<String, String> extra,
                              int maxLineBytes) throws IOException {
        ProcessBuilder pb = new ProcessBuilder();
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        environment.applyTo(pb.environment());
        pb.environment().putAll(extra);
        List<String> launched = Sessions.wrap(command, dir, pb.environment());
        pb.command(launched);
        boolean ownSession = launched.size() > command.size();
        return Shutdown.launch(() -> new ChildProcess(pb.start(), ownSession, maxLineBytes));
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }

    Future<?> write(byte[] line) {
        return writer.submit(() -> {
            OutputStream in = process.getOutputStream();
            in.write(line);
            in.flush();
            return null;
        });
    }

    /** Remember the current descendants: once the child is gone they are orphans, out of its tree. */
    void rememberDescendants() {
        try {
            process.descendants().forEach(descendantsSeen::add);
        } catch (RuntimeException ignored) {
            // a process we may not inspect: nothing to remember
        }
    }

    /** Close stdin, so a child reading to end of input exits. */
    void closeStdin() {
        writer.submit(() -> {
            process.getOutputStream().close();
            return null;
        });
    }

    /**
     * Kill the child, every process in its session and every descendant seen, and wait (bounded) until
     * all of them are gone; what is started meanwhile in the session is killed too.
     */
    void kill() {
        destroyAll();
        waitForExit(process.toHandle(), 2000);
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < deadline) {
            List<ProcessHandle> left = sessionMembers();
            descendantsSeen.stream().filter(h -> !gone(h)).forEach(left::add);
            if (left.isEmpty()) {
                break;
            }
            left.forEach(ProcessHandle::destroyForcibly);
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        Shutdown.forget(this);
        stopThreads();
    }

    /** SIGKILL to the child, to every process of its session and to every descendant seen; no waiting. */
    void destroyAll() {
        rememberDescendants();
        process.destroyForcibly();
        sessionMembers().forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : descendantsSeen) {
            h.destroyForcibly();
        }
    }

    /** The processes alive in the child's session (the child's pid is the session's id); empty without one. */
    private List<ProcessHandle> sessionMembers() {
        return ownSession ? Sessions.members(process.pid()) : new ArrayList<>();
    }

    /** Whether the child was started in a session of its own (for tests). */
    boolean ownSession() {
        return ownSession;
    }

    /**
     * After {@code bye}: a gentle end first, then the same as {@link #kill()}.
     *
     * @return whether the child exited by itself within the grace period
     */
    boolean end(long graceMillis) {
        rememberDescendants();
        closeStdin();
        boolean left = waitForExit(process.toHandle(), graceMillis);
        if (!left) {
            process.destroy();
            waitForExit(process.toHandle(), 500);
        }
        kill();
        return left;
    }

    /**
     * Dead, or a zombie: killed orphans are reaped by init only when it gets round to it (about a
     * second in some containers), and until then {@link ProcessHandle#isAlive()} still says true.
     */
    static boolean gone(ProcessHandle h) {
        if (!h.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc/" + h.pid() + "/stat"));
            int end = stat.lastIndexOf(')');
            char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state == 'Z' || state == 'X';
        } catch (IOException | RuntimeException e) {
            return !h.isAlive();
        }
    }

    private static boolean waitForExit(ProcessHandle h, long millis) {
        try {
            h.onExit().get(millis, TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException | ExecutionException e) {
            return !h.isAlive();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !h.isAlive();
        }
    }

    private void stopThreads() {
        writer.shutdownNow();
        stdoutThread.interrupt();
        try {
            // stderr reaches end of stream once every holder of the pipe is dead; wait a little for its last lines
            stderrThread.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Wait (bounded) for the process to exit; true when it has. */
    boolean awaitExit(long millis) {
        return waitForExit(process.toHandle(), millis);
    }

    /** Wait (bounded) for the stderr thread to see the end of the stream, so the tail is complete. */
    void awaitStderr(long millis) {
        try {
            stderrThread.join(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    List<String> stderrTail() {
        synchronized (stderrTail) {
            return new ArrayList<>(stderrTail);
        }
    }

    private void readStdout(InputStream in, int maxLineBytes) {
        byte[] chunk = new byte[65536];
        byte[] line = new byte[8192];
        int length = 0;
        try {
            while (true) {
                int n = in.read(chunk);
                if (n < 0) {
                    if (length > 0) {
                        put(new Partial(decode(line, length)));
                    }
                    put(new Eof());
                    return;
                }
                int start = 0;
                for (int i = 0; i < n; i++) {
                    if (chunk[i] == '\n') {
                        int piece = i - start;
                        if ((long) length + piece > maxLineBytes) {
                            put(new TooLong(maxLineBytes));
                            return;
                        }
                        line = append(line, length, chunk, start, piece);
                        length += piece;
                        put(new Line(decode(line, length)));
                        length = 0;
                        if (line.length > (1 << 20)) {
                            line = new byte[8192];
                        }
                        start = i + 1;
                    }
                }
                int rest = n - start;
                if ((long) length + rest > maxLineBytes) {
                    put(new TooLong(maxLineBytes));
                    return;
                }
                line = append(line, length, chunk, start, rest);
                length += rest;
            }
        } catch (InterruptedException e) {
            // killed: stop reading
        } catch (IOException e) {
            try {
                put(new ReadFailed(e));
            } catch (InterruptedException ignored) {
                // killed
            }
        }
    }

    private static byte[] append(byte[] line, int length, byte[] chunk, int from, int count) {
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(length + count, (int) Math.min(Integer.MAX_VALUE - 8, 2L * line.length)));
        }
        System.arraycopy(chunk, from, line, length, count);
        return line;
    }

    private static String decode(byte[] bytes, int length) {
        if (length > 0 && bytes[length - 1] == '\r') {
            length--;
        }
        return new String(bytes, 0, length, StandardCharsets.UTF_8);
    }

    private void put(Out o) throws InterruptedException {
        stdout.put(o);
    }

    private void drainStderr(InputStream err) {
        byte[] chunk = new byte[8192];
        byte[] line = new byte[STDERR_LINE_BYTES];
        int length = 0;
        boolean cut = false;
        try {
            int n;
            while ((n = err.read(chunk)) >= 0) {
                for (int i = 0; i < n; i++) {
                    byte c = chunk[i];
                    if (c == '\n') {
                        addStderr(decode(line, length) + (cut ? " [...]" : ""));
                        length = 0;
                        cut = false;
                    } else if (length < line.length) {
                        line[length++] = c;
                    } else {
                        cut = true;
                    }
                }
            }
        } catch (IOException e) {
            // stream closed under us: keep what we have
        }
        if (length > 0) {
            addStderr(decode(line, length) + (cut ? " [...]" : ""));
        }
    }

    private void addStderr(String s) {
        synchronized (stderrTail) {
            if (stderrTail.size() == STDERR_LINES) {
                stderrTail.removeFirst();
            }
            stderrTail.addLast(s);
        }
    }

    /** Every process this child is known to have started (for tests). */
    Set<ProcessHandle> descendantsSeen() {
        rememberDescendants();
        return new LinkedHashSet<>(descendantsSeen);
    }
}
