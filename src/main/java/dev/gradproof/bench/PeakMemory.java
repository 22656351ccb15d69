package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;
import dev.gradproof.spec.Spec;
import org.apiguardian.api.API;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code gradproof bench --memory}: issue #17's memory target. Every bundled spec is checked by a fresh
 * {@code ./gradproof check SPEC --no-report}, as a user runs it, with the launcher's own heap settings (no
 * {@code -Xmx}: the JVM's default, a quarter of the RAM), and the JVM's peak resident set is read from
 * {@code /proc/PID/status} ({@code VmHWM}) while it runs. The launcher {@code exec}s java, so the process
 * started is the JVM once its name reads {@code java}; exec starts a new address space, so the launcher
 * shell's own pages are not in the figure. The JVM's peak heap comes from its {@code -Xlog:gc} lines.
 */
@API(status = INTERNAL, since = "0.2")
public final class PeakMemory {
    /** The bound, in the table's megabytes (10^6 bytes): the stricter reading of "2 GB". */
    static final double BOUND_MEGABYTES = 2000;
    /** How often VmHWM is read: it only grows, so what is missed is the growth of the last interval. */
    static final long POLL_MILLIS = 10;

    public static final String HEADER = "| spec | parameters × examples | seconds | peak RSS MB | peak heap MB "
            + "| within 2 GB | check |\n|---|---|---|---|---|---|---|";

    private static final Pattern STATUS_FIELD = Pattern.compile("(?m)^([A-Za-z_]+):\\s*(.*?)\\s*$");
    private static final Pattern KILOBYTES = Pattern.compile("(\\d+) kB");
    /** {@code GC(3) Pause Young (Normal) (G1 Evacuation Pause) 48M->28M(388M) 0.717ms}: the heap before it. */
    private static final Pattern GC_BEFORE = Pattern.compile("\\bGC\\(\\d+\\) .* (\\d+)([KMG])->\\d+[KMG]\\(\\d+[KMG]\\)");
    /** The exit summary: {@code garbage-first heap   total 397312K, used 209807K [...]}. */
    private static final Pattern EXIT_USED = Pattern.compile("\\bheap\\s+total \\d+K, used (\\d+)K");
    /**
     * The check's line: {@code ok    NAME: pass (expected pass), 1 trial x 300 of 10,285 parameters, ...}; a spec
     * that expects an error has no trials ({@code ok    NAME: error (expected error), 0.00 s}).
     */
    private static final Pattern CHECK_LINE = Pattern.compile(
            "^(ok|FAIL)\\s+[^:]+: (\\S+) (?:.*?, \\d+ trials? x (?:[\\d,]+ of )?([\\d,]+) parameters)?");

    /**
     * One spec's figures; NaN where one was not measured, {@code parameters} and {@code examples} 0 when
     * unknown; {@code finished} false when the check was killed at the timeout (its peak so far is a floor).
     */
    public record Row(String spec, long parameters, int examples, double seconds, double rssMegabytes,
                      double heapMegabytes, boolean finished, String check) {
        public String markdown() {
            return String.format(Locale.ROOT, "| %s | %s | %.2f | %s | %s | %s | %s |", spec,
                    parameters > 0 && examples > 0 ? String.format(Locale.ROOT, "%,d × %,d", parameters, examples) : "-",
                    seconds, megabytes(rssMegabytes), megabytes(heapMegabytes), within(), check);
        }

        /** {@code met} within the bound, {@code **missed**} over it, {@code -} when the peak is unknown or a floor. */
        public String within() {
            if (Double.isNaN(rssMegabytes) || !finished && rssMegabytes <= BOUND_MEGABYTES) {
                return "-";
            }
            return rssMegabytes <= BOUND_MEGABYTES ? "met" : "**missed**";
        }
    }

    /** @param launcher {@code gradproof}, run as {@code ./gradproof} from the working directory (as given when it names a directory) */
    public record Options(Path specDir, Path launcher, String only, Duration timeout) {
    }

    private PeakMemory() {
    }

