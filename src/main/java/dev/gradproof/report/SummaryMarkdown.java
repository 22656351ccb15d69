package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/** summary.md: the run as a person reads it, in the same words as the console. */
@API(status = INTERNAL, since = "0.2")
public final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    public static String render(RunInfo info, List<SpecResult> results) {
        return render(info, results, List.of());
    }

    /**
     * @param plots per result (same order), the file names of its charts in {@code plots/} beside
     *              summary.md; shorter than {@code results} (or empty) where none were drawn
     */
    public static String render(RunInfo info, List<SpecResult> results, List<List<String>> plots) {
        StringBuilder sb = new StringBuilder();
        sb.append("# gradproof run ").append(info.runId()).append("\n\n");
        if (!info.complete()) {
            sb.append("**Partial report: the run did not finish.**\n\n");
        }
        sb.append("**").append(Messages.closingLine(results)).append("**\n\n");
        List<SpecResult> skipped = results.stream().filter(SpecResult::isSkipped).toList();
        List<SpecResult> all = results;
        List<List<String>> chartsOf = new ArrayList<>();   // of the results kept, in their order
        for (int i = 0; i < all.size(); i++) {
            if (!all.get(i).isSkipped()) {
                chartsOf.add(i < plots.size() ? plots.get(i) : List.of());
            }
        }
        results = all.stream().filter(r -> !r.isSkipped()).toList();
        sb.append("| spec | expected | verdict | met | trials | parameters | max rel. error | kinks | inconclusive | time |\n");
        sb.append("|---|---|---|---|---|---|---|---|---|---|\n");
        for (SpecResult r : results) {
            sb.append("| ").append(Text.markdown(r.name())).append(" | ").append(r.expect().verdict().label()).append(" | ")
                    .append(r.verdict().label()).append(" | ").append(r.metExpectation() ? "yes" : "**no**").append(" | ")
                    .append(r.trials()).append(" | ").append(r.parametersChecked())
                    .append(r.parametersChecked() < r.parametersTotal() ? " of " + r.parametersTotal() : "").append(" | ")
                    .append(Numbers.g(r.maxRelativeError())).append(" | ").append(r.kinks()).append(" | ")
                    .append(r.inconclusive()).append(" | ").append(Numbers.seconds(r.seconds())).append(" |\n");
        }
        List<String> quietCharts = new ArrayList<>();
        for (int i = 0; i < results.size(); i++) {
            List<String> charts = chartsOf.get(i);
            if (!section(sb, results.get(i), charts)) {
                quietCharts.addAll(charts);
            }
        }
        if (!quietCharts.isEmpty()) {
            sb.append("\n## Charts of the clean passes\n\n");
            quietCharts.forEach(c -> sb.append("- [").append(Text.markdown(c)).append("](").append(link(c)).append(")\n"));
        }
        if (!skipped.isEmpty()) {
            sb.append("\n## Skipped\n\n");
            skipped.forEach(r -> sb.append("- ").append(Text.markdown(r.name())).append(": ")
                    .append(Text.markdown(r.skipped())).append('\n'));
        }
        return sb.toString();
    }

    /**
     * A spec's section: everything the console printed under its line (findings, tables, activation,
     * own-consistency and loss lines, warnings), verbatim, and its charts inline. A clean pass with
     * nothing to warn about has none (its charts are linked at the end): returns whether it had one.
     */
    private static boolean section(StringBuilder sb, SpecResult r, List<String> plots) {
        boolean quiet = r.metExpectation() && r.verdict() == Verdict.PASS;
        String text = quiet ? Messages.warnings(r) : Messages.details(r, Medium.SUMMARY);
        if (quiet && text.isEmpty()) {
            return false;
        }
        sb.append("\n## ").append(Text.markdown(r.name())).append("\n\n");
        sb.append("File: ").append(Text.codeSpan(String.valueOf(r.file()))).append(". Verdict **").append(r.verdict().label())
                .append("**, expected ").append(r.expect().verdict().label()).append(".\n\n");
        if (!text.isEmpty()) {
            sb.append(Text.codeBlock(text.replaceAll("(?m)^  ", ""))); // the console indents under the spec line
        }
        for (String plot : plots) {
            sb.append("\n![").append(Text.markdown(plot)).append("](").append(link(plot)).append(")\n");
        }
        return true;
    }

    /** Plot file names are lower-case letters, digits, '.', '_' and '-' (Plots.safeName): no escaping needed. */
    private static String link(String plot) {
        return "plots/" + plot;
    }
}
