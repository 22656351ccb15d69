package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Trial;

import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.LayerSummary;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;

import java.util.List;
import java.util.stream.Collectors;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * The one place that words a result for people: the CLI, summary.md and the test-framework
 * assertions all print these, and tests pin their exact text.
 */
@API(status = INTERNAL, since = "0.2")
public final class Messages {
    /** Rows of the mismatch table shown in text output; where the rest are depends on the {@link Medium}. */
    public static final int SHOWN_MISMATCHES = 10;

    private Messages() {
    }

    /** One line per spec: {@code ok    tanh-fixed  pass (expected pass)  3 trials × 41 parameters ...}. */
    public static String specLine(SpecResult r) {
        if (r.isSkipped()) {
            return "skip  " + r.name() + ": " + r.skipped();
        }
        String mark = r.metExpectation() ? "ok  " : "FAIL";
        StringBuilder sb = new StringBuilder();
        sb.append(mark).append("  ").append(r.name()).append(": ").append(r.verdict().label())
                .append(" (expected ").append(r.expect().verdict().label()).append(")");
        if (r.verdict() != Verdict.ERROR) {
            sb.append(", ").append(r.trials()).append(r.trials() == 1 ? " trial x " : " trials x ")
                    .append(Numbers.grouped(r.parametersChecked()));
            if (r.parametersChecked() < r.parametersTotal()) {
                sb.append(" of ").append(Numbers.grouped(r.parametersTotal()));
            }
            sb.append(" parameters, max rel. error ").append(Numbers.g(r.maxRelativeError()));
            double ofTolerance = r.maxErrorOfTolerance();
            if (r.verdict() == Verdict.PASS && Double.isFinite(ofTolerance)) {
                sb.append(", max error ").append(String.format(Locale.ROOT, "%.1e", ofTolerance)).append(" of tolerance");
            }
            if (r.kinks() > 0) {
                sb.append(", ").append(r.kinks()).append(" at kinks");
            }
            if (r.inconclusive() > 0) {
                sb.append(", ").append(r.inconclusive()).append(" inconclusive");
            }
        }
        sb.append(", ").append(Numbers.seconds(r.seconds()));
        return sb.toString();
    }

    /** The detail printed under a spec that mismatched or errored, pointing only at what {@code medium} has. */
    public static String details(SpecResult r, Medium medium) {
        StringBuilder sb = new StringBuilder();
        if (r.isSkipped()) {
            return "";
        }
        if (r.verdict() == Verdict.ERROR) {
            // Several problems of a spec, or a child's message and its stderr ("(nothing on stderr)",
            // "last lines of stderr:"): each further line stays under the first.
            sb.append("  error: ").append(r.error().replace("\n", "\n         ")).append('\n');
            if (r.reproduction() != null) {
                sb.append("  recipe: ").append(r.reproduction().command()).append('\n');
            }
            return sb.toString();
        }
        if (r.verdict() == Verdict.MISMATCH || !r.mismatches().isEmpty()) {
            sb.append("  ").append(mismatchHeadline(r)).append('\n');
            sb.append(layerTable(r.layers(), "  "));
            sb.append(mismatchTable(r.mismatches(), medium, "  "));
        }
        for (String f : r.findings()) {
            sb.append("  ").append(f).append('\n');
        }
        for (ActivationCheck a : r.activationChecks()) {
            if (!a.passed()) {
                sb.append("  ").append(activationLine(a)).append('\n');
            }
        }
        if (!r.sampled().isEmpty()) {
            sb.append("  checked a sample of ").append(Numbers.grouped(r.parametersChecked())).append(" of ")
                    .append(Numbers.grouped(r.parametersTotal())).append(" parameters").append(medium.hasReportJson() ? " (listed in report.json)" : "").append('\n');
        }
        if (r.reproduction() != null) {
            sb.append("  recipe: ").append(r.reproduction().command()).append('\n');
        }
        return sb.toString();
    }

    /**
     * What a reader of a passing spec must still see: findings that are warnings (a layer compared only
     * against zero) and declared derivatives that differ from the exact ones where no trial went.
     */
    public static String warnings(SpecResult r) {
        StringBuilder sb = new StringBuilder();
        for (String f : r.findings()) {
            if (f.startsWith("warning:")) {
                sb.append("  ").append(f).append('\n');
            }
        }
        for (ActivationCheck a : r.activationChecks()) {
            if (!a.passed()) {
                sb.append("  warning: the trials did not reach it, but ").append(activationLine(a)).append('\n');
            }
        }
        return sb.toString();
    }

