package dev.gradproof.mutants;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Mlp;

/**
 * The same textbook forward and backward pass with every stored value a {@code float}: parameters
 * and data are rounded to single precision on entry, sums and products are float operations, and each
 * elementwise function (activation, derivative, output stage, loss) is evaluated and rounded to float,
 * as a float32 library's correctly rounded kernels would. Correct: only rounding differs.
 */
final class Float32Backprop extends Backprop {

    Float32Backprop(Mlp mlp) {
        super(mlp);
    }

    @Override
    double loss(double[] theta, Dataset data) {
        return compute(theta, data, false).loss();
    }

    @Override
    Result run(double[] theta, Dataset data) {
        return compute(theta, data, true);
    }

    private Result compute(double[] theta64, Dataset data, boolean backward) {
        int layers = layout.layers();
        int n = data.examples();
        int k = layout.size(layers);
        float[] theta = narrow(theta64);
        float[] y = narrow(data.y());
        float[][] z = new float[layers + 1][];
        float[][] a = new float[layers + 1][];
        a[0] = narrow(data.x());
        double[] zd = new double[k];
        double[] ad = new double[k];
        double[] yd = new double[k];
        double[] g = new double[k];
        for (int l = 0; l < layers; l++) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            int w = layout.weightOffset(l);
            int b = layout.biasOffset(l);
            z[l + 1] = new float[n * out];
            a[l + 1] = new float[n * out];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < out; i++) {
                    float s = b >= 0 ? theta[b + i] : 0f;
                    for (int j = 0; j < in; j++) {
                        s += theta[w + i * in + j] * a[l][e * in + j];
                    }
                    z[l + 1][e * out + i] = s;
                }
                if (l == layers - 1) {
                    widen(z[l + 1], e * out, zd);
                    output.activate(zd, 0, ad, 0);
                    for (int i = 0; i < out; i++) {
                        a[l + 1][e * out + i] = (float) ad[i];
                    }
                } else {
                    Activation f = mlp.activation(l);
                    for (int i = 0; i < out; i++) {
                        a[l + 1][e * out + i] = (float) f.value(z[l + 1][e * out + i]);
                    }
                }
            }
        }
        float sum = 0f;
        float[] delta = new float[n * k];
        double[] dd = new double[k];
        for (int e = 0; e < n; e++) {
            widen(z[layers], e * k, zd);
            widen(a[layers], e * k, ad);
            widen(y, e * k, yd);
            sum += (float) output.loss(zd, ad, 0, yd, 0);
            output.delta(zd, ad, 0, yd, 0, dd, 0, g);
            for (int i = 0; i < k; i++) {
                delta[e * k + i] = (float) dd[i];
            }
        }
        float scale = (float) mlp.reductionScale(n);
        float l2 = (float) mlp.l2Scale(n);
        float penalty = 0f;
        for (int p = 0; p < theta.length; p++) {
            penalty += mlp.penalised(p) ? theta[p] * theta[p] : 0f;
        }
        float loss = scale * sum + 0.5f * l2 * penalty;
        if (!backward) {
            return new Result(loss, null);
        }
        float[] grad = new float[theta.length];
        for (int l = layers - 1; l >= 0; l--) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            int w = layout.weightOffset(l);
            int b = layout.biasOffset(l);
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < out; i++) {
                    float d = delta[e * out + i];
                    for (int j = 0; j < in; j++) {
                        grad[w + i * in + j] += d * a[l][e * in + j];
                    }
                    if (b >= 0) {
                        grad[b + i] += d;
                    }
                }
            }
            if (l > 0) {
                Activation f = mlp.activation(l - 1);
                float[] below = new float[n * in];
                for (int e = 0; e < n; e++) {
                    for (int i = 0; i < out; i++) {
                        float d = delta[e * out + i];
                        for (int j = 0; j < in; j++) {
                            below[e * in + j] += theta[w + i * in + j] * d;
                        }
                    }
                }
                for (int q = 0; q < below.length; q++) {
                    below[q] *= (float) f.derivative(z[l][q]);
                }
                delta = below;
            }
        }
        double[] out = new double[grad.length];
        for (int p = 0; p < grad.length; p++) {
            out[p] = scale * grad[p] + (mlp.penalised(p) ? l2 * theta[p] : 0f);
        }
        return new Result(loss, out);
    }

    private static float[] narrow(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    private static void widen(float[] v, int off, double[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = v[off + i];
        }
    }
}
