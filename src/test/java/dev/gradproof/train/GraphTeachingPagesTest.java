package dev.gradproof.train;

import dev.gradproof.api.Verdict;
import dev.gradproof.cli.TeachCommand;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.GraphMutants;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The layer-graph teaching pages, all written once by {@code gradproof teach --graphs}. */
class GraphTeachingPagesTest {
    private static final Pattern IMAGE = Pattern.compile("!\\[[^\\]]*\\]\\(([^)]+\\.png)\\)");
    private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

    @TempDir
    static Path out;
    static TrainCommandTest.Result run;

    @BeforeAll
    static void writeEveryGraphPage() {
        run = TrainCommandTest.run(new TeachCommand(), "--graphs", "--out", out.toString());
    }

    @Test
    void theCommandWritesAPagePerGraphMutantAndNoDensePage() {
        assertEquals(0, run.exit(), run.err());
        for (GraphMutant m : GraphMutants.all()) {
            assertTrue(Files.exists(out.resolve(m.name() + ".md")), m.name());
            assertTrue(Files.exists(out.resolve(m.name() + ".html")), m.name());
            assertTrue(run.out().contains("\n" + m.name() + " "), "one progress line per page: " + m.name());
        }
        assertFalse(Files.exists(out.resolve("tanh-tan.md")), "--graphs leaves the dense zoo out");
        assertTrue(run.out().contains("wrote " + GraphMutants.all().size() + " pages and the index"), run.out());
    }

    @Test
    void theCatalogueDrivenIndexListsEveryGraphMutant() throws Exception {
        String md = Files.readString(out.resolve("index.md"));
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(md.contains("## Layer graphs"), md);
        for (GraphMutant m : GraphMutants.all()) {
            assertTrue(md.contains("[" + m.name() + "](" + m.name() + ".md)"), "index.md lists " + m.name());
            assertTrue(html.contains("<a href=\"" + m.name() + ".html\">" + m.name() + "</a>"), "index.html: " + m.name());
        }
        long rows = md.lines().filter(l -> l.startsWith("| [")).count();
        assertEquals(GraphMutants.all().size(), rows, "one row per graph mutant, none twice");
    }

    @Test
    void everyPageLinksImagesThatExistAndAreNotEmpty() throws Exception {
        for (GraphMutant m : GraphMutants.all()) {
            String md = Files.readString(out.resolve(m.name() + ".md"));
            List<String> images = new ArrayList<>();
            Matcher i = IMAGE.matcher(md);
            while (i.find()) {
                images.add(i.group(1));
            }
            assertTrue(images.contains(m.name() + "-layer-errors.png"), m.name() + ": errors per layer " + images);
            assertTrue(images.contains(m.name() + "-training.png"), m.name() + ": training curves " + images);
            for (String file : images) {
                Path png = out.resolve(file);
                assertTrue(Files.exists(png), m.name() + " links " + file + ", which is missing");
                byte[] bytes = Files.readAllBytes(png);
                assertTrue(bytes.length > 1000, file + " is " + bytes.length + " bytes");
                assertArrayEquals(PNG_MAGIC, Arrays.copyOf(bytes, 4), file + " is a PNG");
            }
            String html = Files.readString(out.resolve(m.name() + ".html"));
            assertEquals(images.size(), html.split("src=\"data:image/png;base64,iVBORw0KGgo", -1).length - 1,
                    m.name() + ": every picture embedded in the HTML");
        }
    }

    @Test
    void everyPageStatesItsWrongLine() throws Exception {
        for (GraphMutant m : GraphMutants.all()) {
            String md = Files.readString(out.resolve(m.name() + ".md"));
            assertTrue(md.contains("```\n" + m.wrongLine() + "\n```"), m.name() + ": the wrong line, as a code block");
            assertTrue(Files.readString(out.resolve(m.name() + ".html")).contains(Doc.escape(m.wrongLine())), m.name());
            assertTrue(md.contains(m.correct() ? "**Not a bug.**" : "## The fix"), m.name());
        }
    }

    @Test
    void thePageQuotesWhatTheCheckPrints() throws Exception {
        GraphMutant m = GraphMutants.byName("max-pool-to-first-cell");
        Spec spec = new SpecLoader().load(Path.of("specs", "layers", "max-pool-ties.yaml"));
        SpecResult r = GraphSpecChecker.run(spec, m.implementation(), SpecChecker.Progress.NONE, Shard.ALL);
        assertEquals(Verdict.MISMATCH, r.verdict());
        String md = Files.readString(out.resolve(m.name() + ".md"));
        assertTrue(md.contains("Checked on `specs/layers/max-pool-ties.yaml`"), md);
        assertTrue(md.contains(Messages.details(r, Medium.CONSOLE_WITHOUT_REPORT).stripTrailing()), md);
        assertTrue(md.contains("`./gradproof mutants table --graphs --mutant max-pool-to-first-cell "
                + "specs/layers/max-pool-ties.yaml`"), md);
        assertTrue(md.contains("The check prints, as for any implementation that fails the spec's `expect: pass`:"), md);
        String variant = Files.readString(out.resolve("max-pool-last-tie.md"));
        assertTrue(variant.contains("gradproof passed it, as it should. The check prints:\n"), variant);
        assertTrue(variant.contains("every point stays below its layer's line."), variant);
    }

