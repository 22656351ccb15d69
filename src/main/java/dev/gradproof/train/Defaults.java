package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.Spec;
import org.apiguardian.api.API;

/**
 * Learning rate and epochs when the command line gives none, keyed by the spec's data generator.
 * Each was chosen so that the correct run on the bundled spec of that problem converges, and
 * smoothly (larger steps converge a little further but with spikes in the loss curve that distract
 * from the comparison; docs/TEACHING.md lists the outcomes):
 *
 * <ul>
 *   <li>{@code xor}: η = 0.3, 2000 epochs (bpnn-xor, tanh-tutorial-*: accuracy 100 %, loss below 0.001)</li>
 *   <li>{@code two_moons}: η = 1, 2000 epochs (two-moons-4-layer: accuracy 100 %; mean MSE over 200
 *       examples with sigmoid units gives small gradients, hence the large step)</li>
 *   <li>{@code sine}: η = 0.1, 2000 epochs (sine-regression: RMSE about 0.04)</li>
 *   <li>{@code normal_regression}: η = 0.1, 1000 epochs</li>
 *   <li>CSV and random data: 1000 epochs, and η {@linkplain #tune tuned}: of 1, 0.3, 0.1, 0.03, 0.01, 0.003 and
 *       0.001, the one whose correct run reaches the lowest loss in 200 epochs without diverging</li>
 * </ul>
 */
@API(status = INTERNAL, since = "0.2")
public final class Defaults {
    private Defaults() {
    }

    /** Learning rates tried by {@link #tune}, largest first. */
    static final double[] CANDIDATES = {1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001};
    /** Epochs of each trial run when tuning. */
    static final int TUNING_EPOCHS = 200;
    /**
     * A layer graph's epochs, and its tuning runs' epochs: a full-batch step of a graph costs far more
     * than a dense chain's (digits-cnn: about 0.3 s on 1,797 images), so a graph gets a few hundred
     * steps, as issue #14 asks, and a shorter tuning.
     */
    static final int GRAPH_EPOCHS = 300;
    static final int GRAPH_TUNING_EPOCHS = 20;

    /** The options used, and how the learning rate was set (for the report). */
    public record Choice(Trainer.Options options, String how) {
    }

    /** Whether a spec has fixed defaults (a known generator) rather than a tuned learning rate. */
    public static boolean fixed(Spec spec) {
        return spec.data().generator() != null;
    }

    /**
     * The options for a plan: the command line's values where given; else the generator's defaults,
     * or for specs without a generator a learning rate tuned on the correct gradient.
     */
    public static Choice choose(TrainingPlan plan, Double learningRate, Integer epochs) {
        Spec spec = plan.spec();
        Trainer.Options d = forSpec(spec);
        int e = epochs == null ? d.epochs() : epochs;
        if (learningRate != null) {
            return new Choice(new Trainer.Options(learningRate, e), "given");
        }
        if (fixed(spec)) {
            return new Choice(new Trainer.Options(d.learningRate(), e), "default for " + spec.data().generator().yamlName());
        }
        int tuning = Math.min(e, spec.network().isGraph() ? GRAPH_TUNING_EPOCHS : TUNING_EPOCHS);
        double lr = tune(plan, tuning);
        return new Choice(new Trainer.Options(lr, e), "tuned: lowest loss of the correct run after "
                + tuning + " epochs among 1, 0.3, 0.1, 0.03, 0.01, 0.003, 0.001");
    }

    /**
     * Of {@link #CANDIDATES}, the learning rate whose correct run reaches the lowest loss in
     * {@code epochs} epochs without diverging (the smallest candidate if all diverge).
     */
    public static double tune(TrainingPlan plan, int epochs) {
        TrainingPlan.Variant correct = plan.variants().get(0);
        double best = CANDIDATES[CANDIDATES.length - 1];
        double bestLoss = Double.POSITIVE_INFINITY;
        for (double lr : CANDIDATES) {
            TrainingRun r = Trainer.train("tune", "tune", TrainingRun.Kind.CORRECT, plan.model(),
                    correct.gradient().get(), plan.theta0(), plan.data(), plan.task(), new Trainer.Options(lr, epochs),
                    Trainer.Progress.NONE);
            if (!r.diverged() && r.finalLoss() < bestLoss) {
                bestLoss = r.finalLoss();
                best = lr;
            }
        }
        return best;
    }

    /** The fixed defaults (for specs without a generator: η = 0.1, 1000 epochs, before tuning). */
    public static Trainer.Options forSpec(Spec spec) {
        DataSpec.Generator g = spec.data().generator();
        if (g == null) {
            return new Trainer.Options(0.1, spec.network().isGraph() ? GRAPH_EPOCHS : 1000);
        }
        return switch (g) {
            case XOR -> new Trainer.Options(0.3, 2000);
            case TWO_MOONS -> new Trainer.Options(1, 2000);
            case SINE -> new Trainer.Options(0.1, 2000);
            case NORMAL_REGRESSION -> new Trainer.Options(0.1, 1000);
        };
    }
}