    /** {@code 132 of 162 parameter-trials mismatch, in layer 1 (tanh ...) and layer 2 (tanh ...)}. */
    public static String mismatchHeadline(SpecResult r) {
        long checked = (long) r.parametersChecked() * r.trials();
        List<String> where = r.layers().stream().filter(l -> l.mismatches() > 0)
                .map(l -> "layer " + l.layer() + " (" + l.activation() + ")").collect(Collectors.toList());
        return r.mismatches().size() + " of " + Numbers.grouped(checked) + " parameter-trials mismatch, in "
                + String.join(" and ", where);
    }

    public static String layerTable(List<LayerSummary> layers, String indent) {
        StringBuilder sb = new StringBuilder();
        sb.append(indent).append(String.format(Locale.ROOT, "%-6s %8s %10s %8s %8s %12s %12s  %s%n",
                "layer", "checked", "mismatch", "weights", "biases", "max rel.err", "median", "activation"));
        for (LayerSummary l : layers) {
            sb.append(indent).append(String.format(Locale.ROOT, "%-6s %8d %10d %8d %8d %12s %12s  %s%s%n",
                    l.layer(), l.checked(), l.mismatches(), l.weightMismatches(), l.biasMismatches(),
                    Numbers.g(l.maxRelativeError()), Numbers.g(l.medianRelativeError()), l.activation(),
                    l.frozen() ? " (frozen: not checked)" : ""));
        }
        return sb.toString();
    }