    @Test
    void convolutionPagesDrawHeatMapsAndSequencePagesTheTimeSteps() throws Exception {
        String conv = Files.readString(out.resolve("conv-input-no-flip.md"));
        assertTrue(conv.contains("(conv-input-no-flip-conv1-heatmap.png)"), conv);
        assertTrue(conv.contains("(conv-input-no-flip-conv2-heatmap.png)"), conv);
        String rnn = Files.readString(out.resolve("truncated-bptt.md"));
        assertTrue(rnn.contains("(truncated-bptt-steps.png)"), rnn);
        assertTrue(rnn.contains("(truncated-bptt-training-steps.png)"), rnn);
        assertFalse(Files.readString(out.resolve("dropout-mask-forgotten.md")).contains("-steps.png"),
                "no time steps without a recurrent layer");
    }

    @Test
    void theHeatMapPutsTheErrorWhereTheBugIs() throws Exception {
        Spec spec = new SpecLoader().load(Path.of("specs", "layers", "avg-pool-padding.yaml"));
        GraphNetwork g = GraphFactory.build(spec);
        GraphNode conv = g.nodes().stream().filter(n -> GraphCharts.weight(g, n) != null
                && n.options().type().yamlName().startsWith("conv")).findFirst().orElseThrow();
        int biasColumn = GraphCharts.positions(GraphCharts.weight(g, conv).tensor().shape());

        SpecResult bug = GraphSpecChecker.run(spec, GraphMutants.byName("conv-bias-mean").implementation(),
                SpecChecker.Progress.NONE, Shard.ALL);
        List<GraphCharts.Cell> cells = GraphCharts.convErrors(bug, g, conv);
        assertFalse(cells.isEmpty());
        for (GraphCharts.Cell c : cells) {
            if (c.x() == biasColumn) {
                assertTrue(c.value() > 0.1, "the averaged bias gradient is far off: " + c);
            } else {
                assertTrue(c.value() < 1e-9, "the weights' gradient is right: " + c);
            }
        }
        assertTrue(cells.stream().anyMatch(c -> c.x() == biasColumn), "the bias has its column");

        SpecResult reference = GraphSpecChecker.run(spec, GraphTrialCheck.Analytic.REFERENCE, SpecChecker.Progress.NONE,
                Shard.ALL);
        assertTrue(GraphCharts.convErrors(reference, g, conv).stream().allMatch(c -> c.value() < 1e-9));
    }

    @Test
    void theProbeSeesTruncatedBackpropagationAsZerosBeforeTheLastStep() throws Exception {
        Spec spec = new SpecLoader().load(Path.of("specs", "layers", "lstm-last.yaml"));
        GraphNetwork g = GraphFactory.build(spec);
        GraphCase start = GraphFactory.draw(spec, g, 0);
        StepProbe probe = StepProbe.of(spec, g, start);
        assertNotNull(probe);
        assertEquals(6, probe.steps());

        double[] through = probe.gradient(GraphTrialCheck.Analytic.REFERENCE, start.theta(), start);
        assertArrayEquals(g.gradient(start.theta(), start.data(), g.forward(start.theta(), start.data())), through,
                "the probe is the identity: same parameter gradient");
        double[] correct = probe.norms();
        probe.gradient(GraphMutants.byName("truncated-bptt").implementation(), start.theta(), start);
        double[] truncated = probe.norms();
        for (int t = 0; t < 5; t++) {
            assertTrue(correct[t] > 1e-6, "the correct gradient reaches step " + (t + 1));
            assertEquals(0.0, truncated[t], "nothing carried back to step " + (t + 1));
        }
        assertEquals(correct[5], truncated[5], 1e-15, "the last step's own gradient is right");
        assertTrue(GraphTeachingPages.stepsSentence(correct, truncated, correct).contains(
                "the mutant's gradient is exactly 0 at 5 steps where the correct one is not"));
    }

    @Test
    void theFixIsTheReferenceLine() {
        assertEquals("Write the reference line instead: `w[o, c, ky, kx]`. Then run the gradient check again on a spec "
                        + "where the mistake applies (a convolution with more than one kernel entry and a trainable "
                        + "layer below it): it must pass.",
                GraphTeachingPages.fix(GraphMutants.byName("conv-input-no-flip")));
    }

    @Test
    void aPageThatCannotBeMadeNamesItsMutant(@TempDir Path other) throws Exception {
        GraphMutant broken = new GraphMutant("throws-in-backward", false, "dense", "a backward pass that throws",
                "throw new IllegalStateException(\"boom\")", "For this test only.", "a dense layer",
                g -> Applicability.yes(), (g, theta, c, f) -> {
                    throw new IllegalStateException("boom");
                });
        GraphTeachingPages.Catalogue catalogue = GraphTeachingPages.Catalogue.load(Path.of("specs"));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> TeachingPages.writeAll(List.of(),
                null, List.of(broken), catalogue, other, line -> { }));
        assertEquals("the page of throws-in-backward could not be made: training throws-in-backward failed: boom",
                e.getMessage());
    }

    @Test
    void graphsOnlyRefusesADenseMutant(@TempDir Path other) {
        TrainCommandTest.Result bad = TrainCommandTest.run(new TeachCommand(), "--graphs", "--mutant", "tanh-tan",
                "--out", other.toString());
        assertEquals(2, bad.exit());
        assertEquals("gradproof teach: --mutant: 'tanh-tan' is not a layer-graph mutant (see 'gradproof mutants list')",
                bad.err().strip());
    }
}
