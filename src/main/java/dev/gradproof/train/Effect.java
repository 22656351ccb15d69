package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.report.Numbers;
import org.apiguardian.api.API;

/** What a wrong gradient did to training, compared with the correct run from the same start. */
@API(status = INTERNAL, since = "0.2")
public enum Effect {
    DIVERGED("diverged"),
    WENT_UP("loss went up"),
    STALLED("training stalls"),
    SLOWER("slower convergence"),
    SAME("no visible effect"),
    LOWER("lower loss than the correct gradient");

    /** Final losses within this factor of each other count as the same. */
    static final double SAME_WITHIN = 1.1;

    private final String label;

    Effect(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public static Effect of(TrainingRun correct, TrainingRun run) {
        if (run.diverged()) {
            return DIVERGED;
        }
        double fin = run.finalLoss();
        double ref = correct.finalLoss();
        if (fin > run.initialLoss()) {
            return WENT_UP;
        }
        if (!(ref > 0) || !Double.isFinite(ref)) {
            return fin <= ref ? SAME : SLOWER;
        }
        double q = fin / ref;
        if (q <= SAME_WITHIN && q >= 1 / SAME_WITHIN) {
            return SAME;
        }
        if (q < 1) {
            return LOWER;
        }
        return q >= 10 && fin >= 0.1 * run.initialLoss() ? STALLED : SLOWER;
    }

    /** One sentence for people, with the numbers. */
    public static String describe(TrainingRun correct, TrainingRun run) {
        Effect e = of(correct, run);
        String metric = run.task().metric();
        String scores = " (" + metric + " " + TrainReport.score(run) + " vs " + TrainReport.score(correct) + ")";
        String ref = Numbers.g(correct.finalLoss());
        return switch (e) {
            case DIVERGED -> "Training diverged at epoch " + run.divergedAt() + " (" + run.divergence()
                    + "), while the correct gradient reached loss " + ref + " in " + correct.epochsRun() + " epochs.";
            case WENT_UP -> "The loss went up: from " + Numbers.g(run.initialLoss()) + " to " + Numbers.g(run.finalLoss())
                    + " after " + run.epochsRun() + " epochs, while the correct gradient brought it down to " + ref + scores + ".";
            case STALLED -> "Training stalls: the loss only falls from " + Numbers.g(run.initialLoss()) + " to "
                    + Numbers.g(run.finalLoss()) + ", " + Numbers.g(run.finalLoss() / correct.finalLoss())
                    + " times the correct run's final " + ref + scores + ".";
            case SLOWER -> "Training still converges, but more slowly: final loss " + Numbers.g(run.finalLoss()) + ", "
                    + (correct.finalLoss() > 0 ? Numbers.g(run.finalLoss() / correct.finalLoss()) + " times the correct "
                    + "run's " + ref : "where the correct run reached exactly " + ref) + scores + ".";
            case SAME -> run.kind() == TrainingRun.Kind.CORRECT_VARIANT
                    ? "Trains like the correct gradient, as a correct variant should: final loss "
                    + Numbers.g(run.finalLoss()) + " vs " + ref + scores + "."
                    : "No visible effect on training: final loss " + Numbers.g(run.finalLoss()) + " vs " + ref
                    + " for the correct gradient" + scores + ". Only a gradient check can tell this run apart.";
            case LOWER -> "This run even ends at a lower loss than the correct gradient (" + Numbers.g(run.finalLoss())
                    + " vs " + ref + scores + "): a better-looking curve proves nothing about the gradient.";
        };
    }
}
