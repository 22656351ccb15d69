package dev.gradproof.campaign;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Locale;

/**
 * Campaign size and result reporting, shared by the campaigns.
 *
 * <p>CI mode (the default) keeps the whole package under about a minute on two cores. Long mode,
 * {@code -Dgradproof.campaign=long}, multiplies the tries of every campaign property by
 * {@link #LONG_FACTOR} (see {@link CampaignSize}).
 *
 * <p>Every campaign prints its summary lines on standard output (prefixed {@code campaign:}) and appends
 * them to {@code target/campaign/results.txt}, from which docs/RELIABILITY.md's tables were copied.
 */
final class Campaign {
    /** How many times more tries long mode runs. */
    static final int LONG_FACTOR = 15;

    private Campaign() {
    }

    static boolean isLong() {
        return "long".equalsIgnoreCase(System.getProperty("gradproof.campaign", "ci").trim());
    }

    static String mode() {
        return isLong() ? "long" : "ci";
    }

    /** {@code ci} tries in CI mode, {@code LONG_FACTOR} times as many in long mode. */
    static int scaled(int ci) {
        return isLong() ? ci * LONG_FACTOR : ci;
    }

    /** Prints a summary line and appends it to target/campaign/results.txt. */
    static synchronized void report(String format, Object... args) {
        String line = "campaign: [" + mode() + "] " + String.format(Locale.ROOT, format, args);
        System.out.println(line);
        try {
            Path dir = Path.of("target", "campaign");
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.txt"), line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The q-quantile (0..1) of the values, nearest rank; NaN when there are none. */
    static double quantile(double[] values, double q) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(q * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }

    static String percent(long part, long whole) {
        return whole == 0 ? "n/a" : String.format(Locale.ROOT, "%.3f%%", 100.0 * part / whole);
    }

    static String sci(double v) {
        return String.format(Locale.ROOT, "%.2e", v);
    }
}
