package dev.gradproof.junit;

import dev.gradproof.run.SpecOutcome;
import dev.gradproof.cli.Main;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The tutorial's tanh bug run with {@code expect: pass} must fail its test with a counterexample
 * smaller than the trial that first failed, and the printed recipe must reproduce the failure.
 */
class ShrinkingTest {

    @TempDir
    Path dir;

    private Path buggySpecExpectingPass() throws IOException {
        String yaml = Files.readString(Path.of("specs/tanh-tutorial-bug.yaml"))
                .replace("expect: mismatch", "expect: pass");
        Path spec = dir.resolve("tanh-bug-expecting-pass.yaml");
        Files.writeString(spec, yaml);
        return spec;
    }

    @Test
    void failingSpecIsShrunkToASmallerCounterexample() throws IOException {
        Path spec = buggySpecExpectingPass();
        SpecOutcome outcome = SpecTests.run(spec);

        assertNotNull(outcome.shrunk(), "a mismatch where pass was expected is shrunk");
        TrialCase shrunk = (TrialCase) outcome.shrunk();
        TrialCase original = (TrialCase) outcome.original();
        assertTrue(shrunk.size() < original.size(), "shrunk " + shrunk + " is not smaller than " + original);
        assertTrue(shrunk.trial().data().examples() < original.trial().data().examples()
                        || shrunk.drawnBy().digits() < original.drawnBy().digits(),
                "fewer examples or simpler numbers");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> SpecTests.check(spec));
        assertTrue(failure.getMessage().startsWith("spec tanh-tutorial-bug expected pass but was mismatch\n"),
                failure.getMessage());
        assertTrue(failure.getMessage().contains("counterexample: shrunk in "), failure.getMessage());
    }

    @Test
    void printedRecipeReproducesTheShrunkFailure() throws IOException {
        Path spec = buggySpecExpectingPass();
        String message = assertThrows(AssertionFailedError.class, () -> SpecTests.check(spec)).getMessage();
        // A JUnit failure may be read in another project: no ./gradproof to point at, the recipe itself instead.
        assertFalse(message.contains("./gradproof"), message);
        Matcher m = Pattern.compile("recipe: \"([^\"]+)\" \\(the gradproof command line's check --recipe redraws this trial\\)\n")
                .matcher(message);
        assertTrue(m.find(), message);
        TrialRecipe printed = TrialRecipe.parse(m.group(1));

        SpecOutcome outcome = SpecTests.run(spec);
        assertEquals(((TrialCase) outcome.shrunk()).drawnBy(), printed, "the same seed shrinks to the same counterexample");

        // The CLI, given the printed recipe, finds the same mismatch: exit 1 because pass was expected.
        int status = Main.run("check", spec.toString(), "--recipe", m.group(1), "--no-report");
        assertEquals(1, status);
    }

    /** The same for a layer graph: a conv layer with the tutorial's tanh bug, expecting pass. */
    @Test
    void aLayerGraphShrinksToASmallerBatchAndNarrowerLayersAndItsRecipeReproduces() throws IOException {
        String yaml = Files.readString(Path.of("specs/layers/conv2d-stride-padding.yaml"))
                .replace("activation: relu}", "activation: {name: tanh, derivative: \"1 - tanh(x) * tan(x)\"}}")
                .replace("seed: 102", "seed: 102\nexpect: pass");
        Path spec = dir.resolve("conv-bug-expecting-pass.yaml");
        Files.writeString(spec, yaml);

        SpecOutcome outcome = SpecTests.run(spec);
        assertNotNull(outcome.shrunk(), "a mismatch where pass was expected is shrunk");
        assertTrue(outcome.shrunk().examples() < outcome.original().examples()
                        && outcome.shrunk().parameters() < outcome.original().parameters(),
                "shrunk " + outcome.shrunk() + " is not smaller than " + outcome.original());
        JsonNode json = new ObjectMapper().readTree(outcome.counterexampleJson());
        assertEquals(outcome.shrunk().recipe(), json.get("recipe").asText());
        assertEquals(outcome.shrunk().parameters(), StreamSupport.stream(json.get("parameters").spliterator(), false)
                .mapToInt(t -> t.get("data").size()).sum(), "every tensor of the shrunk network, by name");
        assertTrue(json.get("mismatches").size() > 0, "the counterexample's own mismatches");

        String message = assertThrows(AssertionFailedError.class, () -> SpecTests.check(spec)).getMessage();
        Matcher m = Pattern.compile("recipe: \"([^\"]+)\" \\(the gradproof command line's check --recipe redraws this trial\\)\n")
                .matcher(message);
        assertTrue(m.find(), message);
        assertEquals(outcome.shrunk().recipe(), m.group(1));
        assertEquals(1, Main.run("check", spec.toString(), "--recipe", m.group(1), "--no-report"),
                "the printed recipe redraws a failing trial");
    }
}
