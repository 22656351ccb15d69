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

}
