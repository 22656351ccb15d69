package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import org.apiguardian.api.API;

/** Number formatting shared by every human-readable output, so the same value reads the same everywhere. */
@API(status = INTERNAL, since = "0.2")
public final class Numbers {
    private Numbers() {
    }

    /** Three significant digits: {@code 0.420}, {@code -0.186}, {@code 2.1e-15}. */
    public static String g(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v == 0) {
            return "0";
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return String.format(Locale.ROOT, "%.3g", v);
        }
        return String.format(Locale.ROOT, "%.2e", v);
    }

    /**
     * Significant digits needed to tell a from b apart: 3, or more when they agree in their leading
     * digits (an error of 1e-6 shows as 0.03782614 vs 0.03782618, not 0.0378 vs 0.0378).
     */
    public static int digitsToDistinguish(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        double diff = Math.abs(a - b);
        if (scale == 0 || diff == 0 || !Double.isFinite(scale) || !Double.isFinite(diff)) {
            return 3;
        }
        int d = (int) Math.ceil(-Math.log10(diff / scale)) + 2;
        return Math.max(3, Math.min(17, d));
    }

    /** v with the given significant digits, in the style of {@link #g}. */
    public static String g(double v, int digits) {
        if (digits <= 3 || Double.isNaN(v) || v == 0) {
            return g(v);
        }
        double a = Math.abs(v);
        if (a >= 1e-3 && a < 1e5) {
            return String.format(Locale.ROOT, "%." + digits + "g", v);
        }
        return String.format(Locale.ROOT, "%." + (digits - 1) + "e", v);
    }

    /** Like {@link #g(double, int)} for a value that was computed: NaN there is a result, shown as NaN, not "-". */
    public static String computed(double v, int digits) {
        return Double.isNaN(v) ? "NaN" : g(v, digits);
    }

    /** Full precision, for values a reader may want to paste elsewhere. */
    public static String full(double v) {
        return Double.isNaN(v) ? "-" : Double.toString(v);
    }

    public static String seconds(double s) {
        return String.format(Locale.ROOT, "%.2f s", s);
    }

    public static String grouped(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
