package dev.gradproof.allure;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.run.SpecListener;
import dev.gradproof.run.SpecOutcome;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.Text;
import dev.gradproof.report.Numbers;
import dev.gradproof.report.plot.Plots;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.Spec;
import io.qameta.allure.Allure;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.StatusDetails;
import io.qameta.allure.model.StepResult;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;
import io.qameta.allure.model.Status;
import org.apiguardian.api.API;

/**
 * Records a spec's outcome on the current Allure test case (the spec's dynamic test): labels for
 * grouping and filtering, the run's parameters, the pipeline as steps, and the evidence as
 * attachments (spec YAML, mismatch table as CSV and HTML, shrunk counterexample, plots, summary).
 *
 * <p>A {@link SpecListener} (registered in META-INF/services), active only when Allure is on the classpath. It never throws: a failure
 * while reporting becomes a {@value #REPORTER_ERROR} text attachment, and the test's own verdict stands.
 */
@API(status = INTERNAL, since = "0.2")
public final class AllureSpecReporter implements SpecListener {
    private static final boolean ALLURE = present("io.qameta.allure.Allure");
    /**
     * Epic and parent suite of every spec result, apart from the project's own unit tests (whose
     * "internal unit tests" sorts after it: Allure orders groups by name).
     */
    public static final String EPIC = "gradproof specs";
    static final String PARENT_SUITE = "parentSuite";

    public static final String STEP_ANALYTIC = "analytic gradient (backprop)";
    public static final String STEP_EXACT = "exact gradient (DerivativeStructure)";
    public static final String STEP_FINITE_DIFFERENCE = "finite differences (Richardson)";

    public static final String ATTACH_SPEC = "spec YAML";
    public static final String ATTACH_CSV = "mismatches (CSV)";
    public static final String ATTACH_HTML = "mismatches (HTML)";
    public static final String ATTACH_COUNTEREXAMPLE = "shrunk counterexample (JSON)";
    public static final String ATTACH_SUMMARY = "summary";
    public static final String REPORTER_ERROR = "reporter error";

    /** Rows of the HTML table at most; the CSV lists up to {@link #MAX_CSV_ROWS}. */
    static final int MAX_HTML_ROWS = 200;
    static final int MAX_CSV_ROWS = MismatchCsv.MAX_ROWS;

    static final String CSV_HEADER = MismatchCsv.HEADER;

    /** For ServiceLoader: found on the class path with the rest of gradproof, active only where Allure is. */
    public AllureSpecReporter() {
    }

