package dev.gradproof.report.plot;

import dev.gradproof.report.Results;
import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.LayerSummary;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.api.Verdict;
import dev.gradproof.network.Activation;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import dev.gradproof.spec.ActivationSpec;
import java.util.Set;

class PlotsTest {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final String TANH_TAN = """
            name: "Tanh Tutorial/Bug"
            network:
              inputs: 2
              layers:
                - units: 4
                  activation: {name: tanh, derivative: "1 - tanh(x) * tan(x)"}
                - units: 1
                  activation: sigmoid
            loss: {type: squared_error, reduction: sum}
            data: {generator: xor}
            weights: {init: normal, std: 1.0}
            check: {trials: 2}
            seed: 7
            expect: mismatch
            """;

    @BeforeAll
    static void headless() {
        System.setProperty("java.awt.headless", "true");
    }

    private static Spec tanhTan() throws Exception {
        return new SpecLoader().parse(TANH_TAN, Path.of("tanh.yaml"));
    }

    private static ParameterResult param(String name, int index, int layer, double rel, Status status) {
        return new ParameterResult(name, index, layer, false, 0, 1, 1, 1, rel, 1e-8, rel, 1e-8, status, null);
    }

    /** Two layers; layer 2 has one mismatch and one parameter whose error is exactly 0. */
    private static SpecResult handBuilt(List<ParameterResult> all) {
        List<LayerSummary> layers = List.of(
                new LayerSummary(1, "tanh", false, 2, 0, 0, 0, 0, 0, 1e-12, 1e-13),
                new LayerSummary(2, "sigmoid", false, 2, 1, 1, 0, 0, 0, 0.5, 0.25));
        List<ParameterResult> mism = all.stream().filter(p -> p.status() == Status.MISMATCH).toList();
        return Results.result("Hand Built!", Path.of("x.yaml"), null, Expectation.pass(), Verdict.MISMATCH, false,
                1, 1, 4, 4, List.of(), 0, 0, 0.5, layers, mism, List.of(), List.of(), null, 0.1, all);
    }

    private static List<ParameterResult> fourParams() {
        return List.of(param("W1[0,0]", 0, 1, 1e-13, Status.OK), param("W1[0,1]", 1, 1, 1e-12, Status.OK),
                param("W2[0,0]", 2, 2, 0.5, Status.MISMATCH), param("W2[0,1]", 3, 2, 0.0, Status.OK));
    }

    private static BufferedImage decode(byte[] png) throws Exception {
        assertArrayEquals(PNG, Arrays.copyOf(png, PNG.length), "PNG signature");
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertNotNull(img);
        return img;
    }

    @Test
    void layerErrorsPngDecodesToTheChartSize() throws Exception {
        BufferedImage img = decode(Plots.layerErrorsPng(handBuilt(fourParams())));
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
    }

    @Test
    void layerErrorChartHasAMismatchSeriesAndFloorsZero() {
        XYChart chart = LayerErrorChart.build(handBuilt(fourParams()));
        XYSeries mismatch = chart.getSeries("mismatch");
        assertNotNull(mismatch);
        assertEquals(1, mismatch.getYData().length);
        assertEquals(0.5, mismatch.getYData()[0]);
        assertEquals(2, Math.round(mismatch.getXData()[0]));
        assertTrue(Math.abs(mismatch.getXData()[0] - 2) < 0.35, "jitter stays within the layer");
        double[] ok = chart.getSeries("ok").getYData();
        assertTrue(Arrays.stream(ok).anyMatch(y -> y == LayerErrorChart.FLOOR), "0 drawn at the floor");
        assertNotNull(chart.getSeries("tolerance"));
        assertEquals(1e-8, chart.getSeries("tolerance").getYData()[0]);
        assertNull(chart.getSeries("kink"), "no empty series");
        assertTrue(chart.getStyler().isYAxisLogarithmic());
        assertTrue(chart.getTitle().startsWith("Hand Built!: relative error per layer"));
    }

    @Test
    void withoutPerParameterDataTheLayerSummariesAreDrawn() throws Exception {
        SpecResult r = handBuilt(List.of());
        XYChart chart = LayerErrorChart.build(r);
        assertArrayEquals(new double[] {0.5, 0.25}, new double[] {chart.getSeries("max").getYData()[1],
                chart.getSeries("median").getYData()[1]});
        decode(Plots.layerErrorsPng(r));
    }

