package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.error;
import static dev.gradproof.spec.SpecTexts.parse;
import static dev.gradproof.spec.SpecTexts.withData;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.gradproof.spec.DataSpec.Targets;
import org.junit.jupiter.api.Assertions;

class DataValidationTest {

    private static final String SOFTMAX = edit(edit("activation: sigmoid", "activation: softmax"), "squared_error", "softmax_cross_entropy");
    private static final String BCE = edit("squared_error", "binary_cross_entropy");

    private static String random(String base, String rest) {
        return edit(base, "data:\n  generator: xor\n", "data:\n  examples: 5\n" + rest);
    }

    @Test
    void oneSourceOnly() {
        assertEquals("specs/x.yaml:12:3: data.csv: give one source, not both 'generator' and 'csv'",
                error(withData("data:\n  generator: xor\n  csv: a.csv\n")));
        assertEquals("specs/x.yaml:12:3: data.inputs: the xor generator makes its own inputs; remove 'inputs'",
                error(withData("data:\n  generator: xor\n  inputs: {mean: 1}\n")));
        assertEquals("specs/x.yaml:12:3: data.noise: noise applies only to a generator", error(random(SpecTexts.BASE, "  noise: 0.1\n")));
        assertEquals("specs/x.yaml:11:3: data: missing required key 'examples' (or give a 'generator' or a 'csv' file)",
                error(withData("data:\n  inputs: {mean: 1}\n")));
        assertEquals("specs/x.yaml:11:3: data: unknown key 'generater' (did you mean 'generator'?); allowed: examples, "
                + "inputs, targets, generator, noise, csv, header, label, input_columns, standardize",
                error(withData("data:\n  generater: xor\n")));
    }

    @Test
    void generatorsMustMatchTheNetworkWidths() {
        assertEquals("specs/x.yaml:11:14: data.generator: expected one of xor, two_moons, sine, normal_regression, got 'moons' (did you mean 'two_moons'?)",
                error(edit("generator: xor", "generator: moons")));
        assertEquals("specs/x.yaml:11:14: data.generator: xor makes 2 inputs and 1 output; the network has 3 inputs and 1 output",
                error(edit("inputs: 2", "inputs: 3")));
        assertEquals("specs/x.yaml:11:14: data.generator: two_moons makes 2 inputs and 1 or 2 outputs; the network has "
                + "2 inputs and 3 outputs", error(edit(edit("units: 1", "units: 3"), "generator: xor", "generator: two_moons")));
        assertEquals("specs/x.yaml:11:14: data.generator: sine makes 1 input and 2 outputs; the network has 2 inputs and 1 output",
                error(edit("generator: xor", "generator: sine")));
        assertEquals("specs/x.yaml:11:14: data.generator: normal_regression makes 1 input and 1 output; the network has "
                + "2 inputs and 1 output", error(edit("generator: xor", "generator: normal_regression")));
    }

    @Test
    void generatorTargetsMustSuitTheLoss() {
        assertEquals("specs/x.yaml:11:14: data.generator: softmax_cross_entropy needs one_hot targets; xor makes binary "
                + "targets (x1 xor x2)", error(SOFTMAX));
        assertEquals("specs/x.yaml:11:14: data.generator: softmax_cross_entropy needs one_hot targets; two_moons makes "
                + "binary targets (the class) with 1 output; use 2 outputs", error(edit(SOFTMAX, "generator: xor", "generator: two_moons")));
        assertEquals("specs/x.yaml:11:14: data.generator: binary_cross_entropy needs targets in [0, 1]; normal_regression "
                + "makes real targets (10) that fall outside it",
                error(edit(edit(BCE, "inputs: 2", "inputs: 1"), "generator: xor", "generator: normal_regression")));
    }

    @Test
    void noiseIsNonNegative() {
        assertEquals("specs/x.yaml:12:10: data.noise: expected a number >= 0, got -0.1",
                error(withData("data:\n  generator: two_moons\n  noise: -0.1\n")));
    }

    @Test
    void examplesArePositive() {
        assertEquals("specs/x.yaml:10:18: data.examples: expected a positive integer, got 0", error(withData("data: {examples: 0}\n")));
    }

