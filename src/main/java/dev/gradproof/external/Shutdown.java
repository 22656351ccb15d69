package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apiguardian.api.API;

/**
 * gradproof's one JVM shutdown hook, and the order it keeps when Ctrl-C or SIGTERM arrives:
 * <ol>
 *   <li>the gate closes: {@link #begun()} says true and no child starts from then on;</li>
 *   <li>the last words registered with {@link #onShutdown} run (a partial report): whatever they
 *       save was recorded before the gate closed, so it cannot hold an error the shutdown caused;</li>
 *   <li>every child still running is killed with everything it started.</li>
 * </ol>
 * The main thread keeps running while hooks run. Without this order a child killed by the shutdown
 * was seen by the main thread as a crash, recorded as the implementation's error and written into a
 * report marked complete, or the next spec started a child after the children had been killed.
 * Registering does not touch {@link Runtime}'s hooks, so nothing here can fail with "Shutdown in
 * progress".
 */
@API(status = INTERNAL, since = "0.2")
public final class Shutdown {
    private static final Object GATE = new Object();
    private static volatile boolean begun;
    /** Every child started and not yet killed; guarded by GATE. */
    private static final Set<ChildProcess> LIVE = new LinkedHashSet<>();
    private static final List<Runnable> LAST_WORDS = new CopyOnWriteArrayList<>();

    static {
        try {
            Runtime.getRuntime().addShutdownHook(new Thread(Shutdown::run, "gradproof-shutdown"));
        } catch (IllegalStateException alreadyShuttingDown) {
            begun = true;
        }
    }

    private Shutdown() {
    }

    /** Whether the JVM is shutting down: a child that fails from now on may have been killed by it. */
    public static boolean begun() {
        return begun;
    }

    /** A registration of last words; closing it takes them back (closing twice is harmless). */
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }

    /** Runs {@code lastWords} at shutdown, before any child is killed, unless taken back first. */
    public static Registration onShutdown(Runnable lastWords) {
        LAST_WORDS.add(lastWords);
        return () -> LAST_WORDS.remove(lastWords);
    }

    /** How a child is started; called with the gate held. */
    interface Start {
        ChildProcess start() throws IOException;
    }

    /**
     * Starts a child unless the JVM is shutting down, and keeps it for the hook. The start holds the
     * gate, so the hook either sees the child or the child is never started.
     *
     * @throws IllegalStateException when the JVM is shutting down
     */
    static ChildProcess launch(Start start) throws IOException {
        synchronized (GATE) {
            if (begun) {
                throw new IllegalStateException("not started: gradproof is shutting down");
            }
            ChildProcess c = start.start();
            LIVE.add(c);
            return c;
        }
    }

    /** The child is dead with all it started: the hook need not look for it. */
    static void forget(ChildProcess c) {
        synchronized (GATE) {
            LIVE.remove(c);
        }
    }

    private static void run() {
        List<ChildProcess> children;
        synchronized (GATE) {
            begun = true;
            children = new ArrayList<>(LIVE);
        }
        for (Runnable words : LAST_WORDS) {
            try {
                words.run();
            } catch (RuntimeException | Error e) {
                // one failing must neither stop the others nor leave children running
            }
        }
        for (ChildProcess c : children) {
            c.destroyAll();
        }
        for (ChildProcess c : children) {
            c.kill();
        }
    }
}
