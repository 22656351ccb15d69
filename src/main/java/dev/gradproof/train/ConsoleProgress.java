package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import org.apiguardian.api.API;

/**
 * Progress of long training on standard error, only after the first second: on a terminal one line
 * rewritten in place, otherwise a line every ten seconds (so CI logs stay short).
 */
@API(status = INTERNAL, since = "0.2")
public final class ConsoleProgress implements Trainer.Progress {
    private static final long QUIET_NANOS = 1_000_000_000L;
    private static final long LOG_EVERY_NANOS = 10_000_000_000L;

    private final PrintWriter err;
    private final boolean terminal;
    private final String what;
    private final long total;
    private final AtomicLong done = new AtomicLong();
    private final long started = System.nanoTime();
    private long lastShown;
    private boolean shown;

    /**
     * @param what  e.g. {@code training two-moons-4-layer}
     * @param total epochs over every run
     */
    public ConsoleProgress(PrintWriter err, boolean terminal, String what, long total) {
        this.err = err;
        this.terminal = terminal;
        this.what = what;
        this.total = Math.max(1, total);
    }

    public static boolean onTerminal() {
        return System.console() != null;
    }

    @Override
    public void epochs(int n) {
        long d = done.addAndGet(n);
        long now = System.nanoTime();
        if (now - started < QUIET_NANOS) {
            return;
        }
        synchronized (this) {
            if (terminal) {
                if (now - lastShown < 200_000_000L && d < total) {
                    return;
                }
                err.print("\r  " + line(d, now));
            } else {
                if (shown && now - lastShown < LOG_EVERY_NANOS) {
                    return;
                }
                err.println("  " + line(d, now));
            }
            err.flush();
            lastShown = now;
            shown = true;
        }
    }

    private String line(long d, long now) {
        return String.format(Locale.ROOT, "%s: %d%% of %,d epochs, %.0f s", what, Math.min(100, 100 * d / total), total,
                (now - started) / 1e9);
    }

    /** Removes the in-place line, if one was drawn. */
    public synchronized void clear() {
        if (shown && terminal) {
            err.print("\r\033[K");
            err.flush();
        }
    }
}
