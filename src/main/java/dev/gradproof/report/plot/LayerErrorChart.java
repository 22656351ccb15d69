package dev.gradproof.report.plot;

import dev.gradproof.compare.LayerSummary;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.report.Numbers;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.Marker;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Relative error per layer (log scale), one series per status, and the median tolerance per layer. */
final class LayerErrorChart {
    /** Where 0 (and anything smaller) is drawn on the log axis. */
    static final double FLOOR = 1e-18;
    private static final double SPREAD = 0.6; // jitter width, in layers
    private static final double GOLDEN = 0.6180339887498949;

    private LayerErrorChart() {
    }

    static XYChart build(SpecResult r) {
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT)
                .title(r.name() + ": relative error per layer vs tolerance")
                .yAxisTitle("relative error, log scale (0 drawn at 1e-18)").build();
        Plots.style(chart);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmicDecadeOnly(true);
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        int layers = Math.max(1, Math.max(r.layers().size(),
                r.all().stream().mapToInt(ParameterResult::layer).max().orElse(1)));
        chart.getStyler().setXAxisMin(0.5);
        chart.getStyler().setXAxisMax(layers + 0.5);
        String[] names = new String[layers + 1];
        for (LayerSummary l : r.layers()) {
            if (l.layer() >= 1 && l.layer() <= layers) {
                names[l.layer()] = shortName(l.activation());
            }
        }
        // XChart 4.0.3 drops every x tick when labels are long custom strings, so the ticks stay
        // numeric (integers only) and the axis title names each layer's activation.
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.setXAxisTitle(xAxisTitle(names));
        // First series on purpose: x values that are not evenly spaced keep XChart from placing the
        // x ticks on data points (which "0" would then mislabel); drawn invisibly.
        XYSeries anchor = chart.addSeries(" ", new double[] {0.5, layers + 0.5, 1}, new double[] {FLOOR, FLOOR, FLOOR});
        anchor.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        anchor.setMarker(SeriesMarkers.NONE);
        anchor.setLineColor(new Color(0, 0, 0, 0));
        anchor.setShowInLegend(false);
        if (r.all().isEmpty()) {
            summaries(chart, r.layers());
        } else {
            tolerance(chart, r.all()); // first, so it is drawn under the points and leads the legend
            statuses(chart, r.all());
        }
        yRange(chart);
        return chart;
    }

    /**
     * Whole decades from below the lowest drawn value to at least 3× above the highest, so the top
     * points (the mismatches) and their markers sit inside the plot, not cut by its edge.
     */
    private static void yRange(XYChart chart) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = 0;
        for (XYSeries s : chart.getSeriesCollection()) {
            if (!s.isShowInLegend() && s.getName().equals(" ")) {
                continue; // the invisible tick anchor
            }
            for (double y : s.getYData()) {
                if (y > 0 && Double.isFinite(y)) {
                    lo = Math.min(lo, y);
                    hi = Math.max(hi, y);
                }
            }
        }
        if (hi == 0) {
            return;
        }
        chart.getStyler().setYAxisMin(decadeAtOrBelow(lo / 3));
        chart.getStyler().setYAxisMax(decadeAtOrAbove(hi * 3));
    }

    static double decadeAtOrAbove(double v) {
        return Math.pow(10, Math.ceil(Math.log10(v)));
    }

    static double decadeAtOrBelow(double v) {
        return Math.pow(10, Math.floor(Math.log10(v)));
    }

    private static void statuses(XYChart chart, List<ParameterResult> all) {
        Object[][] looks = {
                {Status.OK, new Color(70, 110, 190, 150), SeriesMarkers.CIRCLE},
                {Status.KINK, new Color(240, 150, 20), SeriesMarkers.DIAMOND},
                {Status.INCONCLUSIVE, new Color(140, 60, 180), SeriesMarkers.TRIANGLE_UP},
                {Status.MISMATCH, new Color(220, 20, 20), SeriesMarkers.CIRCLE}};
        for (Object[] look : looks) {
            Status status = (Status) look[0];
            List<ParameterResult> rs = all.stream().filter(p -> p.status() == status
                    && !Double.isNaN(p.relativeError())).toList();
            if (rs.isEmpty()) {
                continue;
            }
            double[] x = new double[rs.size()];
            double[] y = new double[rs.size()];
            for (int i = 0; i < x.length; i++) {
                ParameterResult p = rs.get(i);
                x[i] = p.layer() + jitter(p.index());
                y[i] = floor(p.relativeError());
            }
            XYSeries s = chart.addSeries(status.label(), x, y);
            s.setLabel(status.label() + " (" + rs.size() + ")  ");
            s.setMarker((Marker) look[2]);
            s.setMarkerColor((Color) look[1]);
        }
    }

    /** Each layer's median tolerance (floored as drawn), by layer. */
    static Map<Integer, Double> tolerances(List<ParameterResult> all) {
        Map<Integer, List<Double>> byLayer = new TreeMap<>();
        for (ParameterResult p : all) {
            if (!Double.isNaN(p.tolerance())) {
                byLayer.computeIfAbsent(p.layer(), k -> new ArrayList<>()).add(p.tolerance());
            }
        }
        Map<Integer, Double> out = new TreeMap<>();
        byLayer.forEach((layer, ts) -> out.put(layer, floor(median(ts))));
        return out;
    }

    /** The label of a tolerance segment: {@code tol 3.4e-14}. */
    static String toleranceLabel(double t) {
        return "tol " + Numbers.g(t);
    }

    /**
     * Median tolerance of each layer as a short horizontal segment across that layer's points, its value
     * written just above it (the log axis alone does not tell 3e-14 from 8e-14).
     */
    private static void tolerance(XYChart chart, List<ParameterResult> all) {
        boolean first = true;
        for (Map.Entry<Integer, Double> e : tolerances(all).entrySet()) {
            double t = e.getValue();
            double half = SPREAD / 2 + 0.08;
            XYSeries s = chart.addSeries(first ? "tolerance" : "tolerance " + e.getKey(),
                    new double[] {e.getKey() - half, e.getKey() + half}, new double[] {t, t});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineColor(Color.BLACK);
            s.setLineStyle(new BasicStroke(2.5f));
            s.setLabel("tolerance (median per layer)");
            s.setShowInLegend(first);
            first = false;
            // Left end of the segment, 0.4 decade up: clear of the line, rarely on the points' column.
            chart.addAnnotation(new AnnotationText(toleranceLabel(t), e.getKey() - half + 0.12, t * 2.5, false));
        }
        chart.getStyler().setAnnotationTextFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        chart.getStyler().setAnnotationTextFontColor(Color.BLACK);
    }

    /** Without per-parameter data: each layer's max and median relative error. */
    private static void summaries(XYChart chart, List<LayerSummary> layers) {
        List<LayerSummary> ls = layers.stream().filter(l -> l.checked() > 0).toList();
        if (ls.isEmpty()) {
            return;
        }
        double[] x = ls.stream().mapToDouble(LayerSummary::layer).toArray();
        XYSeries max = chart.addSeries("max", x, ls.stream().mapToDouble(l -> floor(l.maxRelativeError())).toArray());
        max.setMarker(SeriesMarkers.TRIANGLE_UP);
        max.setMarkerColor(new Color(220, 20, 20));
        max.setLabel("max relative error  ");
        XYSeries med = chart.addSeries("median", x, ls.stream().mapToDouble(l -> floor(l.medianRelativeError())).toArray());
        med.setMarker(SeriesMarkers.CIRCLE);
        med.setMarkerColor(new Color(70, 110, 190));
        med.setLabel("median relative error  ");
    }

    /** Deterministic, evenly spread offset in (-SPREAD/2, SPREAD/2) from the parameter's index. */
    static double jitter(int index) {
        double u = (index + 1) * GOLDEN;
        return SPREAD * (u - Math.floor(u) - 0.5);
    }

    static double floor(double v) {
        return Double.isNaN(v) || v < FLOOR ? FLOOR : v;
    }

    private static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** "layer (1 = tanh,  2 = sigmoid;  points spread sideways)", naming layers only when few. */
    static String xAxisTitle(String[] names) {
        StringBuilder b = new StringBuilder("layer (");
        if (names.length <= 7) {
            for (int k = 1; k < names.length; k++) {
                b.append(k).append(" = ").append(names[k] == null ? "?" : names[k]).append(k + 1 < names.length ? ",  " : ";  ");
            }
        }
        return b.append("points spread sideways)").toString();
    }

    /** {@code tanh with declared f'(x) = …} → {@code tanh with declared f'}. */
    private static String shortName(String description) {
        if (description == null) {
            return null;
        }
        int with = description.indexOf(" with ");
        return with < 0 ? description : description.substring(0, with) + " with declared f'";
    }
}