    @Test
    void nothingToDrawStillRenders() throws Exception {
        SpecResult r = Results.result("empty", Path.of("e.yaml"), null, Expectation.pass(), Verdict.PASS, true,
                1, 1, 0, 0, List.of(), 0, 0, 0, List.of(), List.of(), List.of(), List.of(), null, 0);
        assertEquals(Plots.WIDTH, decode(Plots.layerErrorsPng(r)).getWidth());
    }

    @Test
    void axisTitleNamesEachLayersActivation() {
        XYChart chart = LayerErrorChart.build(handBuilt(fourParams()));
        assertTrue(chart.getXAxisTitle().startsWith("layer (1 = tanh,  2 = sigmoid;"), chart.getXAxisTitle());
    }

    @Test
    void declaredLabelShowsTheExpression() throws Exception {
        Activation f = NetworkFactory.build(tanhTan()).activation(0);
        assertEquals("declared f'(x) = 1 - tanh(x) * tan(x)  (what backpropagation uses)",
                DerivativeChart.declaredLabel(f, "tanh with declared f'(x) = 1 - tanh(x) * tan(x)"));
        assertEquals("declared f' (tanh)  (what backpropagation uses)", DerivativeChart.declaredLabel(f, "tanh"));
    }

    @Test
    void jitterIsDeterministicAndSmall() {
        for (int i = 0; i < 1000; i++) {
            assertEquals(LayerErrorChart.jitter(i), LayerErrorChart.jitter(i));
            assertTrue(Math.abs(LayerErrorChart.jitter(i)) < 0.31);
        }
        assertFalse(LayerErrorChart.jitter(0) == LayerErrorChart.jitter(1));
    }

    @Test
    void derivativeChartMarksOnlyRealDifferences() throws Exception {
        Activation f = NetworkFactory.build(tanhTan()).activation(0);
        XYChart chart = DerivativeChart.build("t", 1, f, "tanh with declared f'(x) = 1 - tanh(x) * tan(x)");
        assertNotNull(chart.getSeries(DerivativeChart.DECLARED));
        assertNotNull(chart.getSeries(DerivativeChart.EXACT));
        double[] xs = chart.getSeries(DerivativeChart.DIFFERS).getXData();
        assertFalse(Arrays.stream(xs).anyMatch(x -> x == 0.0), "x=0 agrees");
        assertTrue(Arrays.stream(xs).anyMatch(x -> x == 1.0), "x=1 differs");
        assertTrue(chart.getTitle().contains("clipped to [-3, 3]"));
        // near pi/2 the declared derivative explodes: clipped to a gap, never drawn out of range
        double[] declared = chart.getSeries(DerivativeChart.DECLARED).getYData();
        assertTrue(Arrays.stream(declared).allMatch(y -> Double.isNaN(y) || Math.abs(y) <= 3));
        assertTrue(Arrays.stream(declared).anyMatch(Double::isNaN));
        assertTrue(chart.getSeries(DerivativeChart.DECLARED).getXData().length >= 400);
    }

    @Test
    void aCorrectDerivativeHasNoDiffersSeries() {
        Activation tanh = NetworkFactory.activation(ActivationSpec.builtin("tanh"));
        XYChart chart = DerivativeChart.build("t", 1, tanh, "tanh");
        assertNull(chart.getSeries(DerivativeChart.DIFFERS));
        assertFalse(chart.getTitle().contains("clipped"), "nothing was clipped");
        assertFalse(Arrays.stream(chart.getSeries(DerivativeChart.EXACT).getYData()).anyMatch(Double::isNaN));
    }

    @Test
    void derivativePngDecodes() throws Exception {
        Activation f = NetworkFactory.build(tanhTan()).activation(0);
        BufferedImage img = decode(Plots.derivativePng("t", 1, f, "tanh"));
        assertEquals(Plots.WIDTH, img.getWidth());
        assertEquals(Plots.HEIGHT, img.getHeight());
    }

    @Test
    void forSpecNamesFilesSafelyAndOnlyForFailedLayers() throws Exception {
        SpecResult r = SpecChecker.run(tanhTan(), SpecChecker.Progress.NONE);
        assertEquals(Verdict.MISMATCH, r.verdict());
        List<String> names = Plots.forSpec(r).stream().map(Plots.Plot::fileName).toList();
        assertEquals(List.of("tanh-tutorial-bug-layer-errors.png", "tanh-tutorial-bug-layer1-derivative.png"), names);
        for (Plots.Plot p : Plots.forSpec(r)) {
            decode(p.png());
        }
    }