    /** The table: header, a row per spec, then notes (how it was measured, what could not be). */
    public static List<String> run(Options o, Consumer<String> progress) throws IOException {
        if (!Files.isRegularFile(o.launcher())) {
            throw new NoSuchFileException(o.launcher() + " not found (run gradproof bench --memory from the repository root)");
        }
        List<Path> specs = bundled(o.specDir(), o.only());
        if (specs.isEmpty()) {
            throw new IOException("no spec under " + o.specDir() + " has \"" + o.only() + "\" in its path");
        }
        List<String> notes = new ArrayList<>();
        // A launch that rebuilds the jar would be timed: the first launch, unmeasured, builds it if the sources changed.
        run(o, List.of("--version"), null);
        List<String> out = new ArrayList<>(List.of(HEADER));
        int met = 0;
        int missed = 0;
        for (Path spec : specs) {
            progress.accept("checking " + spec);
            Row r = measure(o, spec, notes);
            met += r.within().equals("met") ? 1 : 0;
            missed += r.within().equals("met") || r.within().equals("-") ? 0 : 1;
            out.add(r.markdown());
            progress.accept(out.get(out.size() - 1));
        }
        out.add("");
        notes.add(String.format(Locale.ROOT, "%d specs: %d within 2 GB (a peak RSS of at most 2,000 MB), %d over it, "
                + "%d not measured", specs.size(), met, missed, specs.size() - met - missed));
        notes.add(String.format(Locale.ROOT, "each a fresh `./gradproof check SPEC --no-report` with the launcher's heap "
                + "default (JAVA_OPTS only adds -Xlog:gc); seconds: the whole process; peak RSS: the JVM's VmHWM, read "
                + "every %d ms; peak heap: the largest heap occupancy its GC log shows (before a collection, or at exit); "
                + "programs a spec starts (a numpy child) are not counted; Java %s, %d cores", POLL_MILLIS,
                System.getProperty("java.version"), Runtime.getRuntime().availableProcessors()));
        notes.forEach(n -> out.add("- " + n));
        return out;
    }

    /** The specs {@code ./gradproof check} runs by default, in its order, keeping those whose path contains {@code only}. */
    static List<Path> bundled(Path specDir, String only) throws IOException {
        return SpecFiles.expand(List.of(specDir)).files().stream()
                .filter(p -> only == null || p.toString().contains(only)).toList();
    }

    static Row measure(Options o, Path spec, List<String> notes) throws IOException {
        Path gcLog = Files.createTempFile("gradproof-gc", ".log");
        try {
            long t0 = System.nanoTime();
            Run r = run(o, List.of("check", spec.toString(), "--no-report"), gcLog);
            double seconds = (System.nanoTime() - t0) / 1e9;
            String name = o.specDir().relativize(spec).toString();
            if (r.timedOut()) {
                notes.add(name + ": did not finish within " + o.timeout().toSeconds() + " s; killed it (the RSS is up to then)");
            }
            if (r.rssKilobytes() < 0) {
                notes.add(name + ": its JVM's VmHWM could not be read (it ended before the first reading)");
            }
            String[] check = checkLine(r.output());
            if (check == null) {
                String last = r.output().isEmpty() ? "(no output)" : r.output().get(r.output().size() - 1);
                notes.add(name + ": exit " + r.exitCode() + ", no check line; last line: " + last.strip());
            }
            long parameters = check == null ? 0 : Long.parseLong(check[2].replace(",", ""));
            return new Row(name, parameters, examples(spec), seconds,
                    r.rssKilobytes() < 0 ? Double.NaN : r.rssKilobytes() * 1024 / 1e6,
                    peakHeapMegabytes(Files.readAllLines(gcLog, StandardCharsets.UTF_8)), !r.timedOut(),
                    r.timedOut() ? "killed at the timeout" : check == null ? "exit " + r.exitCode() : check[0] + ": " + check[1]);
        } finally {
            Files.deleteIfExists(gcLog);
        }
    }

    /** What a launch gave: its output lines, exit code (-1: killed), the JVM's VmHWM in kB (-1: never read). */
    private record Run(List<String> output, int exitCode, long rssKilobytes, boolean timedOut) {
    }

