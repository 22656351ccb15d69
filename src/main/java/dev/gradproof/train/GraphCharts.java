package dev.gradproof.train;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.report.plot.Plots;
import dev.gradproof.spec.layers.ConvOptions;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The layer-graph teaching pages' own evidence charts: a convolution's gradient error per output channel and
 * kernel position, and a recurrent layer's gradient per time step (at the start, and as training goes on).
 */
final class GraphCharts {
    /** Where 0 is drawn on a log axis. */
    static final double FLOOR = 1e-18;
    private static final Color CORRECT = new Color(20, 60, 140);
    private static final Color MUTANT = new Color(200, 30, 30);

    private GraphCharts() {
    }

    /** One cell of a heat map. */
    record Cell(int x, int y, double value) {
    }

    /**
     * Per output channel (rows) and kernel position (columns, row-major ky·kw + kx), the largest error
     * |analytic − exact| the check found among the input channels and trials of that kernel entry, as a
     * fraction of the layer's largest |exact| entry (so 1 is an error as large as its largest gradient), and
     * the bias as one more column; empty when the check compared none of the convolution's weights.
     */
    static List<Cell> convErrors(SpecResult r, GraphNetwork g, GraphNode conv) {
        GraphLayout.Tensor weight = weight(g, conv);
        List<Cell> cells = new ArrayList<>();
        if (weight == null) {
            return cells;
        }
        GraphLayout.Tensor bias = g.layout().tensors().stream()
                .filter(t -> t.layerName().equals(conv.name()) && t.tensor().shape().length == 1)
                .findFirst().orElse(null);
        // one scale for the layer: a bias whose exact gradient is 0 (it feeds a batch norm) must not turn
        // rounding into a full-scale error
        double scale = Math.max(scale(r, weight), bias == null ? 0 : scale(r, bias));
        cells.addAll(tensorErrors(r, weight, scale));
        if (bias != null) {
            // the bias as one more column, after the kernel positions
            int column = positions(weight.tensor().shape());
            for (Cell c : tensorErrors(r, bias, scale)) {
                cells.add(new Cell(column, c.y(), c.value()));
            }
        }
        return cells;
    }

    /** Per output channel and position of one tensor, the largest relative-to-tensor error (see convErrors). */
    private static List<Cell> tensorErrors(SpecResult r, GraphLayout.Tensor weight, double scale) {
        List<Cell> cells = new ArrayList<>();
        int[] shape = weight.tensor().shape();
        int positions = positions(shape);
        int inputs = shape.length > 1 ? shape[1] : 1;
        double[][] worst = new double[shape[0]][positions];
        boolean[][] seen = new boolean[shape[0]][positions];
        for (ParameterResult p : r.all()) {
            if (p.index() < weight.offset() || p.index() >= weight.offset() + weight.size()) {
                continue;
            }
            int local = p.index() - weight.offset();
            int o = local / (inputs * positions);
            int k = local % positions;
            double e = Math.abs(p.analytic() - p.exact());
            e = !Double.isFinite(e) ? Double.POSITIVE_INFINITY : scale > 0 ? e / scale : e;
            worst[o][k] = Math.max(worst[o][k], e);
            seen[o][k] = true;
        }
        for (int o = 0; o < shape[0]; o++) {
            for (int k = 0; k < positions; k++) {
                if (seen[o][k]) {
                    cells.add(new Cell(k, o, worst[o][k]));
                }
            }
        }
        return cells;
    }

    /** The largest |exact| among a tensor's compared entries. */
    private static double scale(SpecResult r, GraphLayout.Tensor t) {
        double scale = 0;
        for (ParameterResult p : r.all()) {
            if (p.index() >= t.offset() && p.index() < t.offset() + t.size() && Double.isFinite(p.exact())) {
                scale = Math.max(scale, Math.abs(p.exact()));
            }
        }
        return scale;
    }

    /** A convolution's weight tensor ([out, in, k...]); null if it has none. */
    static GraphLayout.Tensor weight(GraphNetwork g, GraphNode conv) {
        return g.layout().tensors().stream()
                .filter(t -> t.layerName().equals(conv.name()) && t.tensor().shape().length >= 3)
                .findFirst().orElse(null);
    }

    /** Kernel positions per (output, input) channel pair: 1 for a bias. */
    static int positions(int[] shape) {
        int positions = 1;
        for (int d = 2; d < shape.length; d++) {
            positions *= shape[d];
        }
        return positions;
    }

    static String kernelWords(GraphNode conv) {
        int[] k = ((ConvOptions) conv.options()).kernel();
        return (k.length == 1 ? "kernel position k (0.." + (k[0] - 1) + ")"
                : "kernel position ky*" + k[1] + " + kx (0.." + (k[0] * k[1] - 1) + ")") + ", then the bias";
    }

