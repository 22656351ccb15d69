package dev.gradproof.compare;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Words the consistency checks: is the loss the spec's, is the gradient its own loss's gradient? */
final class ConsistencyFindings {
    private ConsistencyFindings() {
    }

    static List<String> describe(List<Consistency> trials, List<ParameterResult> all, int examples, int outputs) {
        List<String> out = new ArrayList<>();
        Consistency first = trials.stream().filter(Consistency::available).findFirst().orElse(null);
        if (first == null) {
            return out;
        }
        int checked = trials.stream().mapToInt(Consistency::ownChecked).sum();
        int eligible = trials.stream().mapToInt(Consistency::ownEligible).sum();
        List<String> sample = trials.stream().flatMap(c -> c.ownSample().stream()).distinct().toList();
        if (checked > 0 && checked < eligible) {
            out.add(String.format(Locale.ROOT, "own consistency sampled: %,d of %,d parameter-trials, since each perturbed "
                    + "loss is a full forward pass of the implementation (every layer and row represented: %s%s)",
                    checked, eligible, String.join(", ", sample.subList(0, Math.min(12, sample.size()))),
                    sample.size() > 12 ? " and " + (sample.size() - 12) + " more" : ""));
        }
        List<String> bad = trials.stream().flatMap(c -> c.ownDisagreeing().stream()).distinct().toList();
        int directions = trials.stream().mapToInt(Consistency::ownDirections).sum();
        String what = bad.stream().allMatch(b -> b.matches("v[0-9]+")) ? " directions" : " parameters or directions";
        if (directions > 0 && bad.stream().noneMatch(b -> b.matches("v[0-9]+"))) {
            what = " parameters";
        }
        String compared = (checked > 0 ? checked + " parameter-trials" : "") + (checked > 0 && directions > 0 ? " and " : "")
                + (directions > 0 ? directions + " direction-trials, each over every parameter" : "");
        boolean gradientMatchesSpec = all.stream().noneMatch(r -> r.status() == Status.MISMATCH);
        // Findings are read in report.json, summary.md, JUnit and Allure alike: point at the factor only when there is one.
        boolean factorFound = Diagnosis.findings(all, examples, outputs).stream().anyMatch(f -> f.startsWith("constant factor:"));
        if (checked + directions > 0 && !bad.isEmpty() && gradientMatchesSpec) {
            out.add("own consistency: its gradient is not the derivative of its own loss at " + bad.size()
                    + what + ", but it is the spec's exact gradient: its forward pass (the loss) is what differs");
        } else if (checked + directions > 0) {
            out.add(bad.isEmpty()
                    ? "own consistency: its gradient agrees with finite differences of its own loss (" + compared + ")"
                    : "own consistency: its gradient is NOT the derivative of its own loss at " + bad.size() + what + " ("
                        + String.join(", ", bad.subList(0, Math.min(8, bad.size()))) + (bad.size() > 8 ? ", ..." : "")
                        + "): its backward pass and its own loss disagree (a backward bug, or a convention such as "
                        + "a batch-summed gradient with a batch-averaged loss" + (factorFound ? ": see the constant factor" : "")
                        + ")");
        }
        Consistency differing = trials.stream().filter(Consistency::lossDiffers).findFirst().orElse(null);
        // A gradient off by a factor while the loss is the spec's is named a convention by SummedBatchGradient alone,
        // which holds every parameter to it: a factor among the mismatches only is a hint, above.
        if (differing == null) {
            out.add(String.format(Locale.ROOT, "loss: its loss equals the spec's (%.10g vs %.10g)",
                    first.implementationLoss(), first.specLoss()));
            return out;
        }
        double ratio = differing.implementationLoss() / differing.specLoss();
        String meaning = Diagnosis.lossMeaning(ratio, examples, outputs);
        out.add(String.format(Locale.ROOT, "loss: its loss is %.10g where the spec's is %.10g (ratio %.6g)%s",
                differing.implementationLoss(), differing.specLoss(), ratio, meaning));
        String gradientFactor = Diagnosis.constantFactor(all.stream().filter(r -> r.status() == Status.MISMATCH).toList(),
                examples, outputs, "mismatching parameters");
        if (!meaning.isEmpty() && bad.isEmpty() && gradientFactor != null
                && gradientFactor.contains(String.format(Locale.ROOT, "%.6g", ratio))) {
            out.add("convention: loss and gradient differ from the spec by the same factor and its gradient is its own "
                    + "loss's gradient: a different convention, not a bug in its backpropagation");
        }
        return out;
    }
}