    @Test
    void aLayerGraphWithAWrongDeclaredDerivativeGetsItsDerivativePlotToo() throws Exception {
        // The derivative plot once built the spec as a dense chain, which a layer graph is not: no plot was drawn.
        Spec graph = new SpecLoader().parse("""
                name: graph-tanh-tan
                network:
                  input: [4]
                  layers:
                    - {type: dense, name: hidden, units: 3, activation: {name: tanh, derivative: "1 - tanh(x) * tan(x)"}}
                    - {type: dense, name: out, units: 2, activation: identity}
                loss: {type: squared_error, reduction: mean}
                data: {examples: 4}
                seed: 3
                expect: mismatch
                """, Path.of("graph.yaml"));
        assertTrue(graph.network().isGraph());
        SpecResult r = SpecChecker.run(graph, SpecChecker.Progress.NONE);
        assertEquals(Verdict.MISMATCH, r.verdict());
        List<Plots.Plot> plots = Plots.forSpec(r);
        assertEquals(List.of("graph-tanh-tan-layer-errors.png", "graph-tanh-tan-layer1-derivative.png"),
                plots.stream().map(Plots.Plot::fileName).toList());
        for (Plots.Plot p : plots) {
            decode(p.png());
        }
    }

    @Test
    void forSpecIsEmptyForAnError() {
        SpecResult r = SpecResult.error("broken", Path.of("b.yaml"), null, null, "bad", 0, 0);
        assertTrue(Plots.forSpec(r).isEmpty());
    }

    @Test
    void safeNames() {
        assertEquals("tanh-tutorial-bug", Plots.safeName("Tanh Tutorial/Bug"));
        assertEquals("a.b_c-d", Plots.safeName("A.b_c--d"));
        assertEquals("etc-passwd", Plots.safeName("../../etc/passwd"));
        assertEquals("spec", Plots.safeName("///"));
        assertEquals("spec", Plots.safeName(null));
    }

