package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;

import java.util.List;
import org.apiguardian.api.API;

/** summary.md: the run as a person reads it, in the same words as the console. */
@API(status = INTERNAL, since = "0.2")
public final class SummaryMarkdown {
    private SummaryMarkdown() {
    }

    public static String render(RunInfo info, List<SpecResult> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("# gradproof run ").append(info.runId()).append("\n\n");
        if (!info.complete()) {
            sb.append("**Partial report: the run did not finish.**\n\n");
        }
        sb.append("**").append(Messages.closingLine(results)).append("**\n\n");
        List<SpecResult> skipped = results.stream().filter(SpecResult::isSkipped).toList();
        results = results.stream().filter(r -> !r.isSkipped()).toList();
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
        for (SpecResult r : results) {
            boolean activationTrouble = r.activationChecks().stream().anyMatch(a -> !a.passed());
            if (r.verdict() == Verdict.PASS && !activationTrouble && r.metExpectation()) {
                continue;
            }
            sb.append("\n## ").append(Text.markdown(r.name())).append("\n\n");
            sb.append("File: ").append(Text.codeSpan(String.valueOf(r.file()))).append(". Verdict **").append(r.verdict().label())
                    .append("**, expected ").append(r.expect().verdict().label()).append(".\n\n");
            if (r.verdict() == Verdict.ERROR) {
                sb.append(Text.codeBlock(r.error()));
                continue;
            }
            if (r.verdict() == Verdict.MISMATCH) {
                sb.append(Text.markdown(Messages.mismatchHeadline(r))).append(".\n\n");
                sb.append(Text.codeBlock(Messages.layerTable(r.layers(), "") + "\n" + Messages.mismatchTable(r.mismatches(), 20, "")));
            }
            for (ActivationCheck a : r.activationChecks()) {
                if (!a.passed()) {
                    sb.append("\n- ").append(Text.markdown(Messages.activationLine(a))).append('\n');
                }
            }
        }
        if (!skipped.isEmpty()) {
            sb.append("\n## Skipped\n\n");
            skipped.forEach(r -> sb.append("- ").append(Text.markdown(r.name())).append(": ")
                    .append(Text.markdown(r.skipped())).append('\n'));
        }
        return sb.toString();
    }
}
