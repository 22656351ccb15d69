package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Dataset;
import dev.gradproof.report.Numbers;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Plain full-batch gradient descent, θ ← θ − η·g, with g from any {@link GradientFunction} and the
 * loss always measured by the reference network (the spec's true loss), so runs that follow
 * different gradients from the same start are comparable. Frozen layers are not updated.
 *
 * <p>A run stops early, marked diverged, when the loss becomes NaN or infinite, exceeds
 * {@link #BLOW_UP} times its initial value, or the gradient has a non-finite entry.
 */
@API(status = INTERNAL, since = "0.2")
public final class Trainer {
    /** A loss this many times the initial one counts as divergence. */
    public static final double BLOW_UP = 1e6;

    /** Told how many epochs a run has done since the last call; may be called from several threads. */
    @FunctionalInterface
    public interface Progress {
        void epochs(int done);

        Progress NONE = done -> { };
    }

    /**
     * @param learningRate η, positive
     * @param epochs       number of full-batch steps, at least 1
     */
    public record Options(double learningRate, int epochs) {
        public Options {
            if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
                throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
            }
            if (epochs < 1) {
                throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
            }
        }
    }

    private Trainer() {
    }

    /**
     * Trains from {@code theta0} (not modified).
     *
     * @param model the reference network: measures the loss and the final score
     * @param data  the batch {@code model} runs on, for the score
     */
    public static TrainingRun train(String name, String label, TrainingRun.Kind kind, Model model,
                                    GradientFunction gradient, double[] theta0, Dataset data, Task task,
                                    Options options, Progress progress) {
        long start = System.nanoTime();
        boolean[] frozen = new boolean[model.parameters()];
        for (int p = 0; p < frozen.length; p++) {
            frozen[p] = model.frozen(p);
        }
        double[] theta = theta0.clone();
        double eta = options.learningRate();
        int epochs = options.epochs();
        double[] losses = new double[epochs + 1];
        Model.Step f = model.forward(theta);
        losses[0] = f.loss();
        double initialScore = task.score(f.output(), data);
        double limit = f.loss() > 0 ? BLOW_UP * f.loss() : Double.POSITIVE_INFINITY;
        int divergedAt = -1;
        String why = notFinite(f.loss());
        int epoch = 0;
        int reported = 0;
        if (why != null) {
            divergedAt = 0;
        }
        while (divergedAt < 0 && epoch < epochs) {
            double[] g = gradient.gradient(theta, f);
            epoch++;
            int bad = firstNonFinite(g, frozen);
            if (bad >= 0) {
                losses[epoch] = Double.NaN;
                divergedAt = epoch;
                why = "gradient of " + model.name(bad) + " is " + g[bad];
                break;
            }
            for (int p = 0; p < theta.length; p++) {
                if (!frozen[p]) {
                    theta[p] -= eta * g[p];
                }
            }
            f = model.forward(theta);
            losses[epoch] = f.loss();
            why = notFinite(f.loss());
            if (why == null && f.loss() > limit) {
                why = "loss " + Numbers.g(f.loss()) + " > 1e6 x initial "
                        + Numbers.g(losses[0]);
            }
            if (why != null) {
                divergedAt = epoch;
            }
            if (epoch - reported >= 50) {
                progress.epochs(epoch - reported);
                reported = epoch;
            }
        }
        // a diverged run's remaining epochs count as done for progress
        progress.epochs(epochs - reported);
        double[] kept = Arrays.copyOf(losses, epoch + 1);
        double score = task.score(f.output(), data);
        return new TrainingRun(name, label, kind, kept, epochs, epoch, divergedAt, why, task, initialScore, score,
                (System.nanoTime() - start) / 1e9);
    }

    private static String notFinite(double loss) {
        if (Double.isNaN(loss)) {
            return "loss is NaN";
        }
        return Double.isInfinite(loss) ? "loss is infinite" : null;
    }

    private static int firstNonFinite(double[] g, boolean[] frozen) {
        for (int p = 0; p < g.length; p++) {
            if (!frozen[p] && !Double.isFinite(g[p])) {
                return p;
            }
        }
        return -1;
    }
}
