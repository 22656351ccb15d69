package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.apiguardian.api.API;

/**
 * What {@code gradproof train} runs on one spec: the start (trial 0's weights and data, as
 * {@code check} draws them), the loss network, and the variants to train.
 *
 * <p>The correct run follows the exact gradient of the spec's loss. When the spec overrides an
 * activation's derivative (how a spec reproduces a derivative bug), its own network IS the buggy
 * backpropagation: it becomes the variant "declared derivative (as in the spec)", and the correct
 * run uses the same network with the built-in (exact) derivative. Mutants are applied to that
 * corrected network, so each one is the correct network plus exactly one mistake.
 */
@API(status = INTERNAL, since = "0.2")
public final class TrainingPlan {
    /** One run to make. */
    public record Variant(String name, String label, TrainingRun.Kind kind, Supplier<GradientFunction> gradient) {
    }

    /** A mutant not run, and why. */
    public record Skipped(String mutant, String reason) {
    }

    private final Spec spec;
    private final Spec corrected;
    private final Mlp lossNetwork;
    private final Model model;
    private final double[] theta0;
    private final Dataset data;
    private final Task task;
    private final List<Variant> variants;
    private final List<Skipped> skipped;

    TrainingPlan(Spec spec, Spec corrected, Mlp lossNetwork, Model model, double[] theta0, Dataset data, Task task,
                 List<Variant> variants, List<Skipped> skipped) {
        this.spec = spec;
        this.corrected = corrected;
        this.lossNetwork = lossNetwork;
        this.model = model;
        this.theta0 = theta0;
        this.data = data;
        this.task = task;
        this.variants = List.copyOf(variants);
        this.skipped = List.copyOf(skipped);
    }

    /**
     * @throws IllegalArgumentException when the spec's trial cannot be drawn (e.g. a CSV file is missing)
     */
    public static TrainingPlan of(Spec spec, List<Mutant> mutants) {
        return of(spec, mutants, List.of());
    }

    /**
     * With mutants of both zoos: those of a dense chain's zoo train on a dense spec, the graph zoo's on a
     * layer graph, and each of the other zoo is skipped with the reason.
     */
    public static TrainingPlan of(Spec spec, List<Mutant> mutants, List<GraphMutant> graphMutants) {
        if (spec.network().isGraph()) {
            return GraphTraining.plan(spec, mutants, graphMutants);
        }
        TrialCase start;
        try {
            start = TrialRecipe.full(spec, 0).materialize(spec);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot draw the spec's data and weights: "
                    + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
        }
        Spec corrected = withoutDerivativeOverrides(spec);
        Mlp reference = NetworkFactory.build(corrected);
        Dataset data = start.trial().data();
        double[] theta0 = start.trial().theta();
        List<Variant> variants = new ArrayList<>();
        variants.add(new Variant("correct", "correct gradient" + (overridesDerivative(spec) ? " (correct derivative)" : ""),
                TrainingRun.Kind.CORRECT, () -> GradientFunction.of(reference, data)));
        if (overridesDerivative(spec)) {
            Mlp declared = NetworkFactory.build(spec);
            variants.add(new Variant("declared", "declared derivative (as in the spec)", TrainingRun.Kind.DECLARED,
                    () -> GradientFunction.of(declared, data)));
        }
        List<Skipped> skipped = new ArrayList<>();
        for (Mutant m : mutants) {
            Applicability a = m.applies(corrected);
            if (!a.applicable()) {
                skipped.add(new Skipped(m.name(), a.reason()));
                continue;
            }
            variants.add(new Variant(m.name(), m.name() + (m.correct() ? " (correct variant)" : ""),
                    m.correct() ? TrainingRun.Kind.CORRECT_VARIANT : TrainingRun.Kind.MUTANT,
                    () -> GradientFunction.of(m.implementation(corrected), corrected, reference.layout(), data)));
        }
        for (GraphMutant m : graphMutants) {
            skipped.add(new Skipped(m.name(), "a layer-graph bug, and this spec is a dense chain"));
        }
        return new TrainingPlan(spec, corrected, reference, Model.of(reference, data), theta0, data, Task.of(spec, data),
                variants, skipped);
    }

    /** Whether some layer replaces its built-in derivative by an expression. */
    public static boolean overridesDerivative(Spec spec) {
        if (spec.network().isGraph()) {
            return GraphTraining.overridesDerivative(spec);
        }
        return spec.network().layers().stream().anyMatch(l -> l.activation().overridesDerivative());
    }

    /** The spec with every built-in activation's derivative override removed (the exact derivative back). */
    public static Spec withoutDerivativeOverrides(Spec spec) {
        if (!overridesDerivative(spec)) {
            return spec;
        }
        List<LayerSpec> layers = new ArrayList<>();
        for (LayerSpec l : spec.network().layers()) {
            ActivationSpec a = l.activation();
            ActivationSpec exact = a.overridesDerivative()
                    ? new ActivationSpec(a.name(), a.slope(), a.alpha(), a.value(), null, a.valueSource(), null) : a;
            layers.add(new LayerSpec(l.units(), exact, l.bias(), l.frozen()));
        }
        return spec.withNetwork(new NetworkSpec(spec.network().inputs(), layers));
    }

    public Spec spec() {
        return spec;
    }

    /** The spec with exact derivatives: what the correct run and the mutants are built from. */
    public Spec corrected() {
        return corrected;
    }

    /** The dense chain that measures every run's loss; null for a layer graph (see {@link #model()}). */
    public Mlp lossNetwork() {
        return lossNetwork;
    }

    /** Measures every run's loss, dense chain or layer graph. */
    public Model model() {
        return model;
    }

    public double[] theta0() {
        return theta0.clone();
    }

    public Dataset data() {
        return data;
    }

    public Task task() {
        return task;
    }

    public List<Variant> variants() {
        return variants;
    }

    public List<Skipped> skipped() {
        return skipped;
    }
}
