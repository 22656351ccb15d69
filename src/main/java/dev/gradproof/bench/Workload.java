package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.Distribution;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.WeightSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/** A benchmark workload: a network, a data size and which check to run on it. */
@API(status = INTERNAL, since = "0.2")
public record Workload(String name, Spec spec) {

    /** Ng's ex4 shape with a chosen hidden width: 400-H-10 sigmoid, cross-entropy, λ = 1. */
    static Spec ex4(int hidden, int examples, CheckSpec check) {
        List<LayerSpec> layers = List.of(
                new LayerSpec(hidden, ActivationSpec.builtin("sigmoid"), true, false),
                new LayerSpec(10, ActivationSpec.builtin("sigmoid"), true, false));
        DataSpec data = new DataSpec(examples, Distribution.uniform(0, 1), new DataSpec.Targets("one_hot", null, 0), null, 0, null);
        return new Spec("ex4-400-" + hidden + "-10-n" + examples, null, "", new NetworkSpec(400, layers),
                new LossSpec(LossSpec.LossType.BINARY_CROSS_ENTROPY, LossSpec.Reduction.MEAN, 1.0, false), data,
                new WeightSpec("uniform", 0.1, -0.12, 0.12, "same"), check, Expectation.pass(), 1, "");
    }

    /**
     * {@link #ex4}'s spec as a file's text, for a cold {@code ./gradproof check}: the same network, data and
     * weights (a test holds the two to the same loss).
     */
    static String ex4Yaml(int hidden, int examples, String checkSection) {
        return String.format(Locale.ROOT, """
                name: ex4-400-%d-10-n%d
                network:
                  inputs: 400
                  layers:
                    - {units: %d, activation: sigmoid}
                    - {units: 10, activation: sigmoid}
                loss: {type: binary_cross_entropy, reduction: mean, l2: 1}
                data:
                  examples: %d
                  inputs: {distribution: uniform, low: 0, high: 1}
                  targets: one_hot
                weights: {init: uniform, low: -0.12, high: 0.12}
                %s
                seed: 1
                expect: pass
                """, hidden, examples, hidden, examples, checkSection);
    }

    /** The seed's 2-25-50-25-2 sigmoid network with mse on the two-moons set. */
    static Spec twoMoons(int examples, CheckSpec check) {
        List<LayerSpec> layers = new ArrayList<>();
        for (int w : new int[] {25, 50, 25, 2}) {
            layers.add(new LayerSpec(w, ActivationSpec.builtin("sigmoid"), true, false));
        }
        DataSpec data = new DataSpec(examples, null, null, DataSpec.Generator.TWO_MOONS, 0.1, null);
        return new Spec("two-moons-2-25-50-25-2-n" + examples, null, "", new NetworkSpec(2, layers),
                new LossSpec(LossSpec.LossType.MSE, LossSpec.Reduction.MEAN, 0, false), data,
                new WeightSpec("normal", 0.5, 0, 0, "same"), check, Expectation.pass(), 1, "");
    }

    static CheckSpec exactOnly() {
        return new CheckSpec(1, Set.of(CheckSpec.EXACT), null, 0);
    }

    static CheckSpec exactAndFiniteDifferences() {
        return new CheckSpec(1, Set.of(CheckSpec.EXACT, CheckSpec.FINITE_DIFFERENCE), null, 0);
    }

    static CheckSpec directional(int k) {
        return new CheckSpec(1, Set.of(CheckSpec.EXACT, CheckSpec.FINITE_DIFFERENCE), null, 0, false, k);
    }
}
