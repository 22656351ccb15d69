package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apiguardian.api.API;

/** Runs every variant of a plan from the same start, in parallel; results in the plan's order. */
@API(status = INTERNAL, since = "0.2")
public final class Comparison {
    private Comparison() {
    }

    /**
     * @throws IllegalStateException when a variant's gradient throws (its message names the variant)
     */
    public static List<TrainingRun> run(TrainingPlan plan, Trainer.Options options, Trainer.Progress progress) {
        List<TrainingPlan.Variant> variants = plan.variants();
        int threads = Math.max(1, Math.min(variants.size(), Runtime.getRuntime().availableProcessors()));
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "gradproof-train");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<TrainingRun>> futures = new ArrayList<>();
            for (TrainingPlan.Variant v : variants) {
                futures.add(pool.submit(() -> Trainer.train(v.name(), v.label(), v.kind(), plan.model(),
                        v.gradient().get(), plan.theta0(), plan.data(), plan.task(), options, progress)));
            }
            List<TrainingRun> runs = new ArrayList<>();
            for (int i = 0; i < futures.size(); i++) {
                try {
                    runs.add(futures.get(i).get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    throw new IllegalStateException("training " + variants.get(i).name() + " failed: "
                            + (c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage()), c);
                }
            }
            return runs;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