    private static Run run(Options o, List<String> args, Path gcLog) throws IOException {
        List<String> command = new ArrayList<>(List.of(ColdCheck.launcherCommand(o.launcher())));
        command.addAll(args);
        Path output = Files.createTempFile("gradproof-memory", ".out");
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        if (gcLog == null) {
            pb.environment().remove("JAVA_OPTS");
        } else {
            // Replaces any JAVA_OPTS of the caller's: the heap is the launcher's default, as a user gets it.
            pb.environment().put("JAVA_OPTS", "-Xlog:gc,gc+heap+exit:file=" + gcLog);
        }
        try {
            Process p = pb.start();
            Path status = Path.of("/proc", Long.toString(p.pid()), "status");
            long deadline = System.nanoTime() + o.timeout().toNanos();
            long peak = -1;
            boolean timedOut = false;
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, jvmHighWaterKilobytes(status));
                if (System.nanoTime() > deadline) {
                    timedOut = true;
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly().waitFor();
                    break;
                }
            }
            return new Run(Files.readAllLines(output, StandardCharsets.UTF_8), timedOut ? -1 : p.exitValue(), peak, timedOut);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + String.join(" ", command) + " ran", e);
        } finally {
            Files.deleteIfExists(output);
        }
    }

    /** VmHWM in kB once the process is the JVM (the launcher has exec'd java); -1 before that, or once it is gone. */
    private static long jvmHighWaterKilobytes(Path status) {
        try {
            String text = Files.readString(status, StandardCharsets.ISO_8859_1);
            return "java".equals(statusField(text, "Name")) ? kilobytes(statusField(text, "VmHWM")).orElse(-1) : -1;
        } catch (IOException e) {
            return -1; // it exited between the wait and the read
        }
    }

    /** A field of a /proc/PID/status text ({@code Name}, {@code VmHWM}); null when absent. */
    static String statusField(String status, String field) {
        Matcher m = STATUS_FIELD.matcher(status);
        while (m.find()) {
            if (m.group(1).equals(field)) {
                return m.group(2);
            }
        }
        return null;
    }

    /** {@code "123456 kB"} as 123456; empty for null or another shape. */
    static OptionalLong kilobytes(String value) {
        Matcher m = value == null ? null : KILOBYTES.matcher(value);
        return m != null && m.matches() ? OptionalLong.of(Long.parseLong(m.group(1))) : OptionalLong.empty();
    }

    /**
     * The largest heap occupancy a {@code -Xlog:gc,gc+heap+exit} log shows, in MB: each collection's
     * heap before it, and the heap used at exit. NaN when the log has neither (the JVM did not start).
     */
    static double peakHeapMegabytes(List<String> gcLog) {
        double peak = Double.NaN;
        for (String line : gcLog) {
            Matcher before = GC_BEFORE.matcher(line);
            Matcher exit = EXIT_USED.matcher(line);
            double mb = before.find() ? Long.parseLong(before.group(1)) * unit(before.group(2)) / 1e6
                    : exit.find() ? Long.parseLong(exit.group(1)) * 1024 / 1e6 : Double.NaN;
            peak = Double.isNaN(peak) || mb > peak ? mb : peak;
        }
        return peak;
    }

    private static long unit(String suffix) {
        return switch (suffix) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            default -> 1L << 30;
        };
    }

    /**
     * {ok or FAIL, verdict, total parameters} from the check's line for the spec, the parameters "0" when it
     * names none; null when it printed no such line.
     */
    static String[] checkLine(List<String> output) {
        for (String line : output) {
            Matcher m = CHECK_LINE.matcher(line);
            if (m.find()) {
                return new String[] {m.group(1), m.group(2), m.group(3) == null ? "0" : m.group(3)};
            }
        }
        return null;
    }

    /** Examples per trial as the spec declares them; 0 when the spec cannot be read here. */
    private static int examples(Path file) {
        try {
            Spec spec = new SpecLoader().load(file);
            return spec.network().isGraph() ? spec.data().examples() : TrialRecipe.exampleCount(spec);
        } catch (RuntimeException | SpecException e) {
            return 0;
        }
    }

    private static String megabytes(double mb) {
        return Double.isNaN(mb) ? "-" : String.format(Locale.ROOT, "%,.0f", mb);
    }
}
