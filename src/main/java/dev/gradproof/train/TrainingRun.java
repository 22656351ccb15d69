package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * One full-batch gradient-descent run and how it ended.
 *
 * @param name       identifier: {@code correct}, {@code declared}, or the mutant's name
 * @param label      legend text
 * @param kind       which gradient was followed
 * @param losses     the spec's loss before any step (index 0) and after each epoch; ends at the
 *                   epoch where the run stopped (its last entry may be NaN or infinite on divergence)
 * @param epochs     epochs asked for
 * @param epochsRun  epochs actually run (= epochs unless it diverged)
 * @param divergedAt the epoch at which divergence was detected, or -1
 * @param divergence why it was stopped (e.g. {@code loss is NaN}), or null
 * @param task       what {@code score} measures
 * @param initialScore accuracy in [0, 1] or RMSE on the training set at the start (the same for every
 *                   run of a plan: they start from the same weights)
 * @param score      accuracy in [0, 1] or RMSE on the training set at the final parameters (NaN if they
 *                   are not finite)
 * @param seconds    wall time
 */
@API(status = INTERNAL, since = "0.2")
public record TrainingRun(String name, String label, Kind kind, double[] losses, int epochs, int epochsRun,
                          int divergedAt, String divergence, Task task, double initialScore, double score,
                          double seconds) {

    /** Which gradient a run follows. */
    public enum Kind {
        /** The exact gradient of the spec's loss. */
        CORRECT("correct"),
        /** The spec's declared derivative (a derivative override), as the spec's own network backpropagates. */
        DECLARED("declared derivative"),
        /** A bug from the zoo. */
        MUTANT("mutant"),
        /** A zoo variant that computes the gradient differently but correctly. */
        CORRECT_VARIANT("correct variant");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public boolean diverged() {
        return divergedAt >= 0;
    }

    public double initialLoss() {
        return losses[0];
    }

    public double finalLoss() {
        return losses[losses.length - 1];
    }

    /** The lowest loss reached on the way. */
    public double bestLoss() {
        double best = Double.POSITIVE_INFINITY;
        for (double l : losses) {
            if (l < best) {
                best = l;
            }
        }
        return best == Double.POSITIVE_INFINITY ? Double.NaN : best;
    }

    /** {@code diverged at epoch 37 (loss is NaN)} or {@code ran 2000 epochs}. */
    public String outcome() {
        return diverged() ? "diverged at epoch " + divergedAt + " (" + divergence + ")" : "ran " + epochsRun + " epochs";
    }
}
