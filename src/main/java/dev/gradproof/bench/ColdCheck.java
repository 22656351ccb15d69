package dev.gradproof.bench;

import dev.gradproof.external.OneShot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a user or a CI job gets: a fresh {@code ./gradproof check FILE --no-report}, JIT warm-up, class
 * loading and all. {@code report} is the check's own seconds (its {@code ok} line), {@code process} the
 * whole command including the JVM's start; both medians of some runs, NaN when not measured.
 */
record ColdCheck(double report, double process) {
    static final ColdCheck NONE = new ColdCheck(Double.NaN, Double.NaN);
    private static final Pattern REPORT_SECONDS = Pattern.compile("^ok\\s.*, ([0-9.]+) s$");

    /**
     * @param env added to the launcher's environment ({@code JAVA_OPTS} to limit the processors it sees)
     * @return the medians, or {@link #NONE} with a note saying why
     */
    static ColdCheck median(Path launcher, Path spec, int runs, Map<String, String> env, Duration timeout,
                            List<String> notes, Consumer<String> progress) {
        if (!Files.isRegularFile(launcher)) {
            notes.add("cold runs: skipped: " + launcher + " not found (run gradproof bench from the repository root)");
            return NONE;
        }
        double[] report = new double[runs];
        double[] process = new double[runs];
        for (int i = 0; i < runs; i++) {
            long t0 = System.nanoTime();
            try {
                List<String> lines = OneShot.run(List.of(launcherCommand(launcher), "check", spec.toString(), "--no-report"), null,
                        env, timeout);
                process[i] = (System.nanoTime() - t0) / 1e9;
                report[i] = reportSeconds(lines);
            } catch (IOException e) {
                notes.add("cold run of " + spec.getFileName() + ": failed: " + e.getMessage());
                return NONE;
            }
        }
        progress.accept(String.format(Locale.ROOT, "%s cold: report %s s, process %s s", spec.getFileName(),
                Arrays.toString(report), Arrays.toString(process)));
        return new ColdCheck(median(report), median(process));
    }

    /** A relative launcher path as a shell would need it to run ({@code ./gradproof}, not {@code gradproof}). */
    static String launcherCommand(Path launcher) {
        return launcher.isAbsolute() || launcher.getNameCount() > 1 ? launcher.toString() : "./" + launcher;
    }

    /** The seconds on the check's {@code ok} line ({@code ok    NAME: pass (...), 1.23 s}). */
    static double reportSeconds(List<String> lines) throws IOException {
        for (String line : lines) {
            Matcher m = REPORT_SECONDS.matcher(line.strip());
            if (m.matches()) {
                return Double.parseDouble(m.group(1));
            }
        }
        throw new IOException("no passing check line in its output: " + String.join(" / ", lines));
    }

    static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
