package dev.gradproof.djl;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.junit.Specs;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Options no bundled spec sets: no biases anywhere, norms without affine parameters, ε other than 1e-5. */
class OptionsTest {

    private static SpecResult check(Path dir, String yaml) throws IOException {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, yaml);
        Spec spec = (Spec) Specs.load(file.toString());
        return SpecChecker.run(spec, UnderTest.of(new DjlNetwork()), SpecChecker.Progress.NONE);
    }

    @Test
    void sequenceLayersWithoutBiasesOrAffineNorms(@TempDir Path dir) throws IOException {
        SpecResult r = check(dir, """
                name: no-biases
                network:
                  input: [5, 4]
                  layers:
                    - {type: attention, name: attn, heads: 2, causal: true, bias: false}
                    - {type: layer_norm, name: norm1, affine: false, eps: 0.001}
                    - {type: gru, name: gru1, hidden: 3, return: sequence, bias: false}
                    - {type: lstm, name: lstm1, hidden: 3, return: last, bias: false}
                    - {name: out, units: 2, bias: false, activation: tanh}
                loss: {type: mse}
                data: {examples: 3}
                check: {trials: 2}
                seed: 7
                """);
        assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
    }

    @Test
    void batchNormWithoutAffineOnFeatures(@TempDir Path dir) throws IOException {
        SpecResult r = check(dir, """
                name: bn-plain
                network:
                  inputs: 3
                  layers:
                    - {name: hidden, units: 4, activation: leaky_relu}
                    - {type: batch_norm, name: bn1, affine: false, eps: 0.01}
                    - {name: out, units: 2, activation: sigmoid}
                loss: {type: binary_cross_entropy, reduction: sum, l2: 0.1}
                data: {examples: 5, targets: binary}
                check: {trials: 2}
                seed: 9
                """);
        assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
    }
}
