package dev.gradproof.report.plot;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.Structure;
import dev.gradproof.network.Activation;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.XYStyler;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * PNG charts of a spec's result, for people: relative error per layer against the tolerance, and,
 * for each layer whose declared derivative is wrong, the declared derivative against the exact one.
 * Rendering is headless (no display needed).
 */
@API(status = INTERNAL, since = "0.2")
public final class Plots {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int WIDTH = 1100;
    static final int HEIGHT = 650;

    /** A named PNG. */
    public record Plot(String fileName, byte[] png) {
    }

    private Plots() {
    }

    /** Relative error of every parameter-trial (log scale) by layer, coloured by status, with the tolerance. */
    public static byte[] layerErrorsPng(SpecResult r) {
        return png(LayerErrorChart.build(r));
    }

    /** Declared vs exact derivative of {@code f} over [-5, 5], with the points where they differ marked. */
    public static byte[] derivativePng(String specName, int layer, Activation f, String description) {
        return png(DerivativeChart.build(specName, layer, f, description));
    }

    /**
     * The charts for one spec: {@code <spec>-layer-errors.png} when it ran,
     * {@code <spec>-constant-factor.png} when its mismatches are a constant multiple of the exact gradient,
     * and {@code <spec>-layer<L>-derivative.png} for each layer whose activation check failed.
     */
    public static List<Plot> forSpec(SpecResult r) {
        List<Plot> plots = new ArrayList<>();
        if (r.verdict() == Verdict.ERROR || r.spec() == null) {
            return plots;
        }
        String base = safeName(r.name());
        plots.add(new Plot(base + "-layer-errors.png", layerErrorsPng(r)));
        FactorChart.Factor factor = FactorChart.factor(r);
        if (factor != null) {
            plots.add(new Plot(base + "-constant-factor.png", png(FactorChart.build(r, factor))));
        }
        Structure net = null; // a dense chain or a layer graph, as the check saw it: its layers count from 1
        for (ActivationCheck check : r.activationChecks()) {
            if (check.passed()) {
                continue;
            }
            if (net == null) {
                net = Structure.of(r.spec());
            }
            Activation f = net.activation(check.layer());
            if (f != null) {
                plots.add(new Plot(base + "-layer" + check.layer() + "-derivative.png",
                        derivativePng(r.name(), check.layer(), f, check.activation())));
            }
        }
        return plots;
    }

    /** Lower case letters, digits, '.', '_' and '-' only; never empty, never starting with '.'. */
    static String safeName(String name) {
        String s = name == null ? "" : name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "-")
                .replaceAll("-{2,}", "-").replaceAll("^[-.]+|-+$", "");
        return s.isEmpty() ? "spec" : s;
    }

    static byte[] png(XYChart chart) {
        try {
            return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fonts large enough to read at a glance, white background, legend below the plot. */
    public static void style(XYChart chart) {
        XYStyler s = chart.getStyler();
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setPlotGridLinesColor(new Color(232, 232, 232));
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 15));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setLegendBorderColor(new Color(200, 200, 200));
        s.setChartTitleBoxVisible(false);
        s.setMarkerSize(7);
        s.setAntiAlias(true);
    }
}
