package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.external.ProcessNetwork;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

/** Every FAIL prints the command that redraws its first failing trial, and that command fails the same way. */
class RecipeLineTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The spec entry of a --json run. */
    private static JsonNode spec(Cli.Result r) throws Exception {
        return JSON.readTree(r.out()).get("specs").get(0);
    }

    /** The mismatching parameters of one trial. */
    private static Set<String> mismatching(JsonNode spec, int trial) {
        Set<String> names = new TreeSet<>();
        spec.get("mismatches").forEach(m -> {
            if (m.get("trial").asInt() == trial) {
                names.add(m.get("parameter").asText());
            }
        });
        return names;
    }

    private static int firstTrial(JsonNode spec) {
        int first = Integer.MAX_VALUE;
        for (JsonNode m : spec.get("mismatches")) {
            first = Math.min(first, m.get("trial").asInt());
        }
        return first;
    }

    /** Runs a printed command in-process, as JSON. */
    private static Cli.Result rerun(String command) {
        List<String> words = new ArrayList<>(ProcessNetwork.parse(command));
        assertEquals(List.of("./gradproof", "check"), words.subList(0, 2), command);
        words = new ArrayList<>(words.subList(1, words.size()));
        words.add("--json");
        words.add("--no-report");
        return Cli.run(words.toArray(String[]::new));
    }

    private static void assertRecipeRedrawsTheFailure(String... args) throws Exception {
        Cli.Result console = Cli.run(args);
        assertEquals(1, console.exit(), console.all());
        List<String> json = new ArrayList<>(List.of(args));
        json.add("--json");
        JsonNode original = spec(Cli.run(json.toArray(String[]::new)));
        String command = original.get("recipe_command").asText();
        assertTrue(console.outLines().contains("  recipe: " + command), console.out());
        assertTrue(command.contains(" --recipe \"" + original.get("recipe").asText() + "\""), command);

        Cli.Result again = rerun(command);
        assertEquals(1, again.exit(), again.all());
        JsonNode redrawn = spec(again);
        assertEquals("mismatch", redrawn.get("verdict").asText());
        assertEquals(1, redrawn.get("trials").asInt());
        Set<String> before = mismatching(original, firstTrial(original));
        assertFalse(before.isEmpty());
        assertEquals(before, mismatching(redrawn, 0));
        assertEquals(command, redrawn.get("recipe_command").asText(), "the recipe of a recipe is itself");
    }

    @Test
    void theRecipeOfAFailingReferenceSpecFailsTheSameParameters() throws Exception {
        assertRecipeRedrawsTheFailure("check", Cli.fixture("tanh-bug-expect-pass.yaml").toString(), "--no-report");
    }

    @Test
    void theRecipeOfAFailingLayerGraphRedrawsItsTrialOnTheReference() throws Exception {
        assertRecipeRedrawsTheFailure("check", Cli.fixture("conv-tanh-bug-expect-pass.yaml").toString(), "--no-report");
    }

    @Test
    void theRecipeNamesTheImplementationChecked() throws Exception {
        String impl = "examples/numpy/net --bug tanh-tan";
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", impl, "--seed", "11");
        String line = r.outLines().stream().filter(l -> l.startsWith("  recipe: ")).findFirst().orElseThrow();
        assertTrue(line.matches("  recipe: \\./gradproof check specs/tanh-tutorial-fixed\\.yaml --recipe \"seed=-?\\d+"
                + " examples=4 digits=17 units=4,3\" --impl 'examples/numpy/net --bug tanh-tan'"), line);
        assertRecipeRedrawsTheFailure("check", "specs/tanh-tutorial-fixed.yaml", "--no-report", "--impl", impl,
                "--seed", "11");
    }

    @Test
    void aPassingOrErroredSpecHasNoRecipe() throws Exception {
        JsonNode pass = spec(Cli.run("check", Cli.fixture("pass.yaml").toString(), "--json", "--no-report"));
        assertTrue(pass.get("recipe").isNull());
        assertTrue(pass.get("recipe_command").isNull());
        double ofTolerance = pass.get("max_error_of_tolerance").asDouble();
        assertTrue(ofTolerance > 0 && ofTolerance < 1, pass.toString());
        Cli.Result refused = Cli.run("check", "specs/custom-softsign.yaml", "--no-report", "--impl", "examples/numpy/net");
        assertFalse(refused.out().contains("recipe:"), refused.out());
    }

    @Test
    void aLayerGraphIsRedrawnFromItsSeedUpToTheFailingTrial() throws Exception {
        Spec spec = new SpecLoader().load(Path.of("specs/layers/loss-l1.yaml"));
        ParameterResult wrong = new ParameterResult("dense1.weight[0,0]", 0, 1, false, 2, 1.0, 2.0, 2.0, 0.5, 1e-8,
                1.0, 1e-8, Status.MISMATCH, null);
        SpecResult r = SpecResult.builder().identity(spec.name(), spec.file(), spec, spec.expect(), spec.seed())
                .verdict(Verdict.MISMATCH, false)
                .evidence(List.of(), List.of(wrong), List.of(), List.of(), List.of(wrong), List.of(), List.of()).build();

        SpecResult.Reproduction how = Reproduce.of(r, null, "java:my.Net", null);

        assertNull(how.recipe());
        assertEquals("./gradproof check specs/layers/loss-l1.yaml --seed " + spec.seed() + " --trials 3 --impl java:my.Net",
                how.command());
        Cli.Result again = rerun(how.command().replace(" --impl java:my.Net", ""));
        assertEquals(0, again.exit(), again.all());
        assertEquals(3, spec(again).get("trials").asInt());
    }

    @Test
    void wordsAreQuotedForTheShell() {
        assertEquals("specs/a.yaml", Reproduce.shell("specs/a.yaml"));
        assertEquals("'my specs/it'\\''s.yaml'", Reproduce.shell("my specs/it's.yaml"));
    }
}
