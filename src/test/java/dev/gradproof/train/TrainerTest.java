package dev.gradproof.train;

import dev.gradproof.api.Batch;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TrainerTest {

    private static TrainingRun train(TrainingPlan plan, GradientFunction g, double lr, int epochs) {
        return Trainer.train("x", "x", TrainingRun.Kind.MUTANT, plan.model(), g, plan.theta0(), plan.data(),
                plan.task(), new Trainer.Options(lr, epochs), Trainer.Progress.NONE);
    }

    @Test
    void correctGradientTrainsXor() {
        Spec spec = BundledSpecs.load("specs/bpnn-xor.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of());
        List<TrainingRun> runs = Comparison.run(plan, Defaults.forSpec(spec), Trainer.Progress.NONE);
        TrainingRun r = runs.get(0);
        assertEquals(TrainingRun.Kind.CORRECT, r.kind());
        assertFalse(r.diverged());
        assertEquals(2001, r.losses().length, "the initial loss and one per epoch");
        assertTrue(r.finalLoss() < 0.01 * r.initialLoss(), "final " + r.finalLoss() + " vs initial " + r.initialLoss());
        assertEquals(Task.CLASSIFICATION, r.task());
        assertEquals(1.0, r.score(), "XOR accuracy");
    }

    @Test
    void lossIsTheSpecsLossAtEveryEpoch() {
        Spec spec = BundledSpecs.load("specs/sine-regression.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of());
        assertEquals(Task.REGRESSION, plan.task());
        Mlp mlp = NetworkFactory.build(spec);
        TrainingRun r = train(plan, GradientFunction.of(mlp, plan.data()), 0.1, 3);
        // replay the three steps by hand
        double[] theta = plan.theta0();
        for (int e = 0; e <= 3; e++) {
            assertEquals(mlp.loss(theta, plan.data()), r.losses()[e], 0.0, "epoch " + e);
            double[] g = mlp.gradient(theta, plan.data());
            for (int p = 0; p < theta.length; p++) {
                theta[p] -= 0.1 * g[p];
            }
        }
    }

    @Test
    void divergenceIsDetectedAndTheRunStops() {
        Spec spec = BundledSpecs.load("specs/sine-regression.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of());
        TrainingRun r = train(plan, GradientFunction.of(plan.lossNetwork(), plan.data()), 1e4, 500);
        assertTrue(r.diverged());
        assertTrue(r.divergedAt() >= 1 && r.divergedAt() < 500, "stopped early: " + r.divergedAt());
        assertEquals(r.divergedAt(), r.epochsRun());
        assertEquals(r.divergedAt() + 1, r.losses().length);
        double last = r.finalLoss();
        assertTrue(!Double.isFinite(last) || last > Trainer.BLOW_UP * r.initialLoss(), "last loss " + last);
        assertTrue(r.outcome().startsWith("diverged at epoch " + r.divergedAt() + " ("), r.outcome());
        assertEquals(Effect.DIVERGED, Effect.of(train(plan, GradientFunction.of(plan.lossNetwork(), plan.data()), 0.1, 10), r));
    }

    @Test
    void aNonFiniteGradientIsDivergence() {
        TrainingPlan plan = TrainingPlan.of(BundledSpecs.load("specs/bpnn-xor.yaml"), List.of());
        TrainingRun r = train(plan, theta -> {
            double[] g = new double[theta.length];
            g[3] = Double.NaN;
            return g;
        }, 0.1, 100);
        assertEquals(1, r.divergedAt());
        assertTrue(r.divergence().contains("gradient of W1[1,1] is NaN"), r.divergence());
    }

    /** Gradient ascent: a hand-made implementation returning the negated reference gradient. */
    @Test
    void aNegatedGradientMakesTheLossGoUp() {
        Spec spec = BundledSpecs.load("specs/bpnn-xor.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of());
        Mlp mlp = NetworkFactory.build(spec);
        NetworkUnderTest negated = new NetworkUnderTest() {
            @Override
            public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
                double[] theta = Conversions.flatten(mlp.layout(), parameters, "negated");
                double[] g = mlp.gradient(theta, plan.data());
                for (int p = 0; p < g.length; p++) {
                    g[p] = -g[p];
                }
                return new Evaluation(mlp.loss(theta, plan.data()), Conversions.parameters(mlp.layout(), g));
            }
        };
        TrainingRun r = train(plan, GradientFunction.of(negated, spec, mlp.layout(), plan.data()), 0.01, 200);
        double[] l = r.losses();
        assertTrue(l[1] > l[0], "first step goes up: " + l[0] + " -> " + l[1]);
        assertTrue(r.finalLoss() > r.initialLoss(), "ends higher: " + r.initialLoss() + " -> " + r.finalLoss());
    }

    @Test
    void theSignFlipMutantEndsAboveWhereItStarted() {
        Spec spec = BundledSpecs.load("specs/tanh-tutorial-fixed.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of(Mutants.byName("last-layer-sign-flip")));
        List<TrainingRun> runs = Comparison.run(plan, Defaults.forSpec(spec), Trainer.Progress.NONE);
        TrainingRun correct = runs.get(0);
        TrainingRun flipped = runs.get(runs.size() - 1);
        assertEquals("last-layer-sign-flip", flipped.name());
        // the spec's override is the exact derivative: "declared" trains like "correct"
        assertEquals("declared", runs.get(1).name());
        assertEquals(correct.finalLoss(), runs.get(1).finalLoss(), 1e-9 * correct.finalLoss());
        assertTrue(correct.finalLoss() < correct.initialLoss());
        assertTrue(flipped.finalLoss() > flipped.initialLoss(),
                "loss " + flipped.initialLoss() + " -> " + flipped.finalLoss());
        assertEquals(Effect.WENT_UP, Effect.of(correct, flipped));
    }

    @Test
    void aDerivativeOverrideIsTrainedBothWays() {
        Spec spec = BundledSpecs.load("specs/tanh-tutorial-bug.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of(Mutants.byName("tanh-tan")));
        assertEquals(List.of("correct", "declared", "tanh-tan"), plan.variants().stream().map(TrainingPlan.Variant::name).toList());
        assertFalse(TrainingPlan.overridesDerivative(plan.corrected()));
        double[] theta = plan.theta0();
        double[] declared = plan.variants().get(1).gradient().get().gradient(theta);
        double[] spec0 = NetworkFactory.build(spec).gradient(theta, plan.data());
        double[] correct = plan.variants().get(0).gradient().get().gradient(theta);
        double[] fixed = NetworkFactory.build(BundledSpecs.load("specs/tanh-tutorial-fixed.yaml")).gradient(theta, plan.data());
        assertTrue(Arrays.equals(spec0, declared), "declared = the spec's own backprop");
        for (int p = 0; p < theta.length; p++) {
            assertEquals(fixed[p], correct[p], 1e-12 * (1 + Math.abs(fixed[p])), "correct = exact derivative at " + p);
        }
        assertFalse(Arrays.equals(declared, correct));
    }

    @Test
    void mutantsThatCannotShowAreSkippedWithTheirReason() {
        TrainingPlan plan = TrainingPlan.of(BundledSpecs.load("specs/bpnn-xor.yaml"),
                List.of(Mutants.byName("mean-not-divided"), Mutants.byName("tanh-tan")));
        assertEquals(List.of("correct", "tanh-tan"), plan.variants().stream().map(TrainingPlan.Variant::name).toList());
        assertEquals(1, plan.skipped().size());
        assertEquals("mean-not-divided", plan.skipped().get(0).mutant());
        assertEquals("reduction is sum", plan.skipped().get(0).reason());
    }

    @Test
    void frozenLayersAreNotUpdated() {
        Spec spec = BundledSpecs.load("specs/frozen-layer.yaml");
        TrainingPlan plan = TrainingPlan.of(spec, List.of());
        var layout = plan.lossNetwork().layout();
        GradientFunction ones = theta -> {
            // a frozen parameter must never move, though its "gradient" is not zero
            for (int p = 0; p < theta.length; p++) {
                if (layout.isFrozen(p)) {
                    if (theta[p] != plan.theta0()[p]) {
                        throw new AssertionError("frozen " + layout.name(p) + " moved");
                    }
                }
            }
            double[] g = new double[theta.length];
            Arrays.fill(g, 1e-3);
            return g;
        };
        assertTrue(layout.trainable().size() < layout.total(), "the spec has a frozen layer");
        assertNotNull(train(plan, ones, 0.1, 5));
    }

    @Test
    void effectsAreNamedFromTheNumbers() {
        TrainingRun correct = run(new double[] {1, 0.1, 0.01});
        assertEquals(Effect.SAME, Effect.of(correct, run(new double[] {1, 0.1, 0.0105})));
        assertEquals(Effect.SLOWER, Effect.of(correct, run(new double[] {1, 0.2, 0.05})));
        assertEquals(Effect.STALLED, Effect.of(correct, run(new double[] {1, 0.6, 0.5})));
        assertEquals(Effect.WENT_UP, Effect.of(correct, run(new double[] {1, 2, 3})));
        assertEquals(Effect.LOWER, Effect.of(correct, run(new double[] {1, 0.01, 0.001})));
        assertTrue(Effect.describe(correct, run(new double[] {1, 2, 3})).startsWith("The loss went up: from 1.00 to 3.00"));
    }

    @Test
    void aCorrectRunAtExactlyZeroIsNotDividedBy() {
        TrainingRun correct = run(new double[] {1, 0.1, 0});
        assertEquals("Training still converges, but more slowly: final loss 2.00e-32, where the correct run reached "
                + "exactly 0 (RMSE 0.100 vs 0.100).", Effect.describe(correct, run(new double[] {1, 0.1, 2e-32})));
    }

    private static TrainingRun run(double[] losses) {
        return new TrainingRun("r", "r", TrainingRun.Kind.MUTANT, losses, losses.length - 1, losses.length - 1, -1, null,
                Task.REGRESSION, 0.5, 0.1, 0);
    }
}
