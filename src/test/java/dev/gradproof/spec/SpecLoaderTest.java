package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.BASE;
import static dev.gradproof.spec.SpecTexts.FILE;
import static dev.gradproof.spec.SpecTexts.parse;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gradproof.spec.DataSpec.Generator;
import dev.gradproof.spec.DataSpec.Targets;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.LossSpec.LossType;
import dev.gradproof.spec.LossSpec.Reduction;

class SpecLoaderTest {

    private static final String FULL = """
            # every key given
            name: full
            description: Every option at a non-default value.
            network:
              inputs: 3
              layers:
                - units: 4
                  activation: {name: leaky_relu, slope: 0.2}
                  bias: false
                  frozen: true
                - units: 5
                  activation:
                    name: tanh
                    derivative: "1 - tanh(x) * tan(x)"
                - units: 2
                  activation: {name: custom, value: "x / (1 + abs(x))", derivative: "1 / (1 + abs(x))^2"}
                - units: 2
                  activation: {name: elu, alpha: 0.5}
            loss:
              type: mse
              reduction: sum
              l2: {lambda: 1.5, biases: true}
            data:
              examples: 7
              inputs: {distribution: uniform, low: -2, high: 2.5, zeros: 0.2}
              targets: {distribution: normal, mean: 1, std: 3}
            weights:
              init: uniform
              low: -0.5
              high: 0.25
              biases: zero
            check:
              trials: 2
              oracles: [finite_difference]
              tolerance: 1e-6
              parameters: 12
            seed: -42
            expect: {verdict: error, message: "does not reduce"}
            """;

    @Test
    void fullSpecRoundTrips() throws SpecException {
        Spec spec = parse(FULL);
        assertEquals("full", spec.name());
        assertEquals(FILE, spec.file());
        assertEquals("Every option at a non-default value.", spec.description());
        assertEquals(FULL, spec.source());
        assertEquals(-42, spec.seed());

        NetworkSpec network = spec.network();
        assertEquals(3, network.inputs());
        assertEquals(4, network.layers().size());
        assertEquals(new LayerSpec(4, new ActivationSpec("leaky_relu", 0.2, 1.0, null, null, null, null), false, true),
                network.layers().get(0));
        ActivationSpec tanh = network.layers().get(1).activation();
        assertEquals("tanh", tanh.name());
        assertEquals("1 - tanh(x) * tan(x)", tanh.derivativeSource());
        assertTrue(tanh.overridesDerivative());
        assertEquals(1 - Math.tanh(0.5) * Math.tan(0.5), tanh.derivative().value(0.5), 1e-15);
        ActivationSpec custom = network.layers().get(2).activation();
        assertEquals("x / (1 + abs(x))", custom.valueSource());
        assertEquals(-0.5, custom.value().value(-1), 1e-15);
        assertEquals(0.25, custom.derivative().value(1), 1e-15);
        assertEquals(0.5, network.layers().get(3).activation().alpha());
        assertTrue(network.layers().get(3).bias());
        assertFalse(network.layers().get(3).frozen());

        assertEquals(new LossSpec(LossType.MSE, Reduction.SUM, 1.5, true), spec.loss());
        assertEquals(new DataSpec(7, new Distribution("uniform", -2, 2.5, 0.2),
                new Targets("real", Distribution.normal(1, 3), 0), null, 0, null), spec.data());
        assertEquals(new WeightSpec("uniform", 0.1, -0.5, 0.25, "zero"), spec.weights());
        assertEquals(new CheckSpec(2, Set.of("finite_difference"), 1e-6, 12), spec.check());
        assertEquals(new Expectation(Verdict.ERROR, "does not reduce"), spec.expect());
    }

    @Test
    void defaultsFollowTheFormat() throws SpecException {
        Spec spec = parse(BASE);
        assertEquals("x", spec.name());
        assertEquals("", spec.description());
        assertEquals(1, spec.seed());
        assertEquals(new WeightSpec("xavier", 0.1, -0.12, 0.12, "same"), spec.weights());
        assertEquals(new CheckSpec(3, Set.of("exact", "finite_difference"), null, 0), spec.check());
        assertEquals(Expectation.pass(), spec.expect());
        assertEquals(new LossSpec(LossType.SQUARED_ERROR, Reduction.MEAN, 0, false), spec.loss());
        assertEquals(new DataSpec(4, null, null, Generator.XOR, 0, null), spec.data());
        LayerSpec first = spec.network().layers().get(0);
        assertTrue(first.bias());
        assertFalse(first.frozen());
        assertEquals(ActivationSpec.builtin("tanh"), first.activation());
        assertEquals(new ActivationSpec("leaky_relu", 0.01, 1.0, null, null, null, null),
                parse(SpecTexts.edit("activation: tanh", "activation: {name: leaky_relu}")).network().layers().get(0).activation());
    }

