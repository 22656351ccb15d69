package dev.gradproof.report;

import java.util.Locale;

/** Number formatting shared by every human-readable output, so the same value reads the same everywhere. */
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
