package dev.gradproof.report.plot;

import dev.gradproof.network.Activation;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.Arrays;

/**
 * A declared derivative against the exact one over [-5, 5]. Values outside [-CLIP, CLIP] are not
 * drawn (the line breaks there) so a derivative that explodes, like tan near ±π/2, does not flatten
 * the rest; the x where the two differ beyond rounding are marked in a strip along the bottom.
 */
final class DerivativeChart {
    static final double LIMIT = 5;
    static final int STEPS_PER_UNIT = 80; // 801 points; x = k/80 hits 0, ±1, … exactly
    static final double CLIP = 3;
    static final String DECLARED = "declared f'";
    static final String EXACT = "exact f' (DerivativeStructure)";
    static final String DIFFERS = "differs";

    private DerivativeChart() {
    }

    static XYChart build(String specName, int layer, Activation f, String description) {
        int n = (int) (2 * LIMIT * STEPS_PER_UNIT) + 1;
        double[] xs = new double[n];
        double[] declared = new double[n];
        double[] exact = new double[n];
        double[] differs = new double[n];
        int count = 0;
        boolean clipped = false;
        for (int i = 0; i < n; i++) {
            double x = (i - (n - 1) / 2) / (double) STEPS_PER_UNIT;
            xs[i] = x;
            double d = f.derivative(x);
            double e = f.exactDerivative(x);
            declared[i] = clip(d);
            exact[i] = clip(e);
            clipped |= Double.isNaN(declared[i]) && !Double.isNaN(d) || Double.isNaN(exact[i]) && !Double.isNaN(e);
            double bound = 2 * (f.declaredDerivativeError(x) + f.exactDerivativeError(x)) + Double.MIN_VALUE;
            if (!onKink(f, x) && !(Math.abs(d - e) <= bound)) {
                differs[count++] = x;
            }
        }
        // y range: the drawn values and 0, padded, with room below for the strip of "differs" marks
        double lo = 0;
        double hi = 0;
        for (double[] ys : new double[][] {declared, exact}) {
            for (double y : ys) {
                if (!Double.isNaN(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        double span = Math.max(hi - lo, 0.1);
        double strip = lo - 0.08 * span;

        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT)
                .title(specName + ", layer " + layer + " (" + f.name() + "): declared vs exact f'"
                        + (clipped ? " (y clipped to [-3, 3])" : ""))
                .xAxisTitle("x (pre-activation)")
                .yAxisTitle("f'(x)").build();
        Plots.style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setXAxisMin(-LIMIT);
        chart.getStyler().setXAxisMax(LIMIT);
        chart.getStyler().setXAxisDecimalPattern("0"); // integer ticks (see the y = 0 guide below)
        chart.getStyler().setYAxisMin(strip - 0.05 * span);
        chart.getStyler().setYAxisMax(hi + 0.05 * span);
        chart.getStyler().setYAxisDecimalPattern("0.###");

        // Added first on purpose: a y = 0 guide whose x values break the grid's even spacing, which
        // would otherwise make XChart put the x ticks on data points (at odd steps) instead of integers.
        XYSeries zero = chart.addSeries("y = 0", new double[] {-LIMIT, LIMIT}, new double[] {0, 0});
        zero.setLineColor(Color.GRAY);
        zero.setLineStyle(new BasicStroke(1f));
        zero.setMarker(SeriesMarkers.NONE);
        zero.setShowInLegend(false);
        XYSeries ex = chart.addSeries(EXACT, xs, exact);
        ex.setLabel("exact f' of the real function (DerivativeStructure)");
        ex.setLineColor(new Color(40, 90, 200));
        ex.setLineStyle(new BasicStroke(4f));
        ex.setMarker(SeriesMarkers.NONE);
        XYSeries de = chart.addSeries(DECLARED, xs, declared);
        de.setLabel(declaredLabel(f, description));
        de.setLineColor(new Color(220, 30, 30));
        de.setLineStyle(new BasicStroke(2f));
        de.setMarker(SeriesMarkers.NONE);
        if (count > 0) {
            double[] dy = new double[count];
            Arrays.fill(dy, strip);
            XYSeries mark = chart.addSeries(DIFFERS, Arrays.copyOf(differs, count), dy);
            mark.setLabel("x where they differ by more than rounding (" + count + " of " + n + " points)");
            mark.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            mark.setMarker(SeriesMarkers.SQUARE);
            mark.setMarkerColor(new Color(230, 120, 0));
        }
        return chart;
    }

    /** {@code declared f'(x) = 1 - tanh(x) * tan(x) (what backpropagation uses)}. */
    static String declaredLabel(Activation f, String description) {
        String d = description == null ? f.name() : description;
        int at = d.indexOf("f'(x) = ");
        String what = at >= 0 ? "declared " + d.substring(at) : "declared f' (" + d + ")";
        return what + "  (what backpropagation uses)";
    }

    /** Out-of-range and non-finite values become NaN: XChart breaks the line there. */
    static double clip(double y) {
        return Math.abs(y) <= CLIP ? y : Double.NaN;
    }

    private static boolean onKink(Activation f, double x) {
        for (double k : f.kinks()) {
            if (k == x) {
                return true;
            }
        }
        return false;
    }
}
