package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.LossSpec.Reduction;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apiguardian.api.API;

/**
 * Names the one convention that explains a gradient differing from the spec's without a wrong derivative:
 * the gradient summed over the batch while the loss, the spec's and the one the implementation returns, is the
 * batch mean. Deeplearning4j returns such a pair because its updater divides by the batch size later.
 *
 * <p>A constant ratio among the mismatching parameters ({@link Diagnosis}) is a hint, not this: it allows a
 * spread of 1e-6 and ignores the parameters that agree. Here every parameter-trial that has a reference must
 * equal N times it to within N times its own rounding bound (the bound of a gradient N times larger), so a
 * factor off by one part in a million, a factor on some tensors only, or any factor other than N, stays a
 * mismatch.
 */
@API(status = INTERNAL, since = "0.2")
public final class SummedBatchGradient {
    /** How the finding starts, so that a table can show it as the convention it names. */
    public static final String FINDING = "convention: gradient summed over the batch, loss averaged";

    private SummedBatchGradient() {
    }

    /**
     * @param all       every parameter-trial compared
     * @param trials    each trial's comparison of the implementation's loss with the spec's
     * @param examples  N, the examples per trial
     * @param reduction the spec's reduction over examples
     */
    static Optional<String> finding(List<ParameterResult> all, List<Consistency> trials, int examples,
                                    Reduction reduction) {
        if (reduction != Reduction.MEAN || examples < 2 || trials.isEmpty()
                || !trials.stream().allMatch(c -> c.available() && !c.lossDiffers())
                || all.stream().noneMatch(r -> r.status() == Status.MISMATCH)) {
            return Optional.empty();
        }
        int compared = 0;
        for (ParameterResult r : all) {
            // A parameter-trial judged against nothing (a kink where no oracle applies) was not compared in the
            // check either; every other one must be N times its reference.
            if (Double.isNaN(r.reference()) && r.status() != Status.MISMATCH) {
                continue;
            }
            if (!Within.agrees(r.analytic(), examples * r.reference(), examples * r.absoluteTolerance())) {
                return Optional.empty();
            }
            compared++;
        }
        return Optional.of(String.format(Locale.ROOT, "%s (analytic = N × exact, N = %d, at all %,d parameter-trials "
                + "to within N × rounding): the pair an API returns when its optimizer divides by N later, not a wrong "
                + "derivative; in hand-written code the same numbers are a forgotten 1/N, and only the API's documentation "
                + "tells which. Either way the gradient returned is not the derivative of the loss returned",
                FINDING, examples, compared));
    }
}