    static byte[] convHeatMap(String title, GraphNode conv, List<Cell> cells, int channels, int positions) {
        HeatMapChart chart = new HeatMapChartBuilder().width(900).height(Math.max(360, 120 + 34 * channels))
                .title(title).xAxisTitle(kernelWords(conv)).yAxisTitle("output channel").build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        chart.getStyler().setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setChartTitleBoxVisible(false);
        double top = 1;
        for (Cell c : cells) {
            top = Double.isFinite(c.value()) ? Math.max(top, c.value()) : top;
        }
        chart.getStyler().setMin(0);
        chart.getStyler().setMax(top);
        chart.getStyler().setRangeColors(new Color[] {new Color(250, 250, 250), new Color(255, 210, 120),
                new Color(230, 90, 30), new Color(130, 0, 20)});
        chart.getStyler().setHeatMapValueDecimalPattern("0.00");
        boolean bias = cells.stream().anyMatch(c -> c.x() == positions);
        List<String> xs = new ArrayList<>();
        for (int k = 0; k < positions; k++) {
            xs.add(Integer.toString(k));
        }
        if (bias) {
            xs.add("bias");
        }
        List<Integer> ys = new ArrayList<>();
        for (int o = 0; o < channels; o++) {
            ys.add(o);
        }
        List<Number[]> data = new ArrayList<>();
        for (Cell c : cells) {
            data.add(new Number[] {c.x(), c.y(), Double.isFinite(c.value()) ? c.value() : top});
        }
        chart.addSeries("|analytic - exact| / largest |exact|", xs, ys, data);
        return png(chart);
    }

    /** Per time step: the correct and the mutant's gradient into the recurrent layer's input, and their difference. */
    static byte[] stepsAtStart(String title, double[] correct, double[] mutant, double[] difference) {
        XYChart chart = stepChart(title, "norm of dL/dx_t over the batch (log scale; 0 drawn at 1e-18)");
        line(chart, "correct gradient", correct, CORRECT, 3.5f, false);
        line(chart, "the mutant's gradient", mutant, MUTANT, 2.5f, false);
        line(chart, "difference (mutant - correct)", difference, new Color(240, 150, 20), 2f, true);
        return png(chart);
    }

    /**
     * Per time step, the norm of the gradient each run followed, at a few epochs: how the gradient reaching
     * early steps grows or fades as training goes on.
     *
     * @param epochs   the epochs drawn
     * @param correct  per epoch drawn, per step, the correct run's norms
     * @param mutant   the same for the mutant's run
     */
    static byte[] stepsDuringTraining(String title, int[] epochs, double[][] correct, double[][] mutant) {
        XYChart chart = stepChart(title, "norm of dL/dx_t (log scale; 0 drawn at 1e-18)");
        for (int i = 0; i < epochs.length; i++) {
            float shade = epochs.length == 1 ? 1f : 0.45f + 0.55f * i / (epochs.length - 1);
            if (correct[i] != null) {
                line(chart, "correct, epoch " + epochs[i], correct[i], blend(CORRECT, shade), 3f, false);
            }
            if (mutant[i] != null) {
                line(chart, "mutant, epoch " + epochs[i], mutant[i], blend(MUTANT, shade), 2f, true);
            }
        }
        return png(chart);
    }

    private static XYChart stepChart(String title, String yAxis) {
        XYChart chart = new XYChartBuilder().width(1100).height(600).title(title)
                .xAxisTitle("time step t (the sequence runs left to right; backpropagation right to left)")
                .yAxisTitle(yAxis).build();
        Plots.style(chart);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setXAxisDecimalPattern("0");
        return chart;
    }

    private static void line(XYChart chart, String name, double[] values, Color color, float width, boolean dashed) {
        double[] x = new double[values.length];
        double[] y = new double[values.length];
        for (int t = 0; t < values.length; t++) {
            x[t] = t + 1;
            y[t] = Double.isFinite(values[t]) ? Math.max(FLOOR, values[t]) : FLOOR;
        }
        XYSeries s = chart.addSeries(name, x, y);
        s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setLineColor(color);
        s.setMarkerColor(color);
        s.setMarker(SeriesMarkers.CIRCLE);
        s.setLineStyle(dashed ? new BasicStroke(width, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                new float[] {8f, 5f}, 0f) : new BasicStroke(width));
    }

    private static Color blend(Color c, float shade) {
        return new Color(Math.round(255 - (255 - c.getRed()) * shade), Math.round(255 - (255 - c.getGreen()) * shade),
                Math.round(255 - (255 - c.getBlue()) * shade));
    }

    static byte[] png(Chart<?, ?> chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
