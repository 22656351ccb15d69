package dev.gradproof.report.plot;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.BasicStroke;
import java.awt.Color;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * For a spec whose mismatches are a constant multiple of the exact gradient (×N, ×2, a sign flip): the
 * analytic gradient against the exact one, the fitted line analytic = k × exact through them, and the
 * line of agreement, so the factor is seen, not only read.
 */
final class FactorChart {
    /** Diagnosis' wording: {@code constant factor: analytic/exact = 569.000 (spread 1.8e-13) over 1539 W1: ×N ...}. */
    private static final Pattern FINDING = Pattern.compile(
            "constant factor: analytic/exact = (\\S+) \\(spread [^)]*\\) over \\d+ (mismatching parameters|[Wb]\\d+)(?:: (.*))?");

    static final String POINTS = "mismatching parameter-trials";
    static final String FITTED = "fitted";
    static final String AGREEMENT = "agreement";

    private FactorChart() {
    }

    /** The first constant factor among the findings: its value, the parameters it covers, what it means. */
    record Factor(double k, String group, String meaning) {
        boolean covers(ParameterResult p) {
            return group.equals("mismatching parameters") || group.equals((p.bias() ? "b" : "W") + p.layer());
        }
    }

    static Factor factor(SpecResult r) {
        for (String f : r.findings()) {
            Matcher m = FINDING.matcher(f);
            if (m.matches()) {
                try {
                    return new Factor(Double.parseDouble(m.group(1)), m.group(2), m.group(3));
                } catch (NumberFormatException e) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Plain decimals for gradients of everyday size, exponents for tiny or huge ones. */
    static String ticks(double largest) {
        return largest >= 1e-3 && largest < 1e4 ? "0.####" : "0.##E0";
    }

    static XYChart build(SpecResult r, Factor factor) {
        List<ParameterResult> points = r.mismatches().stream()
                .filter(p -> p.status() == Status.MISMATCH && factor.covers(p)
                        && Double.isFinite(p.reference()) && Double.isFinite(p.analytic())).toList();
        double[] x = points.stream().mapToDouble(ParameterResult::reference).toArray();
        double[] y = points.stream().mapToDouble(ParameterResult::analytic).toArray();
        double lo = 0;
        double hi = 0;
        for (double v : x) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        if (hi == lo) {
            hi = lo + 1;
        }
        String k = String.format(Locale.ROOT, "%.6g", factor.k());
        XYChart chart = new XYChartBuilder().width(Plots.WIDTH).height(Plots.HEIGHT)
                .title(r.name() + ": analytic vs exact gradient, analytic = " + k + " × exact")
                .xAxisTitle("exact gradient (DerivativeStructure)").yAxisTitle("analytic gradient (under test)").build();
        Plots.style(chart);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        chart.getStyler().setXAxisDecimalPattern(ticks(Math.max(Math.abs(lo), Math.abs(hi))));
        chart.getStyler().setYAxisDecimalPattern(ticks(Math.abs(factor.k()) * Math.max(Math.abs(lo), Math.abs(hi))));
        XYSeries agree = chart.addSeries(AGREEMENT, new double[] {lo, hi}, new double[] {lo, hi});
        agree.setLabel("agreement: analytic = exact");
        agree.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        agree.setMarker(SeriesMarkers.NONE);
        agree.setLineColor(Color.GRAY);
        agree.setLineStyle(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        XYSeries fit = chart.addSeries(FITTED, new double[] {lo, hi}, new double[] {factor.k() * lo, factor.k() * hi});
        // The legend cuts long labels: the factor's name only (×N (N = 569)); the findings say what it means.
        fit.setLabel("fitted: analytic = " + k + " × exact"
                + (factor.meaning() == null ? "" : " (" + factor.meaning().split(": ")[0] + ")"));
        fit.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line);
        fit.setMarker(SeriesMarkers.NONE);
        fit.setLineColor(new Color(220, 20, 20));
        fit.setLineStyle(new BasicStroke(2f));
        if (x.length > 0) {
            XYSeries s = chart.addSeries(POINTS, x, y);
            s.setLabel(POINTS + " (" + x.length + ")" + (factor.group().startsWith("mismatching") ? "" : " in " + factor.group()));
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.CIRCLE);
            s.setMarkerColor(new Color(40, 90, 200, 170));
        }
        return chart;
    }
}
