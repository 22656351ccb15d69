package dev.gradproof.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.cli.TrainCommand;
import dev.gradproof.network.Dataset;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.StreamSupport;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import java.io.IOException;
import java.io.UncheckedIOException;

class TrainCommandTest {

    record Result(int exit, String out, String err) {
    }

    static Result run(Object command, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    @Test
    void writesCurvesResultsAndATable(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Result r = run(new TrainCommand(), "specs/bpnn-xor.yaml", "--mutant", "tanh-tan", "--mutant", "mean-not-divided",
                "--epochs", "300", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("skipped mean-not-divided: reduction is sum"), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("correct ") && l.contains("ran 300 epochs")), r.out());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("tanh-tan ")), r.out());

        byte[] png = Files.readAllBytes(out.resolve("loss-curves.png"));
        assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(png, 4));
        Path svg = out.resolve("loss-curves.svg");
        assertTrue(Files.exists(svg) ? Files.readString(svg).contains("<svg")
                : r.err().contains("loss-curves.svg not written"), "an SVG, or a warning saying why not");
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("![loss curves](loss-curves.png)"), md);
        assertTrue(md.contains("| tanh-tan | mutant |"), md);
        assertTrue(md.contains("`mean-not-divided`: reduction is sum"), md);

        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("bpnn-xor", json.get("spec").asText());
        assertEquals(300, json.get("epochs").asInt());
        assertEquals(0.3, json.get("learningRate").asDouble());
        assertEquals("accuracy", json.get("metric").asText());
        assertEquals(2, json.get("runs").size());
        JsonNode correct = json.get("runs").get(0);
        assertEquals("correct", correct.get("kind").asText());
        assertFalse(correct.get("diverged").asBoolean());
        assertEquals(301, correct.get("loss").size());
        assertTrue(correct.get("finalLoss").asDouble() < correct.get("initialLoss").asDouble());
        assertTrue(correct.has("accuracy"));
        assertEquals("mean-not-divided", json.get("skipped").get(0).get("mutant").asText());
    }

    @Test
    void realDataShowsTrainingSetAccuracyBesideTheLoss(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("run");
        Result r = run(new TrainCommand(), "specs/breast-cancer-real-bug.yaml", "--lr", "0.1", "--epochs", "40",
                "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        String[] lines = r.out().split("\n");
        assertTrue(lines[1].matches("variant +gradient +first loss +final loss +vs correct +first acc\\. +final acc\\. +outcome"),
                lines[1]);
        assertTrue(r.out().contains("\naccuracy on the training set (the 569 examples trained on): an output >= 0.5 "
                + "predicts 1\n"), r.out());

        // The starting accuracy, counted here from the plan's own start: every run shares it.
        Spec spec = new SpecLoader().load(Path.of("specs/breast-cancer-real-bug.yaml"));
        TrainingPlan plan = TrainingPlan.of(spec, List.of());
        Dataset data = plan.data();
        double[][] a = plan.lossNetwork().forward(plan.theta0(), data).a;
        double[] out0 = a[a.length - 1];
        int right = 0;
        for (int n = 0; n < data.examples(); n++) {
            right += (out0[n] >= 0.5) == (data.target(n, 0) == 1) ? 1 : 0;
        }
        assertEquals(569, data.examples());
        String first = String.format(Locale.ROOT, "%.1f%%", 100.0 * right / 569);
        assertTrue(lines[2].startsWith("correct ") && lines[2].contains(" " + first + " "), lines[2] + " vs " + first);

        JsonNode json = new ObjectMapper().readTree(out.resolve("results.json").toFile());
        assertEquals("training set", json.get("scoredOn").asText());
        assertTrue(json.get("csv").asText().endsWith("breast_cancer.csv"), json.toString());
        for (JsonNode run : json.get("runs")) {
            assertEquals((double) right / 569, run.get("initialAccuracy").asDouble(), 1e-15, run.toString());
            double last = run.get("accuracy").asDouble();
            assertTrue(last >= 0 && last <= 1, run.toString());
        }
        String md = Files.readString(out.resolve("results.md"));
        assertTrue(md.contains("| first accuracy | final accuracy |"), md);
        assertTrue(md.contains("Every accuracy is measured on the training set (the 569 examples trained on)"), md);
    }

    @Test
    void oneHotDigitsAreScoredByTheLargestOutput(@TempDir Path dir) throws Exception {
        Result r = run(new TrainCommand(), "specs/digits-ex4-bug.yaml", "--lr", "1", "--epochs", "5", "--out",
                dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("\naccuracy on the training set (the 1,797 examples trained on): the largest of the "
                + "10 outputs names the class\n"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        assertEquals(List.of("correct", "declared"),
                StreamSupport.stream(json.get("runs").spliterator(), false).map(j -> j.get("name").asText()).toList());
    }

    @Test
    void aLayerGraphOnRealDigitsTrainsWithItsDeclaredDerivativeBeside(@TempDir Path dir) throws Exception {
        Result r = run(new TrainCommand(), "specs/digits-cnn-bug.yaml", "--lr", "0.3", "--epochs", "8", "--out",
                dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().startsWith("training digits-cnn-bug: 2 runs, full-batch gradient descent, learning rate 0.300 "
                + "(given), 8 epochs, full batch of 1797 examples, 690 parameters"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        List<JsonNode> runs = StreamSupport.stream(json.get("runs").spliterator(), false).toList();
        assertEquals(List.of("correct", "declared"), runs.stream().map(j -> j.get("name").asText()).toList());
        double[] finals = runs.stream().mapToDouble(j -> j.get("finalLoss").asDouble()).toArray();
        assertTrue(finals[0] < finals[1], "the correct gradient trains further than tanh·tan in the conv: " + r.out());
        assertTrue(Files.size(dir.resolve("loss-curves.png")) > 0);
    }

    @Test
    void aGraphMutantTrainsFromTheSameStartAndTheOtherZooIsSkippedWithTheReason(@TempDir Path dir) throws Exception {
        Result r = run(new TrainCommand(), "specs/digits-cnn.yaml", "--mutant", "max-pool-to-every-cell", "--mutant",
                "tanh-tan", "--mutant", "lstm-per-step", "--lr", "0.3", "--epochs", "8", "--out", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("  skipped tanh-tan: a dense-chain bug, and this spec is a layer graph\n"), r.out());
        assertTrue(r.out().contains("  skipped lstm-per-step: no lstm\n"), r.out());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        List<JsonNode> runs = StreamSupport.stream(json.get("runs").spliterator(), false).toList();
        assertEquals(List.of("correct", "max-pool-to-every-cell"), runs.stream().map(j -> j.get("name").asText()).toList());
        assertEquals(runs.get(0).get("initialLoss").asDouble(), runs.get(1).get("initialLoss").asDouble(), 0.0, "same start");
        assertNotEquals(runs.get(0).get("finalLoss").asDouble(), runs.get(1).get("finalLoss").asDouble(), r.out());
    }

    @Test
    void aSequenceOutputIsRefusedWithWhatToDoInstead(@TempDir Path dir) {
        Result r = run(new TrainCommand(), "specs/layers/rnn-sequence.yaml", "--epochs", "1", "--out", dir.toString());
        assertEquals(2, r.exit(), r.out());
        assertTrue(r.err().startsWith("gradproof train: specs/layers/rnn-sequence.yaml: train scores one output vector per "
                + "example, and this graph's output is sequence"), r.err());
    }

    @Test
    void defaultFolderIsUnderReportsTrain(@TempDir Path dir) {
        Result r = run(new TrainCommand(), "specs/tanh-tutorial-bug.yaml", "--epochs", "50", "--reports", dir.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().lines().anyMatch(l -> l.startsWith("declared ") && l.contains("declared derivative")), r.out());
        try (var s = Files.list(dir.resolve("train"))) {
            Path run = s.findFirst().orElseThrow();
            assertTrue(run.getFileName().toString().matches("tanh-tutorial-bug-\\d{8}-\\d{6}"), run.toString());
            assertTrue(Files.exists(run.resolve("results.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void usageErrorsExitTwoWithAMessage(@TempDir Path dir) {
        Result unknown = run(new TrainCommand(), "specs/bpnn-xor.yaml", "--mutant", "nope", "--out", dir.toString());
        assertEquals(2, unknown.exit());
        assertTrue(unknown.err().contains("unknown mutant 'nope'; dense chains: tanh-tan, ")
                && unknown.err().contains("; layer graphs: conv-input-no-flip, "), unknown.err());

        Result missing = run(new TrainCommand(), dir.resolve("absent.yaml").toString());
        assertEquals(2, missing.exit());
        assertTrue(missing.err().startsWith("gradproof train: "), missing.err());

        Result lr = run(new TrainCommand(), "specs/bpnn-xor.yaml", "--lr", "-1");
        assertEquals(2, lr.exit());
        assertTrue(lr.err().contains("--lr must be a positive number"), lr.err());

        Result epochs = run(new TrainCommand(), "specs/bpnn-xor.yaml", "--epochs", "0");
        assertEquals(2, epochs.exit());

        Result none = run(new TrainCommand());
        assertEquals(2, none.exit());
        for (Result r : new Result[] {unknown, missing, lr, epochs, none}) {
            assertFalse(r.err().contains("\tat "), "no stack trace: " + r.err());
        }
    }
}
