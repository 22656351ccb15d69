package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.BASE;
import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.error;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.util.List;

class LimitsTest {

    @Test
    void defaultsAndCopies() {
        assertEquals(new Limits(10_000_000, 1_000_000, 100_000, 64, 1_048_576, 50), Limits.defaults());
        Limits limits = Limits.defaults().withMaxParameters(1).withMaxExamples(2).withMaxUnits(3).withMaxLayers(4)
                .withMaxFileBytes(5).withMaxAliases(6);
        assertEquals(new Limits(1, 2, 3, 4, 5, 6), limits);
        assertEquals(new Limits(1, 2, 3, 4, 5, 6, 7, 8, 9),
                limits.withMaxTrials(7).withMaxDirections(8).withMaxMemory(9));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxUnits(0));
        assertThrows(IllegalArgumentException.class, () -> Limits.defaults().withMaxTrials(0));
        assertEquals(Runtime.getRuntime().maxMemory() / 4 * 3, Limits.defaults().maxMemory());
    }

    @Test
    void trialsAndDirectionsAreBoundedBeforeAnythingIsAllocated() {
        assertEquals("specs/x.yaml:12:17: check.trials: 2,000,000,000 trials exceed the limit of 10,000 (raise it with"
                + " --max-trials)", error(BASE + "check: {trials: 2000000000}\n"));
        assertEquals("specs/x.yaml:12:40: check.directions: 2,000,000,000 directions exceed the limit of 10,000 (raise it"
                + " with --max-directions)", error(BASE + "check: {mode: directional, directions: 2000000000}\n"));
        assertEquals("specs/x.yaml:12:17: check.trials: 11 trials exceed the limit of 10 (raise it with --max-trials)",
                SpecTexts.error(new SpecLoader(Limits.defaults().withMaxTrials(10)), BASE + "check: {trials: 11}\n"));
    }

    /** The products of sizes, in long arithmetic: 100,000 inputs × 30,000 examples overflowed an int once. */
    @Test
    void theMemoryOfOneTrialIsEstimatedAndRefusedWithWhatToDo() {
        String wide = "network:\n  inputs: 100000\n  layers: [{units: 1, activation: sigmoid}]\nloss: {type: mse}\n";
        SpecLoader fourGb = new SpecLoader(Limits.defaults().withMaxMemory(4L << 30));
        assertEquals("specs/x.yaml:5:18: data.examples: one trial needs about 134.2 GB: 30,000 examples × 100,001 inputs"
                + " and outputs, and activations of 100,001 units per example; this JVM may use 4.0 GB. Check fewer"
                + " examples or a narrower network, or give Java more memory (-Xmx181g: JAVA_OPTS=-Xmx181g for ./gradproof, the test JVM's argLine in a build)",
                SpecTexts.error(fourGb, wide + "data: {examples: 30000}\n"));
        assertEquals("specs/x.yaml:5:18: data.examples: one trial needs about 4470.5 GB: 1,000,000 examples × 100,001"
                + " inputs and outputs, and activations of 100,001 units per example; this JVM may use 4.0 GB. Check"
                + " fewer examples or a narrower network, or give Java more memory (-Xmx5962g: JAVA_OPTS=-Xmx5962g for ./gradproof, the test JVM's argLine in a build)",
                SpecTexts.error(fourGb, wide + "data: {examples: 1000000}\n"));
        // ng-ex4 (400-25-10, 5,000 examples, every parameter of one trial): data 5000·410·16, inputs 5000·400·32,
        // units 5000·35·112, parameters 10,285·80, results 10,285·256 bytes: about 114 MB.
        assertEquals(32_800_000L + 64_000_000 + 19_600_000 + 822_800 + 2_632_960, Footprint.bytes(new NetworkSpec(400,
                List.of(new LayerSpec(25, null, true, false), new LayerSpec(10, null, true, false))), 5000, 10_285));
    }

    @Test
    void parameters() {
        // 4000*10000 + 10000 + 10000*1 + 1
        assertEquals("specs/x.yaml:2:3: network: 40,020,001 parameters exceed the limit of 10,000,000 "
                + "(raise it with --max-parameters)", error(edit(edit("inputs: 2", "inputs: 4000"), "units: 3", "units: 10000")));
        assertEquals("specs/x.yaml:2:3: network: 13 parameters exceed the limit of 12 (raise it with --max-parameters)",
                SpecTexts.error(new SpecLoader(Limits.defaults().withMaxParameters(12)), BASE));
    }

    @Test
    void units() {
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: 200,000 units exceed the limit of 100,000 per layer "
                + "(raise it with --max-units)", error(edit("units: 3", "units: 200000")));
        assertEquals("specs/x.yaml:4:14: network.layers[0].units: 1e30 units exceed the limit of 100,000 per layer "
                + "(raise it with --max-units)", error(edit("units: 3", "units: 1e30")));
        assertEquals("specs/x.yaml:2:11: network.inputs: 200,000 inputs exceed the limit of 100,000 (raise it with --max-units)",
                error(edit("inputs: 2", "inputs: 200000")));
    }

    @Test
    void layers() {
        String layer = "{units: 1, activation: sigmoid}, ";
        String yaml = "network:\n  inputs: 2\n  layers: [" + layer.repeat(65) + "]\nloss: {type: mse}\ndata: {generator: xor}\n";
        assertEquals("specs/x.yaml:3:11: network.layers: 65 layers exceed the limit of 64 (raise it with --max-layers)", error(yaml));
    }

    @Test
    void examples() {
        assertEquals("specs/x.yaml:10:18: data.examples: 2,000,000 examples exceed the limit of 1,000,000 "
                + "(raise it with --max-examples)", error(SpecTexts.withData("data: {examples: 2000000}\n")));
        // a generator's default count is checked too
        assertEquals("specs/x.yaml:11:3: data: 4 examples exceed the limit of 3 (raise it with --max-examples)",
                SpecTexts.error(new SpecLoader(Limits.defaults().withMaxExamples(3)), BASE));
    }

    @Test
    void fileSizeIsCheckedBeforeReading(@TempDir Path dir) throws Exception {
        String big = BASE + "description: " + "x".repeat(1 << 20) + "\n";
        assertEquals("specs/x.yaml: 1,048,751 bytes exceed the limit of 1,048,576 bytes for a spec file", error(big));
        Path file = dir.resolve("big.yaml");
        Files.writeString(file, big);
        assertEquals(file + ": 1,048,751 bytes exceed the limit of 1,048,576 bytes for a spec file",
                assertThrows(SpecException.class, () -> new SpecLoader().load(file)).getMessage());
        assertEquals(file + ": 1,048,751 bytes exceed the limit of 100 bytes for a spec file",
                assertThrows(SpecException.class, () -> new SpecLoader(Limits.defaults().withMaxFileBytes(100)).load(file)).getMessage());
    }

    @Test
    void missingFile(@TempDir Path dir) {
        Path file = dir.resolve("none.yaml");
        assertEquals(file + ": cannot read the file: it does not exist",
                assertThrows(SpecException.class, () -> new SpecLoader().load(file)).getMessage());
    }
}
