package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Between the engine's flat vectors and the shapes an implementation sees. Every shape an
 * implementation returns is checked here, so a wrong shape or a NaN is named, not a crash.
 */
@API(status = INTERNAL, since = "0.2")
public final class Conversions {
    private Conversions() {
    }

    public static NetworkDescription describe(Spec spec) {
        List<NetworkDescription.Layer> layers = new ArrayList<>();
        int in = spec.network().inputs();
        for (LayerSpec l : spec.network().layers()) {
            ActivationSpec a = l.activation();
            layers.add(new NetworkDescription.Layer(in, l.units(), a.name(), a.slope(), a.alpha(), a.valueSource(), l.bias()));
            in = l.units();
        }
        return new NetworkDescription(spec.network().inputs(), layers, spec.loss().type().yamlName(),
                spec.loss().reduction().yamlName(), spec.loss().l2(), spec.loss().l2Biases());
    }

    public static Parameters parameters(ParameterLayout layout, double[] theta) {
        int layers = layout.layers();
        double[][][] w = new double[layers][][];
        double[][] b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            w[l] = new double[out][in];
            for (int i = 0; i < out; i++) {
                System.arraycopy(theta, layout.weightOffset(l) + i * in, w[l][i], 0, in);
            }
            if (layout.hasBias(l)) {
                b[l] = new double[out];
                System.arraycopy(theta, layout.biasOffset(l), b[l], 0, out);
            }
        }
        return new Parameters(w, b);
    }

    public static Batch batch(Dataset d) {
        double[][] x = new double[d.examples()][d.inputs()];
        double[][] y = new double[d.examples()][d.outputs()];
        for (int n = 0; n < d.examples(); n++) {
            System.arraycopy(d.x(), n * d.inputs(), x[n], 0, d.inputs());
            System.arraycopy(d.y(), n * d.outputs(), y[n], 0, d.outputs());
        }
        return new Batch(x, y);
    }

    /**
     * The flat gradient, after checking every shape and value.
     *
     * @param who names the implementation in messages
     * @throws IllegalStateException naming the first wrong shape or non-finite entry
     */
    public static double[] flatten(ParameterLayout layout, Parameters g, String who) {
        if (g == null) {
            throw new IllegalStateException(who + " returned no gradient");
        }
        if (g.layers() != layout.layers()) {
            throw new IllegalStateException(who + " returned a gradient for " + g.layers() + " layers, the network has "
                    + layout.layers());
        }
        double[] theta = new double[layout.total()];
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            double[][] w = g.weights(l + 1);
            String name = "W" + (l + 1);
            if (w == null || w.length != out) {
                throw new IllegalStateException(who + " returned " + name + " with " + (w == null ? "no" : w.length)
                        + " rows, expected " + out + " (shape [out][in] = [" + out + "][" + in + "])");
            }
            for (int i = 0; i < out; i++) {
                if (w[i] == null || w[i].length != in) {
                    throw new IllegalStateException(who + " returned " + name + " row " + i + " with "
                            + (w[i] == null ? "no" : w[i].length) + " columns, expected " + in
                            + " (shape [out][in] = [" + out + "][" + in + "])");
                }
                for (int j = 0; j < in; j++) {
                    finite(w[i][j], who, name + "[" + i + "," + j + "]");
                    theta[layout.weightOffset(l) + i * in + j] = w[i][j];
                }
            }
            double[] b = g.biases(l + 1);
            if (layout.hasBias(l)) {
                if (b == null || b.length != out) {
                    throw new IllegalStateException(who + " returned b" + (l + 1) + " with " + (b == null ? "no" : b.length)
                            + " entries, expected " + out);
                }
                for (int i = 0; i < out; i++) {
                    finite(b[i], who, "b" + (l + 1) + "[" + i + "]");
                    theta[layout.biasOffset(l) + i] = b[i];
                }
            }
        }
        return theta;
    }

    private static void finite(double v, String who, String where) {
        if (!Double.isFinite(v)) {
            throw new IllegalStateException(who + " returned " + v + " for the gradient of " + where);
        }
    }
}
