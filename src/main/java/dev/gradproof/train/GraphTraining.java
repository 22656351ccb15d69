package dev.gradproof.train;

import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * {@link TrainingPlan} for a layer graph: the correct run follows the graph's hand-written backward pass
 * with exact derivatives, and a spec that declares an activation's derivative also trains with it, as
 * for a dense chain; the graph zoo's mutants train from the same start where they apply, and the dense
 * zoo's are listed as skipped.
 */
final class GraphTraining {
    private GraphTraining() {
    }

    static TrainingPlan plan(Spec spec, List<Mutant> mutants, List<GraphMutant> graphMutants) {
        Spec corrected = withoutDerivativeOverrides(spec);
        GraphNetwork reference;
        GraphCase start;
        try {
            reference = GraphFactory.build(corrected);
            start = GraphFactory.draw(corrected, reference, 0);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot draw the spec's data and weights: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        if (reference.outputShape().kind() != Shape.Kind.FEATURES) {
            // Accuracy and RMSE are scored per example over one output vector; per-step outputs would
            // be scored as one long vector, which reads as a number it is not.
            throw new IllegalArgumentException("train scores one output vector per example, and this graph's output is "
                    + reference.outputShape().describe() + "; `gradproof check` checks its gradient");
        }
        var d = start.data();
        Dataset data = new Dataset(d.examples(), reference.inputShape().size(), reference.outputShape().size(), d.x(), d.y());
        List<TrainingPlan.Variant> variants = new ArrayList<>();
        boolean declares = overridesDerivative(spec);
        variants.add(new TrainingPlan.Variant("correct", "correct gradient" + (declares ? " (correct derivative)" : ""),
                TrainingRun.Kind.CORRECT, () -> GradientFunction.of(reference, d)));
        if (declares) {
            GraphNetwork declared = GraphFactory.build(spec);
            variants.add(new TrainingPlan.Variant("declared", "declared derivative (as in the spec)",
                    TrainingRun.Kind.DECLARED, () -> GradientFunction.of(declared, d)));
        }
        List<TrainingPlan.Skipped> skipped = new ArrayList<>();
        for (Mutant m : mutants) {
            skipped.add(new TrainingPlan.Skipped(m.name(), "a dense-chain bug, and this spec is a layer graph"));
        }
        for (GraphMutant m : graphMutants) {
            Applicability a = m.applies(reference);
            if (!a.applicable()) {
                skipped.add(new TrainingPlan.Skipped(m.name(), a.reason()));
                continue;
            }
            // Each mutant is the corrected network plus exactly one mistake, fed the trainer's forward pass.
            GraphTrialCheck.Analytic wrong = m.implementation();
            variants.add(new TrainingPlan.Variant(m.name(), m.name() + (m.correct() ? " (correct variant)" : ""),
                    m.correct() ? TrainingRun.Kind.CORRECT_VARIANT : TrainingRun.Kind.MUTANT,
                    () -> theta -> wrong.gradient(reference, theta, new GraphCase(start.name(), reference, theta, d),
                            reference.forward(theta, d))));
        }
        return new TrainingPlan(spec, corrected, null, Model.of(reference, d), start.theta(), data, Task.of(spec, data),
                variants, skipped);
    }

    static boolean overridesDerivative(Spec spec) {
        return spec.network().graph().layers().stream()
                .anyMatch(l -> l.activation() != null && l.activation().overridesDerivative());
    }

    /** The graph with each declared derivative removed: its activations' exact derivatives back. */
    static Spec withoutDerivativeOverrides(Spec spec) {
        GraphSpec g = spec.network().graph();
        List<GraphSpec.Layer> layers = new ArrayList<>();
        for (GraphSpec.Layer l : g.layers()) {
            ActivationSpec a = l.activation();
            ActivationSpec exact = a != null && a.overridesDerivative()
                    ? new ActivationSpec(a.name(), a.slope(), a.alpha(), a.value(), null, a.valueSource(), null) : a;
            layers.add(new GraphSpec.Layer(l.name(), l.options(), l.from(), exact, l.frozen()));
        }
        return spec.withNetwork(NetworkSpec.of(new GraphSpec(g.input(), layers, g.plan())));
    }
}
