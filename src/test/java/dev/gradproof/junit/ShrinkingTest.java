package dev.gradproof.junit;

import dev.gradproof.run.SpecOutcome;
import dev.gradproof.cli.Main;
import dev.gradproof.network.TrialRecipe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        assertTrue(outcome.shrunk().size() < outcome.original().size(),
                "shrunk " + outcome.shrunk() + " is not smaller than " + outcome.original());
        assertTrue(outcome.shrunk().trial().data().examples() < outcome.original().trial().data().examples()
                        || outcome.shrunk().drawnBy().digits() < outcome.original().drawnBy().digits(),
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
        assertEquals(outcome.shrunk().drawnBy(), printed, "the same seed shrinks to the same counterexample");

        // The CLI, given the printed recipe, finds the same mismatch: exit 1 because pass was expected.
        int status = Main.run("check", spec.toString(), "--recipe", m.group(1), "--no-report");
        assertEquals(1, status);
    }
}