    /** The first {@link Medium#shownMismatches()} rows, and where the rest are. */
    public static String mismatchTable(List<ParameterResult> mismatches, Medium medium, String indent) {
        int limit = medium.shownMismatches();
        if (mismatches.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        // A graph's names (lstm1.weight_hh[23,26]) outgrow a dense chain's (W2[3,7]): the column takes the longest.
        int name = Math.max(12, mismatches.stream().limit(limit).mapToInt(m -> m.parameter().length()).max().orElse(0));
        sb.append(indent).append(String.format(Locale.ROOT, "%-" + name + "s %5s %12s %12s %12s %12s %12s%n",
                "parameter", "trial", "analytic", "exact", "finite diff", "rel.error", "tolerance"));
        mismatches.stream().limit(limit).forEach(m -> {
            int digits = Numbers.digitsToDistinguish(m.analytic(), m.reference());
            int width = Math.max(12, digits + 7);
            sb.append(indent).append(String.format(Locale.ROOT,
                    "%-" + name + "s %5d %" + width + "s %" + width + "s %" + width + "s %12s %12s%n", m.parameter(), m.trial(),
                    Numbers.computed(m.analytic(), digits), Numbers.g(m.exact(), digits), Numbers.g(m.finiteDifference(), digits),
                    Numbers.g(m.relativeError()), Numbers.g(m.tolerance())));
        });
        if (mismatches.size() > limit) {
            sb.append(indent).append("... and ").append(mismatches.size() - limit).append(" more").append(medium.whereTheRestIs()).append('\n');
        }
        return sb.toString();
    }

    /** {@code layer 1 tanh with declared f'(x) = ...: 40 of 41 grid points differ ...; first differs at tanh' at x=0.25: ...}. */
    public static String activationLine(ActivationCheck a) {
        String points = a.firstDifferences().stream().map(p -> p.explain(a.name())).collect(Collectors.joining("; "));
        return "layer " + a.layer() + " " + a.activation() + ": " + a.differing() + " of " + a.points()
                + " grid points differ from the exact derivative; " + points;
    }

    /** The closing line: {@code 12 passed, 1 failed}, and {@code , 3 skipped} when some were. */
    public static String closingLine(List<SpecResult> results) {
        long skipped = results.stream().filter(SpecResult::isSkipped).count();
        long passed = results.stream().filter(r -> !r.isSkipped() && r.metExpectation()).count();
        return passed + " passed, " + (results.size() - skipped - passed) + " failed"
                + (skipped > 0 ? ", " + skipped + " skipped" : "");
    }

    /**
     * The first line of a run that does not expect what each spec says.
     *
     * @param verdict   what every spec is expected to give; null for each spec's own {@code expect}
     * @param byDefault whether {@code --impl} chose it (no {@code --expect} was given)
     */
    public static String expectationLine(Verdict verdict, boolean byDefault) {
        if (verdict == null) {
            return "expecting each spec's own expect (--expect as-spec)";
        }
        if (byDefault) {
            return "expecting " + verdict.label() + " for every spec: --impl replaces the spec's own network, so its"
                    + " declared derivatives do not apply (--expect as-spec to keep each spec's expect)";
        }
        return "expecting " + verdict.label() + " for every spec (--expect " + verdict.label() + ")";
    }

    /** Said once per run about a child that answers {@code losses} with {@code ok: false}. */
    public static String slowPath(String implementation) {
        return "note: " + implementation + " does not answer `losses`; each perturbed loss costs a whole request"
                + " (slow path), see docs/PROTOCOL.md";
    }

    /** Why a run in which the implementation refused every spec is an error. */
    public static String everySpecSkipped(int skipped) {
        return "gradproof check: the implementation refused " + (skipped == 1 ? "the spec" : "all " + skipped + " specs")
                + ": nothing was checked";
    }

    /**
     * The assertion failure of {@code assertThatGradient(impl).agreesWith(trial)}: what was expected,
     * where it came from, and the evidence.
     */
    public static String gradientDisagrees(String implementation, SpecResult r, String recipe) {
        StringBuilder sb = new StringBuilder();
        sb.append("Expecting the gradient of <").append(implementation).append("> to agree with the exact gradient\n");
        sb.append("  spec:  ").append(r.name()).append(r.file() == null ? "" : " (" + r.file() + ")").append('\n');
        if (recipe != null) {
            sb.append("  trial: ").append(recipe).append('\n');
        } else {
            sb.append("  seed:  ").append(r.seed()).append(", ").append(r.trials()).append(" trials\n");
        }
        if (r.verdict() == Verdict.ERROR) {
            sb.append("but the check could not run: ").append(r.error()).append('\n');
            return sb.toString();
        }
        sb.append("but ").append(mismatchHeadline(r)).append(":\n");
        sb.append(layerTable(r.layers(), "  "));
        sb.append(mismatchTable(r.mismatches(), Medium.JUNIT, "  "));
        for (ActivationCheck a : r.activationChecks()) {
            if (!a.passed()) {
                sb.append("  ").append(activationLine(a)).append('\n');
            }
        }
        return sb.toString();
    }

    /** Rows of the expected/actual texts an assertion failure carries for an IDE's side-by-side view. */
    public static final int DIFF_ROWS = 50;

    /** The reference (exact, else finite-difference) gradient of the mismatching parameters, one per line. */
    public static String expectedGradients(SpecResult r) {
        return gradients(r, true);
    }

    /** The analytic gradient of the same parameters, in the same lines, so only the values differ. */
    public static String actualGradients(SpecResult r) {
        return gradients(r, false);
    }

    private static String gradients(SpecResult r, boolean expected) {
        StringBuilder sb = new StringBuilder();
        r.mismatches().stream().sorted(Comparator.comparingInt(ParameterResult::trial)
                        .thenComparingInt(ParameterResult::index).thenComparing(ParameterResult::parameter))
                .limit(DIFF_ROWS).forEach(m -> sb.append(m.parameter()).append(" (trial ").append(m.trial()).append("): ")
                        .append(expected ? Numbers.full(m.reference()) : Double.toString(m.analytic())).append('\n'));
        if (r.mismatches().size() > DIFF_ROWS) {
            sb.append("... and ").append(r.mismatches().size() - DIFF_ROWS).append(" more\n");
        }
        return sb.toString();
    }

    /** Why a spec test failed: its expectation, what happened, and the evidence. */
    public static String expectationNotMet(SpecResult r, Medium medium) {
        StringBuilder sb = new StringBuilder();
        sb.append("spec ").append(r.name()).append(" expected ").append(r.expect().verdict().label());
        if (r.expect().messageFragment() != null) {
            sb.append(" with a message containing \"").append(r.expect().messageFragment()).append('"');
        }
        sb.append(" but was ").append(r.verdict().label()).append('\n');
        sb.append(details(r, medium));
        return sb.toString();
    }

    /**
     * How a failing trial was shrunk, and how to redraw it: the command where {@code ./gradproof} runs,
     * else the recipe and what takes it.
     */
    public static String counterexample(Trial original, Trial shrunk, int attempts, Path file, Medium medium) {
        StringBuilder sb = new StringBuilder();
        sb.append("  counterexample: shrunk in ").append(attempts).append(" attempts from\n");
        sb.append("    ").append(describe(original)).append('\n');
        sb.append("  to\n");
        sb.append("    ").append(describe(shrunk)).append('\n');
        if (medium.hasLauncher()) {
            sb.append("  reproduce: ./gradproof check ").append(file).append(" --recipe \"").append(shrunk.recipe()).append("\"\n");
        } else {
            sb.append("  recipe: \"").append(shrunk.recipe())
                    .append("\" (the gradproof command line's check --recipe redraws this trial)\n");
        }
        return sb.toString();
    }

    /** {@code seed=.. examples=.. digits=.. units=.. (4 examples, 31 parameters)}. */
    public static String describe(Trial c) {
        return c.recipe() + " (" + c.examples() + (c.examples() == 1 ? " example, " : " examples, ")
                + c.parameters() + " parameters)";
    }
}