    @Test
    void writeAllWritesEveryPlotAndNoTemporaryFiles(@TempDir Path dir) throws Exception {
        SpecResult r = SpecChecker.run(tanhTan(), SpecChecker.Progress.NONE);
        Path plots = dir.resolve("plots");
        int n = PlotWriter.writeAll(plots, List.of(r, r));
        assertEquals(4, n);
        try (Stream<Path> files = Files.list(plots)) {
            assertEquals(Set.of("tanh-tutorial-bug-layer-errors.png", "tanh-tutorial-bug-layer1-derivative.png",
                            "tanh-tutorial-bug-layer-errors-2.png", "tanh-tutorial-bug-layer1-derivative-2.png"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
    }

    // ---- issue #13: headroom, labelled tolerances, the constant factor seen ---------------------------

    @Test
    void theYAxisLeavesHeadroomAboveTheHighestPointAndRoomBelowTheLowest() {
        List<ParameterResult> all = List.of(param("W1[0,0]", 0, 1, 3e-15, Status.OK),
                param("W2[0,0]", 1, 2, 9.5, Status.MISMATCH), param("W2[0,1]", 2, 2, 2e-16, Status.OK));
        XYChart chart = LayerErrorChart.build(handBuilt(all));
        assertEquals(100.0, chart.getStyler().getYAxisMax(), "a decade at or above 3 x 9.5");
        assertTrue(chart.getStyler().getYAxisMax() >= 3 * 9.5, "the top mismatch is not at the edge");
        assertEquals(1e-17, chart.getStyler().getYAxisMin(), 1e-30, "a decade at or below 2e-16 / 3");
    }

    @Test
    void eachLayersToleranceIsLabelledWithItsValue() {
        List<ParameterResult> all = List.of(
                new ParameterResult("W1[0,0]", 0, 1, false, 0, 1, 1, 1, 1e-15, 3.39e-14, 1e-15, 1e-14, Status.OK, null),
                new ParameterResult("W1[0,1]", 1, 1, false, 0, 1, 1, 1, 1e-15, 3.41e-14, 1e-15, 1e-14, Status.OK, null),
                new ParameterResult("W2[0,0]", 2, 2, false, 0, 1, 1, 1, 1e-15, 8e-13, 1e-15, 1e-14, Status.OK, null));
        assertEquals(java.util.Map.of(1, 3.4e-14, 2, 8e-13), LayerErrorChart.tolerances(all));
        assertEquals("tol 3.40e-14", LayerErrorChart.toleranceLabel(3.4e-14));
        assertEquals("tol 8.00e-13", LayerErrorChart.toleranceLabel(8e-13));
    }

    private static ParameterResult scaled(String name, int index, double exact, double k) {
        return new ParameterResult(name, index, 1, false, 0, k * exact, exact, exact, 1, 1e-14, 1, 1e-16, Status.MISMATCH, null);
    }

    @Test
    void aConstantFactorGetsAScatterOfAnalyticAgainstExactWithTheFittedLine() throws Exception {
        List<ParameterResult> mism = List.of(scaled("W1[0,0]", 0, 0.1, 4), scaled("W1[0,1]", 1, -0.3, 4),
                scaled("W1[1,0]", 2, 0.02, 4));
        String finding = "constant factor: analytic/exact = 4.00000 (spread 0.0e+00) over 3 mismatching parameters: "
                + "×N (N = 4): the gradient is summed over examples while the loss is averaged";
        SpecResult r = Results.result("factor", Path.of("f.yaml"), tanhTan(), Expectation.pass(), Verdict.MISMATCH, false,
                1, 1, 3, 3, List.of(), 0, 0, 0.75, List.of(new LayerSummary(1, "tanh", false, 3, 3, 3, 0, 0, 0, 0.75, 0.75)),
                mism, List.of(), List.of(), null, 0.1, mism, List.of("where: W1 (3 of 3)", finding));

        FactorChart.Factor factor = FactorChart.factor(r);
        assertEquals(new FactorChart.Factor(4.0, "mismatching parameters",
                "×N (N = 4): the gradient is summed over examples while the loss is averaged"), factor);
        XYChart chart = FactorChart.build(r, factor);
        XYSeries points = chart.getSeries(FactorChart.POINTS);
        assertArrayEquals(new double[] {0.1, -0.3, 0.02}, points.getXData());
        assertArrayEquals(new double[] {0.4, -1.2, 0.08}, points.getYData(), 1e-15);
        XYSeries fitted = chart.getSeries(FactorChart.FITTED);
        assertArrayEquals(new double[] {-0.3, 0.1}, fitted.getXData(), "the line spans the points");
        assertArrayEquals(new double[] {-1.2, 0.4}, fitted.getYData(), 1e-15);
        assertEquals("fitted: analytic = 4.00000 × exact (×N (N = 4))", fitted.getLabel());
        assertArrayEquals(fitted.getXData(), chart.getSeries(FactorChart.AGREEMENT).getYData(), "y = x");

        List<String> names = Plots.forSpec(r).stream().map(Plots.Plot::fileName).toList();
        assertEquals(List.of("factor-layer-errors.png", "factor-constant-factor.png"), names);
        decode(Plots.forSpec(r).get(1).png());
    }

    @Test
    void aFactorOfOneGroupPlotsThatGroupOnly() {
        List<ParameterResult> mism = List.of(scaled("W1[0,0]", 0, 0.1, -1), scaled("W1[0,1]", 1, 0.2, -1),
                new ParameterResult("b1[0]", 2, 1, true, 0, 5, 1, 1, 0.8, 1e-14, 4, 1e-16, Status.MISMATCH, null));
        SpecResult r = Results.result("group", Path.of("g.yaml"), null, Expectation.pass(), Verdict.MISMATCH, false,
                1, 1, 3, 3, List.of(), 0, 0, 2, List.of(), mism, List.of(), List.of(), null, 0.1, mism,
                List.of("constant factor: analytic/exact = -1.00000 (spread 0.0e+00) over 2 W1: a sign flip"));
        FactorChart.Factor factor = FactorChart.factor(r);
        assertEquals("W1", factor.group());
        assertArrayEquals(new double[] {0.1, 0.2}, FactorChart.build(r, factor).getSeries(FactorChart.POINTS).getXData());
        assertNull(FactorChart.factor(handBuilt(fourParams())), "no factor, no chart");
    }
}
