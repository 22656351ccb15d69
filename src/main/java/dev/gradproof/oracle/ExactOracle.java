package dev.gradproof.oracle;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.OutputStage;
import dev.gradproof.network.ParameterLayout;

/**
 * Exact gradient by reverse accumulation where every local derivative is taken from Commons Math's
 * {@code DerivativeStructure} (forward-mode AD of the true function), never from a declared
 * derivative. Written independently of {@link Mlp#gradient}: it shares only the forward pass.
 *
 * <p>Alongside the value it runs the same pass on absolute values, which yields the magnitudes that
 * the tolerance is derived from (see docs/TOLERANCE.md).
 */
public final class ExactOracle {
    private ExactOracle() {
    }

    public static ExactGradient compute(Mlp mlp, double[] theta, Dataset data, Forward f) {
        ParameterLayout layout = mlp.layout();
        OutputStage out = mlp.output();
        int layers = layout.layers();
        int n = data.examples();
        int k = layout.size(layers);
        double scale = mlp.reductionScale(n);
        final double u = Activations.U;

        // Output deltas, pre-scaled by the reduction: the derivation's order, not Mlp's.
        double[] delta = new double[n * k];
        double[] mag = new double[n * k];
        double[] magEps = new double[n * k];
        double[] err = new double[k];
        double[] scratch = new double[k];
        double[] outputDelta = new double[n * k];
        double exampleRounding = 0; // unscaled: per-example loss evaluation
        double lossMagnitude = 0;   // already carries the reduction scale through the deltas
        for (int e = 0; e < n; e++) {
            double le = out.exactDelta(f.z[layers], f.a[layers], e * k, data.y(), e * k, outputDelta, e * k, err, 0, scratch);
            exampleRounding += 8 * u * Math.abs(le);
            for (int i = 0; i < k; i++) {
                double d = outputDelta[e * k + i];
                delta[e * k + i] = scale * d;
                mag[e * k + i] = scale * Math.abs(d);
                magEps[e * k + i] = scale * (Math.abs(d) + err[i]);
            }
        }

        double[] grad = new double[theta.length];
        double[] gMag = new double[theta.length];
        double[] gMagEps = new double[theta.length];
        double[][] upstream = new double[layers + 1][];
        double[][] local = new double[layers + 1][];
        for (int l = layers; l >= 1; l--) {
            int in = layout.size(l - 1);
            int width = layout.size(l);
            int w = layout.weightOffset(l - 1);
            int b = layout.biasOffset(l - 1);
            double[] prev = f.a[l - 1];
            // Forward rounding of z_l: each pre-activation is a dot product of length in+1.
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < width; i++) {
                    double dAbs = mag[e * width + i];
                    double dVal = delta[e * width + i];
                    double mEps = magEps[e * width + i];
                    int row = w + i * in;
                    double dot = b >= 0 ? Math.abs(theta[b + i]) : 0;
                    for (int j = 0; j < in; j++) {
                        double x = prev[e * in + j];
                        grad[row + j] += dVal * x;
                        gMag[row + j] += dAbs * Math.abs(x);
                        gMagEps[row + j] += mEps * Math.abs(x);
                        dot += Math.abs(theta[row + j] * x);
                    }
                    if (b >= 0) {
                        grad[b + i] += dVal;
                        gMag[b + i] += dAbs;
                        gMagEps[b + i] += mEps;
                    }
                    lossMagnitude += dAbs * dot * (in + 2) * u;
                }
            }
            if (l == 1) {
                break;
            }
            Activation act = mlp.activation(l - 2);
            double[] z = f.z[l - 1];
            double[] below = new double[n * in];
            double[] belowMag = new double[n * in];
            double[] belowEps = new double[n * in];
            double[] up = new double[n * in];
            double[] fp = new double[n * in];
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < width; i++) {
                    double dVal = delta[e * width + i];
                    double dAbs = mag[e * width + i];
                    double dEps = magEps[e * width + i];
                    int row = w + i * in;
                    for (int j = 0; j < in; j++) {
                        double wij = theta[row + j];
                        below[e * in + j] += wij * dVal;
                        up[e * in + j] += Math.abs(wij) * dAbs;
                        belowEps[e * in + j] += Math.abs(wij) * dEps;
                    }
                }
                for (int j = 0; j < in; j++) {
                    int idx = e * in + j;
                    double zj = z[idx];
                    double d = act.exactDerivative(zj);
                    fp[idx] = d;
                    double eps = act.declaredDerivativeError(zj) + act.exactDerivativeError(zj);
                    lossMagnitude += up[idx] * 4 * u * Math.abs(f.a[l - 1][idx]);
                    below[idx] *= d;
                    belowMag[idx] = up[idx] * Math.abs(d);
                    belowEps[idx] *= Math.abs(d) + eps;
                }
            }
            upstream[l - 1] = up;
            local[l - 1] = fp;
            delta = below;
            mag = belowMag;
            magEps = belowEps;
        }

        double l2 = mlp.l2Scale(n);
        double[] localError = new double[theta.length];
        for (int p = 0; p < theta.length; p++) {
            if (mlp.penalised(p)) {
                grad[p] += l2 * theta[p];
                gMag[p] += Math.abs(l2 * theta[p]);
                gMagEps[p] += Math.abs(l2 * theta[p]);
            }
            localError[p] = Math.max(0, gMagEps[p] - gMag[p]);
        }
        lossMagnitude += scale * exampleRounding + 4 * u * mlp.penalty(theta, n);
        return new ExactGradient(grad, gMag, localError, lossMagnitude, upstream, local, outputDelta);
    }
}
