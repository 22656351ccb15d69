package dev.gradproof.mutants;

import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.nio.file.Path;

/** Specs for the mutant tests: bundled ones by name, and small ones written inline. */
final class TestSpecs {
    private TestSpecs() {
    }

    /** specs/NAME.yaml. */
    static Spec bundled(String name) {
        return BundledSpecs.load("specs/" + name + ".yaml");
    }

    static Spec parse(String yaml) {
        try {
            return new SpecLoader().parse(yaml, Path.of("inline.yaml"));
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * A spec with the given layers (YAML list items, e.g. {@code "{units: 3, activation: tanh}"}), loss
     * section body and data section body.
     */
    static Spec of(int inputs, String[] layers, String loss, String data, String weights) {
        StringBuilder y = new StringBuilder("network:\n  inputs: ").append(inputs).append("\n  layers:\n");
        for (String l : layers) {
            y.append("    - ").append(l).append('\n');
        }
        y.append("loss: ").append(loss).append('\n');
        y.append("data: ").append(data).append('\n');
        if (weights != null) {
            y.append("weights: ").append(weights).append('\n');
        }
        return parse(y.toString());
    }

    static Spec of(int inputs, String... layers) {
        return of(inputs, layers, "{type: squared_error, reduction: mean}", "{examples: 5}", null);
    }
}