    @Test
    void dataDefaultsDependOnGeneratorAndLoss() throws SpecException {
        assertEquals(new DataSpec(200, null, null, Generator.TWO_MOONS, 0.1, null),
                parse(SpecTexts.withData("data: {generator: two_moons}\n")).data());
        String sine = SpecTexts.edit(SpecTexts.edit("inputs: 2", "inputs: 1"), "units: 1", "units: 2");
        assertEquals(new DataSpec(100, null, null, Generator.SINE, 0, null),
                parse(SpecTexts.edit(sine, "generator: xor", "generator: sine")).data());
        String regression = SpecTexts.edit(SpecTexts.edit("inputs: 2", "inputs: 1"), "generator: xor", "generator: normal_regression");
        assertEquals(new DataSpec(100, null, null, Generator.NORMAL_REGRESSION, 0.5, null),
                parse(regression.replace("normal_regression", "normal_regression\n  noise: 0.5")).data());

        Spec random = parse(SpecTexts.withData("data: {examples: 9}\n"));
        assertEquals(new DataSpec(9, Distribution.normal(0, 1), new Targets("real", Distribution.normal(0, 1), 0),
                null, 0, null), random.data());
        String bce = SpecTexts.withData("data: {examples: 9}\n").replace("squared_error", "binary_cross_entropy");
        assertEquals(new Targets("binary", null, 0), parse(bce).data().targets());
        String sce = SpecTexts.withData("data: {examples: 9, inputs: {zeros: 0.5}}\n")
                .replace("squared_error", "softmax_cross_entropy").replace("sigmoid", "softmax");
        assertEquals(new Targets("one_hot", null, 0), parse(sce).data().targets());
        assertEquals(new Distribution("normal", 0, 1, 0.5), parse(sce).data().inputs());
        assertEquals(new Targets("constant", null, 10),
                parse(SpecTexts.withData("data: {examples: 9, targets: {constant: 10}}\n")).data().targets());
    }

    @Test
    void numbersMayBeWrittenInAnyYamlFormButCountsInDecimal() throws SpecException {
        Spec spec = parse(BASE + "seed: 0o17\ncheck: {tolerance: 1e-3, trials: !!int \"4\"}\n");
        assertEquals(15, spec.seed());
        assertEquals(1e-3, spec.check().tolerance());
        assertEquals(4, spec.check().trials());
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: expected a positive integer in decimal digits, got 3.0"
                + " (write 3)", SpecTexts.error(SpecTexts.edit("units: 3", "units: 3.0")));
        assertEquals("specs/x.yaml:2:11: network.inputs: expected a positive integer in decimal digits, got 0x2"
                + " (write 2)", SpecTexts.error(SpecTexts.edit("inputs: 2", "inputs: 0x2")));
    }

    @Test
    void loadReadsTheFileAndResolvesCsvAgainstItsFolder(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("specs/data"));
        Files.writeString(dir.resolve("specs/data/d.csv"), "a,b,y\n0.5,1,0\n");
        Path file = dir.resolve("specs/csv.yaml");
        String yaml = SpecTexts.withData("data:\n  csv: data/d.csv\n  examples: 1\n").replace("squared_error", "binary_cross_entropy");
        Files.writeString(file, yaml);
        Spec spec = new SpecLoader().load(file);
        assertEquals("csv", spec.name());
        assertEquals(file, spec.file());
        assertEquals(yaml, spec.source());
        assertEquals(dir.resolve("specs/data/d.csv"), spec.data().csv());
        assertEquals(1, spec.data().examples());
        CsvTable table = spec.data().table();
        assertArrayEquals(new double[] {0.5, 1}, table.x());
        assertArrayEquals(new double[] {0}, table.y());
    }

    @Test
    void csvWithoutFileResolvesAgainstTheWorkingDirectory() throws SpecException {
        // Relative to the project root (Maven's working directory), where specs/data/tiny.csv has 3 + 1 columns.
        String yaml = SpecTexts.edit(SpecTexts.withData("data: {csv: specs/data/tiny.csv}\n"), "inputs: 2", "inputs: 3");
        Spec spec = new SpecLoader().parse(yaml, null);
        assertEquals(Path.of("specs/data/tiny.csv"), spec.data().csv());
        assertEquals(10, spec.data().examples(), "every row of the file");
        assertEquals("spec", spec.name());
    }

    @Test
    void declaredExpectationSurvivesAnInvalidRest() {
        assertEquals(new Expectation(Verdict.ERROR, "scalar"), SpecLoader.declaredExpectation(
                "loss: {reduction: none}\nexpect:\n  verdict: error\n  message: scalar\n"));
        // A YAML syntax error elsewhere still leaves the expect block readable.
        assertEquals(new Expectation(Verdict.ERROR, null),
                SpecLoader.declaredExpectation("network: [\nexpect: error # the rest is broken\nname: {\n"));
        assertEquals(new Expectation(Verdict.MISMATCH, null), SpecLoader.declaredExpectation(BASE + "expect: mismatch\n"));
        assertSame(Verdict.PASS, SpecLoader.declaredExpectation(BASE).verdict());
        assertNull(SpecLoader.declaredExpectation("expect: maybe\n"));
        assertNull(SpecLoader.declaredExpectation("network: [\n"));
        assertNull(SpecLoader.declaredExpectation("- a list\n"));
    }

    @Test
    void declaredNameFallsBackToTheFileName() {
        assertEquals("mine", SpecLoader.declaredName("name: mine\nnetwork: [\n", FILE));
        assertEquals("mine", SpecLoader.declaredName("name: mine\nnetwork: 3\n", FILE));
        assertEquals("x", SpecLoader.declaredName("network: [\n", FILE));
        assertEquals("x", SpecLoader.declaredName("name: [1]\n", FILE));
        assertEquals("two.parts", SpecLoader.declaredName("", Path.of("a/two.parts.yml")));
        assertEquals("spec", SpecLoader.declaredName("", null));
        assertEquals(List.of("x", "noext"), List.of(SpecLoader.defaultName(FILE), SpecLoader.defaultName(Path.of("noext"))));
    }
}
