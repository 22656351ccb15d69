package dev.gradproof.allure;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * The mismatch table as CSV, for both Allure writers: the JUnit listener's (with Allure's library) and
 * the command line's (plain JSON files). Free of Allure's classes, so the command line can load it.
 */
@API(status = INTERNAL, since = "0.2")
public final class MismatchCsv {
    /** Rows listed at most (report.json's limit too). */
    public static final int MAX_ROWS = 10_000;

    public static final String HEADER =
            "parameter,layer,trial,analytic,exact,finite_difference,relative_error,tolerance,status";

    private MismatchCsv() {
    }

    /** Rows of the mismatch table: the mismatches (largest error first), then the inconclusive ones. */
    public static List<ParameterResult> rows(SpecResult r) {
        List<ParameterResult> rows = new ArrayList<>(r.mismatches());
        rows.addAll(r.inconclusiveResults());
        return rows;
    }

    public static String csv(List<ParameterResult> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        rows.stream().limit(MAX_ROWS).forEach(p -> sb.append(field(p.parameter())).append(',')
                .append(p.layer()).append(',')
                .append(p.trial()).append(',')
                .append(number(p.analytic())).append(',')
                .append(number(p.exact())).append(',')
                .append(number(p.finiteDifference())).append(',')
                .append(number(p.relativeError())).append(',')
                .append(number(p.tolerance())).append(',')
                .append(p.status().label()).append('\n'));
        return sb.toString();
    }

    private static String number(double v) {
        return Double.isNaN(v) ? "" : Double.toString(v);
    }

    static String field(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }
}
