package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `check` on a spec with several problems lists every one with its file and line, and exits 2 (issue #13). */
class SpecErrorsCliTest {

    @TempDir
    Path tmp;

    @Test
    void everyProblemIsPrintedWithFileAndLine() throws IOException {
        Path file = tmp.resolve("broken.yaml");
        Files.writeString(file, """
                name: broken
                network:
                  inputs: 2
                  layers:
                    - units: 2
                      activaton: tanh
                    - units: 1
                      activation: sigmoidd
                loss: softmax_cross_entropy
                data:
                  generator: xor
                """);
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");
        assertEquals(2, r.exit(), r.all());
        assertEquals(List.of(
                "FAIL  broken: error (expected pass), 0.00 s",
                "  error: " + file + ":6:7: network.layers[0]: unknown key 'activaton' (did you mean 'activation'?);"
                        + " allowed: units, activation, bias, frozen",
                "         " + file + ":8:19: network.layers[1].activation: expected one of identity, sigmoid, tanh, relu,"
                        + " leaky_relu, elu, softplus, softmax, custom, got 'sigmoidd' (did you mean 'sigmoid'?)",
                "         " + file + ":9:7: loss: expected a map, got 'softmax_cross_entropy' (did you mean"
                        + " `loss: {type: softmax_cross_entropy}`?)",
                "0 passed, 1 failed"), r.outLines());
    }

    @Test
    void anIndentationSlipNamesTheLineToLineUpWith() throws IOException {
        Path file = tmp.resolve("indent.yaml");
        Files.writeString(file, """
                name: indent
                network:
                  inputs: 2
                  layers:
                    - units: 1
                      activation: sigmoid
                     bias: false
                loss: {type: binary_cross_entropy}
                data: {generator: xor}
                """);
        Cli.Result r = Cli.run("check", file.toString(), "--no-report");
        assertEquals(2, r.exit(), r.all());
        assertEquals("  error: " + file + ":7:6: invalid YAML: line 7: check the indentation of this line: it must line"
                + " up with `activation:` on line 6", r.outLines().get(1));
    }
}
