package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import dev.gradproof.report.plot.Plots;
import org.apiguardian.api.API;

/**
 * Loss per epoch of every run on one chart, log-scale y: the correct run thick and dark blue, the
 * spec's declared derivative red, mutants in thinner colours, correct variants dashed. A diverged
 * run's line stops at its last finite loss, marked with a cross. Same look as the check plots
 * ({@code dev.gradproof.report.plot}), rendered headless.
 */
@API(status = INTERNAL, since = "0.2")
public final class LossCurveChart {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 1350;
    static final int HEIGHT = 700;
    /** Most points drawn per series; longer runs are thinned evenly (first and last epoch always kept). */
    static final int MAX_POINTS = 1000;
    /** Where a loss of 0 (or less) is drawn on the log axis. */
    static final double FLOOR = 1e-16;

    static final Color CORRECT = new Color(20, 60, 170);
    static final Color DECLARED = new Color(220, 30, 30);
    private static final Color[] PALETTE = {
            new Color(230, 120, 0), new Color(0, 150, 130), new Color(160, 60, 180), new Color(200, 40, 110),
            new Color(120, 120, 0), new Color(90, 160, 220), new Color(150, 90, 40), new Color(240, 170, 60),
            new Color(100, 180, 90), new Color(210, 100, 170), new Color(60, 60, 60), new Color(180, 30, 30)};

    private LossCurveChart() {
    }

    public static XYChart build(String title, String yAxis, List<TrainingRun> runs) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch (full-batch gradient-descent steps)").yAxisTitle(yAxis).build();
        style(chart);
        XYStyler s = chart.getStyler();
        s.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        s.setYAxisLogarithmic(true);
        s.setYAxisLogarithmicDecadeOnly(true);
        s.setXAxisDecimalPattern("0");
        int longest = runs.stream().mapToInt(TrainingRun::epochs).max().orElse(1);
        s.setXAxisMin(0.0);
        s.setXAxisMax((double) longest);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setLegendLayout(Styler.LegendLayout.Vertical);
        // First, on purpose (as in the check plots): x values that are not evenly spaced keep XChart
        // from putting the x ticks on data points (76, 152, ...) instead of round numbers. Invisible.
        XYSeries anchor = chart.addSeries(" ", new double[] {0, longest, 1}, new double[] {Double.NaN, Double.NaN, Double.NaN});
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
        // Drawn last so the correct run is on top: mutants first, then declared, then correct.
        List<TrainingRun> order = new ArrayList<>();
        runs.stream().filter(r -> r.kind() != TrainingRun.Kind.CORRECT && r.kind() != TrainingRun.Kind.DECLARED).forEach(order::add);
        runs.stream().filter(r -> r.kind() == TrainingRun.Kind.DECLARED).forEach(order::add);
        runs.stream().filter(r -> r.kind() == TrainingRun.Kind.CORRECT).forEach(order::add);
        int colour = 0;
        for (TrainingRun r : order) {
            double[][] xy = points(r);
            if (xy[0].length == 0) {
                continue;
            }
            XYSeries series = chart.addSeries(unique(chart, r.name()), xy[0], xy[1]);
            series.setLabel(r.label() + (r.diverged() ? " - diverged at epoch " + r.divergedAt() : "") + "   ");
            series.setMarker(SeriesMarkers.NONE);
            switch (r.kind()) {
                case CORRECT -> {
                    series.setLineColor(CORRECT);
                    series.setLineStyle(new BasicStroke(4f));
                }
                case DECLARED -> {
                    series.setLineColor(DECLARED);
                    series.setLineStyle(new BasicStroke(3f));
                }
                case CORRECT_VARIANT -> {
                    series.setLineColor(new Color(110, 110, 110));
                    series.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                            new float[] {8f, 6f}, 0f));
                }
                default -> {
                    series.setLineColor(PALETTE[colour++ % PALETTE.length]);
                    series.setLineStyle(new BasicStroke(2f));
                }
            }
            if (r.diverged() && xy[0].length > 0) {
                int last = xy[0].length - 1;
                XYSeries end = chart.addSeries(unique(chart, r.name() + " end"), new double[] {xy[0][last]},
                        new double[] {xy[1][last]});
                end.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                end.setMarker(SeriesMarkers.CROSS);
                end.setMarkerColor(series.getLineColor());
                end.setShowInLegend(false);
            }
        }
        return chart;
    }

    /** Epochs and losses to draw: finite values only (a diverged run stops there), thinned to MAX_POINTS. */
    static double[][] points(TrainingRun r) {
        double[] losses = r.losses();
        int n = losses.length;
        while (n > 0 && !Double.isFinite(losses[n - 1])) {
            n--;
        }
        int stride = Math.max(1, (int) Math.ceil((double) n / MAX_POINTS));
        List<double[]> kept = new ArrayList<>();
        for (int e = 0; e < n; e += stride) {
            kept.add(new double[] {e, losses[e]});
        }
        if (n > 0 && (n - 1) % stride != 0) {
            kept.add(new double[] {n - 1, losses[n - 1]});
        }
        double[] x = new double[kept.size()];
        double[] y = new double[kept.size()];
        for (int i = 0; i < x.length; i++) {
            x[i] = kept.get(i)[0];
            double v = kept.get(i)[1];
            y[i] = Double.isFinite(v) && v > FLOOR ? v : FLOOR;
        }
        return new double[][] {x, y};
    }

    private static String unique(XYChart chart, String name) {
        String n = name;
        for (int i = 2; chart.getSeries(n) != null; i++) {
            n = name + " " + i;
        }
        return n;
    }

    @SuppressWarnings("deprecation") // XChart 4.0.3 marks every encoder method deprecated, with no replacement
    public static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The chart as SVG, or null when XChart's optional SVG backend (VectorGraphics2D) is not on the
     * class path.
     */
    @SuppressWarnings("deprecation")
    public static byte[] svg(XYChart chart) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            return out.toByteArray();
        } catch (LinkageError missing) {
            return null;
        }
    }

    /** As the check plots, with larger markers for the divergence crosses. */
    static void style(XYChart chart) {
        Plots.style(chart);
        chart.getStyler().setMarkerSize(9);
    }
}