    @Test
    void inputDistributionsAreChecked() {
        assertEquals("specs/x.yaml:12:11: data.inputs: missing required key 'low'",
                error(random(SpecTexts.BASE, "  inputs: {distribution: uniform, high: 1}\n")));
        assertEquals("specs/x.yaml:12:49: data.inputs.high: expected a number greater than low (1), got 1",
                error(random(SpecTexts.BASE, "  inputs: {distribution: uniform, low: 1, high: 1}\n")));
        assertEquals("specs/x.yaml:12:17: data.inputs.std: expected a number > 0, got 0", error(random(SpecTexts.BASE, "  inputs: {std: 0}\n")));
        assertEquals("specs/x.yaml:12:18: data.inputs.mean: expected a finite number, got -.inf",
                error(random(SpecTexts.BASE, "  inputs: {mean: -.inf}\n")));
        assertEquals("specs/x.yaml:12:19: data.inputs.zeros: expected a number between 0 and 1, got 1.5",
                error(random(SpecTexts.BASE, "  inputs: {zeros: 1.5}\n")));
        assertEquals("specs/x.yaml:12:52: data.inputs: unknown key 'std'; allowed: distribution, low, high, zeros",
                error(random(SpecTexts.BASE, "  inputs: {distribution: uniform, low: 0, high: 1, std: 2}\n")));
    }

    @Test
    void targetsMustSuitTheLoss() throws SpecException {
        assertEquals("specs/x.yaml:12:12: data.targets: expected one of one_hot, binary, real, got 'onehot' (did you mean 'one_hot'?)",
                error(random(SpecTexts.BASE, "  targets: onehot\n")));
        assertEquals("specs/x.yaml:12:13: data.targets: unknown key 'zeros'; allowed: distribution, mean, std",
                error(random(SpecTexts.BASE, "  targets: {zeros: 0.5}\n")));
        assertEquals("specs/x.yaml:12:12: data.targets: softmax_cross_entropy needs one_hot targets (a class per example, or per step of a sequence), got binary",
                error(random(SOFTMAX, "  targets: binary\n")));
        assertEquals("specs/x.yaml:12:12: data.targets: binary_cross_entropy needs targets in [0, 1]; real targets from "
                + "normal(mean=0.0, std=1.0) fall outside it: use binary, or uniform with 0 <= low < high <= 1",
                error(random(BCE, "  targets: real\n")));
        assertEquals("specs/x.yaml:12:12: data.targets: binary_cross_entropy needs targets in [0, 1]; the constant 10.0 is outside it",
                error(random(BCE, "  targets: {constant: 10}\n")));
        assertEquals(new Targets("real", Distribution.uniform(0.2, 0.9), 0),
                parse(random(BCE, "  targets: {distribution: uniform, low: 0.2, high: 0.9}\n")).data().targets());
        assertEquals(new Targets("one_hot", null, 0), parse(random(BCE, "  targets: one_hot\n")).data().targets());
        assertEquals(new Targets("constant", null, 0.5), parse(random(BCE, "  targets: {constant: 0.5}\n")).data().targets());
    }

    @Test
    void csvMustExistAndHaveTheNetworkWidth(@TempDir Path dir) throws Exception {
        assertEquals("specs/x.yaml:10:13: data.csv: file not found: specs/missing.csv", error(withData("data: {csv: missing.csv}\n")));
        Path spec = dir.resolve("x.yaml");
        Files.writeString(dir.resolve("wide.csv"), "x1,x2,y\n\n1,2,3,4\n");
        Files.writeString(dir.resolve("empty.csv"), "x1,x2,y\n\n");
        Files.createDirectory(dir.resolve("folder.csv"));
        SpecLoader loader = new SpecLoader();
        assertEquals(spec + ":10:13: data.csv: " + dir.resolve("wide.csv") + " line 3 has 4 columns; the network needs 3 "
                + "(2 inputs + 1 output)", assertError(loader, withData("data: {csv: wide.csv}\n"), spec));
        assertEquals(spec + ":10:13: data.csv: " + dir.resolve("empty.csv") + " has no data rows",
                assertError(loader, withData("data: {csv: empty.csv}\n"), spec));
        assertEquals(spec + ":10:13: data.csv: " + dir.resolve("folder.csv") + " is a folder, not a csv file",
                assertError(loader, withData("data: {csv: folder.csv}\n"), spec));
        assertEquals("specs/x.yaml:12:3: data.targets: the csv file supplies the targets; remove 'targets'",
                error(withData("data:\n  csv: a.csv\n  targets: binary\n")));
        Files.writeString(dir.resolve("ok.csv"), "1,2,3\n");
        assertEquals(dir.resolve("ok.csv"), loader.parse(withData("data: {csv: ok.csv}\n"), spec).data().csv());
    }

    private static String assertError(SpecLoader loader, String yaml, Path file) {
        return Assertions.assertThrows(SpecException.class, () -> loader.parse(yaml, file)).getMessage();
    }
}