    @Override
    public void specChecked(SpecOutcome outcome) {
        if (ALLURE) {
            report(outcome);
        }
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, AllureSpecReporter.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    public static void report(SpecOutcome outcome) {
        List<String> errors = new ArrayList<>();
        guard(errors, "labels", () -> labels(outcome));
        guard(errors, "parameters", () -> parameters(outcome));
        guard(errors, "steps", () -> steps(outcome));
        guard(errors, "status details", () -> statusDetails(outcome));
        // The evidence first: Allure lists attachments in the order they were added.
        guard(errors, "mismatch table", () -> attachMismatchTable(outcome.result()));
        guard(errors, "spec attachment", () -> attachSpec(outcome));
        guard(errors, "counterexample", () -> attachCounterexample(outcome));
        guard(errors, "plots", () -> attachPlots(outcome.result()));
        guard(errors, "summary", () -> attachSummary(outcome.result()));
        if (!errors.isEmpty()) {
            try {
                Allure.addAttachment(REPORTER_ERROR, "text/plain", String.join("\n", errors), ".txt");
            } catch (RuntimeException | LinkageError ignored) {
                // nothing more can be reported; the test's own verdict stands
            }
        }
    }

    // ---------------------------------------------------------------- labels and parameters

    private static void labels(SpecOutcome o) {
        SpecResult r = o.result();
        Spec spec = o.spec();
        Allure.epic(EPIC);
        Allure.feature(feature(o));
        Allure.label(PARENT_SUITE, EPIC);
        suiteIfMissing(o.file());
        Allure.story(r.name());
        if (spec != null) {
            Allure.label("activation", activations(spec));
            Allure.label("loss", spec.loss().type().yamlName());
            if (spec.description() != null && !spec.description().isBlank()) {
                Allure.description(spec.description());
            }
        }
        Allure.label("verdict", r.verdict().label());
        Allure.label("expect", r.expect().verdict().label());
        Allure.label("severity", severity(r));
    }

    /**
     * Dynamic tests get no suite from the JUnit listener, so they would sit at the root of Allure's Suites
     * tree: group them by the folder the spec was read from ({@code specs/}, {@code src/test/resources/demo/}).
     */
    private static void suiteIfMissing(Path file) {
        Path dir = file == null ? null : file.normalize().getParent();
        if (dir == null) {
            return;
        }
        String suite = dir.toString().replace('\\', '/') + "/";
        Allure.getLifecycle().updateTestCase(tc -> {
            if (tc.getLabels().stream().noneMatch(l -> "suite".equals(l.getName()))) {
                tc.getLabels().add(new Label().setName("suite").setValue(suite));
            }
        });
    }

    /** The spec's folder below {@code specs/} if any, else its loss type (or "unloadable specs"). */
    static String feature(SpecOutcome o) {
        String folder = folderBelowSpecs(o.file());
        if (folder != null) {
            return folder;
        }
        return o.spec() == null ? "unloadable specs" : o.spec().loss().type().yamlName();
    }

    static String folderBelowSpecs(Path file) {
        if (file == null) {
            return null;
        }
        Path dir = file.normalize().getParent();
        if (dir == null) {
            return null;
        }
        for (int i = dir.getNameCount() - 1; i >= 0; i--) {
            if (dir.getName(i).toString().equals("specs")) {
                if (i == dir.getNameCount() - 1) {
                    return null;
                }
                return dir.subpath(i + 1, dir.getNameCount()).toString().replace('\\', '/');
            }
        }
        return null;
    }

    /** Distinct activation names in layer order: {@code tanh, sigmoid}. */
    static String activations(Spec spec) {
        return spec.network().layers().stream().map(LayerSpec::activation).map(a -> a.name())
                .distinct().collect(Collectors.joining(", "));
    }

    /**
     * blocker: expectation unmet with an error; critical: unmet otherwise; normal: met by catching a
     * problem (mismatch or error); minor: met with a clean pass.
     */
    static String severity(SpecResult r) {
        if (!r.metExpectation()) {
            return r.verdict() == Verdict.ERROR ? "blocker" : "critical";
        }
        return r.verdict() == Verdict.PASS ? "minor" : "normal";
    }

    private static void parameters(SpecOutcome o) {
        SpecResult r = o.result();
        Spec spec = o.spec();
        Allure.parameter("seed", spec != null ? spec.seed() : r.seed());
        Allure.parameter("trials", spec != null ? spec.check().trials() : r.trials());
        if (spec != null) {
            Double tol = spec.check().tolerance();
            Allure.parameter("tolerance", tol == null ? "auto" : Double.toString(tol));
        }
        if (r.verdict() != Verdict.ERROR || r.parametersTotal() > 0) {
            Allure.parameter("parameters checked", parametersChecked(r));
        } else if (spec != null) {
            long total = spec.network().parameterCount();
            int sample = spec.check().parameters();
            Allure.parameter("parameters checked", Numbers.grouped(sample == 0 ? total : Math.min(sample, total))
                    + " of " + Numbers.grouped(total));
        }
    }

    /** {@code 300 of 10,285}. */
    static String parametersChecked(SpecResult r) {
        return Numbers.grouped(r.parametersChecked()) + " of " + Numbers.grouped(r.parametersTotal());
    }

    // ---------------------------------------------------------------- steps

    private static void steps(SpecOutcome o) {
        SpecResult r = o.result();
        Spec spec = o.spec();
        String file = o.file() == null ? r.name() : o.file().toString();
        if (spec == null) {
            step("load spec " + file, Status.BROKEN, r.error());
        } else {
            step("load spec " + file, Status.PASSED, null);
            int trials = spec.check().trials();
            String draw = "draw " + trials + (trials == 1 ? " trial" : " trials") + " (seed " + spec.seed() + ")";
            if (r.verdict() == Verdict.ERROR) {
                step(draw + ": check could not run", Status.BROKEN, r.error());
            } else {
                step(draw, Status.PASSED, null);
                step(STEP_ANALYTIC, Status.PASSED, null);
                if (spec.check().uses(CheckSpec.EXACT)) {
                    step(STEP_EXACT, Status.PASSED, null);
                }
                if (spec.check().uses(CheckSpec.FINITE_DIFFERENCE)) {
                    step(STEP_FINITE_DIFFERENCE, Status.PASSED, null);
                }
                step(compareStepName(r), r.mismatches().isEmpty() ? Status.PASSED
                        : Status.FAILED, null);
            }
        }
        step(verdictStepName(r), verdictStatus(r), null);
    }

    /** {@code compare 123 parameter-trials: 4 mismatch, 0 at kinks, 1 inconclusive}. */
    static String compareStepName(SpecResult r) {
        long compared = (long) r.parametersChecked() * r.trials();
        return "compare " + Numbers.grouped(compared) + " parameter-trials: " + r.mismatches().size() + " mismatch, "
                + r.kinks() + " at kinks, " + r.inconclusive() + " inconclusive";
    }

    /** {@code verdict: mismatch (expected pass)}. */
    static String verdictStepName(SpecResult r) {
        return "verdict: " + r.verdict().label() + " (expected " + r.expect().verdict().label() + ")";
    }

    static Status verdictStatus(SpecResult r) {
        if (r.metExpectation()) {
            return Status.PASSED;
        }
        return r.verdict() == Verdict.ERROR ? Status.BROKEN
                : Status.FAILED;
    }

    /** A step recorded after the fact; with a message, the step carries it in its status details. */
    private static void step(String name, Status status, String message) {
        if (message == null) {
            Allure.step(name, status);
            return;
        }
        // Allure.step(name, status) cannot carry a message: same as it, plus status details.
        String uuid = UUID.randomUUID().toString();
        Allure.getLifecycle().startStep(uuid, new StepResult().setName(name).setStatus(status)
                .setStatusDetails(new StatusDetails().setMessage(message)));
        Allure.getLifecycle().stopStep(uuid);
    }

    // ---------------------------------------------------------------- status details

    private static void statusDetails(SpecOutcome o) {
        if (o.result().metExpectation()) {
            return;
        }
        String text = o.failureMessage(Medium.ALLURE);
        Allure.getLifecycle().getCurrentTestCase().ifPresent(uuid -> SpecFailureDetails.failing(uuid, text));
        StatusDetails once = SpecFailureDetails.split(text);
        Allure.getLifecycle().updateTestCase(tc -> {
            StatusDetails details = tc.getStatusDetails() == null ? new StatusDetails() : tc.getStatusDetails();
            tc.setStatusDetails(details.setMessage(once.getMessage()).setTrace(once.getTrace()));
        });
    }

    // ---------------------------------------------------------------- attachments

    private static void attachSpec(SpecOutcome o) {
        String source = o.source();
        if (source == null || source.isEmpty()) {
            return;
        }
        Allure.addAttachment(ATTACH_SPEC, "text/yaml", source, ".yaml");
    }

    /** Rows of the mismatch table: the mismatches (largest error first), then the inconclusive ones. */
    static List<ParameterResult> tableRows(SpecResult r) {
        return MismatchCsv.rows(r);
    }

    private static void attachMismatchTable(SpecResult r) {
        List<ParameterResult> rows = tableRows(r);
        if (rows.isEmpty()) {
            return;
        }
        Allure.addAttachment(ATTACH_CSV, "text/csv", csv(rows), ".csv");
        Allure.addAttachment(ATTACH_HTML, "text/html", html(r, rows), ".html");
    }

    static String csv(List<ParameterResult> rows) {
        return MismatchCsv.csv(rows);
    }

    static String csvField(String s) {
        return MismatchCsv.field(s);
    }

    static String html(SpecResult r, List<ParameterResult> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>")
                .append(escape(r.name())).append(" mismatches</title>\n<style>\n")
                // Allure shows the page in a frame of fixed height: the table scrolls inside the page, under
                // a header that stays, instead of running past the frame's bottom edge.
                .append("html,body{height:100%;margin:0}")
                .append("body{font-family:sans-serif;font-size:13px;display:flex;flex-direction:column}")
                // One line of headline (the whole of it in its tooltip): Allure's frame is 150 px high.
                .append("p{margin:4px 8px}")
                .append("p.headline{white-space:nowrap;overflow:hidden;text-overflow:ellipsis}")
                .append(".rows{flex:1;min-height:0;overflow:auto;margin:0 8px 8px}")
                .append("table{border-collapse:separate;border-spacing:0}")
                .append("th,td{border:1px solid #ccc;padding:3px 8px}")
                .append("th{background:#f2f2f2;text-align:left;position:sticky;top:0}")
                .append("td.n{text-align:right;font-family:monospace}")
                .append("tr.mismatch td{color:#b00000;background:#fff0f0}")
                .append("tr.inconclusive td{color:#8a5a00;background:#fffbe6}")
                .append("\n</style></head><body>\n");
        String headline = r.name() + ": " + (r.mismatches().isEmpty() ? "no mismatches" : Messages.mismatchHeadline(r))
                + "; " + r.inconclusive() + " inconclusive";
        sb.append("<p class=\"headline\" title=\"").append(escape(headline)).append("\"><b>").append(escape(r.name()))
                .append("</b>").append(escape(headline.substring(r.name().length()))).append("</p>\n");
        sb.append("<div class=\"rows\"><table>\n<tr><th>parameter</th><th>layer</th><th>trial</th><th>analytic</th><th>exact</th>")
                .append("<th>finite difference</th><th>relative error</th><th>tolerance</th><th>status</th></tr>\n");
        rows.stream().limit(MAX_HTML_ROWS).forEach(p -> sb.append("<tr class=\"").append(p.status().label()).append("\"")
                .append(p.note() == null ? "" : " title=\"" + escape(p.note()) + "\"").append('>')
                .append("<td>").append(escape(p.parameter())).append("</td>")
                .append("<td class=\"n\">").append(p.layer()).append("</td>")
                .append("<td class=\"n\">").append(p.trial()).append("</td>")
                .append(num(p.analytic())).append(num(p.exact())).append(num(p.finiteDifference()))
                .append(num(p.relativeError())).append(num(p.tolerance()))
                .append("<td>").append(escape(p.status().label())).append("</td></tr>\n"));
        sb.append("</table></div>\n");
        if (rows.size() > MAX_HTML_ROWS) {
            sb.append("<p>... and ").append(rows.size() - MAX_HTML_ROWS)
                    .append(" more rows in the \"").append(ATTACH_CSV).append("\" attachment.</p>\n");
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    private static String num(double v) {
        return "<td class=\"n\" title=\"" + escape(Numbers.full(v)) + "\">" + escape(Numbers.g(v)) + "</td>";
    }

    /** HTML text and attribute escaping. */
    static String escape(String s) {
        return s == null ? "" : Text.html(s);
    }

    private static void attachCounterexample(SpecOutcome o) {
        if (o.shrunk() == null) {
            return;
        }
        String json = o.counterexampleJson();
        if (json != null) {
            Allure.addAttachment(ATTACH_COUNTEREXAMPLE, "application/json", json, ".json");
        }
    }

    private static final boolean CHARTS = present("org.knowm.xchart.XYChart");

    private static void attachPlots(SpecResult r) {
        if (!CHARTS) {
            // XChart is an optional dependency of gradproof: a project that wants plots adds it itself.
            Allure.addAttachment("plots", "text/plain", "No plots: add org.knowm.xchart:xchart (and"
                    + " de.erichseifert.vectorgraphics2d:VectorGraphics2D) to the test class path to attach them.", ".txt");
            return;
        }
        for (Plots.Plot plot : Plots.forSpec(r)) {
            Allure.addAttachment(plot.fileName(), "image/png", new ByteArrayInputStream(plot.png()), ".png");
        }
    }

    private static void attachSummary(SpecResult r) {
        String text = Messages.specLine(r) + "\n" + Messages.details(r, Medium.ALLURE);
        Allure.addAttachment(ATTACH_SUMMARY, "text/plain", text, ".txt");
    }

    // ---------------------------------------------------------------- robustness

    private interface Section {
        void run() throws Exception;
    }

    private static void guard(List<String> errors, String what, Section section) {
        try {
            section.run();
        } catch (Exception | LinkageError | AssertionError e) {
            StringWriter trace = new StringWriter();
            e.printStackTrace(new PrintWriter(trace));
            errors.add(what + ": " + e + "\n" + trace);
        }
    }
}
