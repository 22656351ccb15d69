package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.OutputStage;
import dev.gradproof.network.ParameterLayout;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import java.util.function.IntConsumer;
import java.util.stream.IntStream;
import org.apiguardian.api.API;

/**
 * Exact gradient by reverse accumulation where every local derivative is taken from Commons Math's
 * {@code DerivativeStructure} (forward-mode AD of the true function), never from a declared
 * derivative. Written independently of {@link Mlp#gradient}: it shares only the forward pass.
 *
 * <p>Alongside the value it runs the same pass on absolute values, which yields the magnitudes that
 * the tolerance is derived from (see docs/TOLERANCE.md). When the implementation under test runs its
 * own forward pass (any implementation but the reference), possibly in lower precision, a running
 * error bound of that forward pass is propagated too: a pre-activation off by Δz moves f'(z) by
 * about |f''(z)|·Δz, which the comparison must allow for.
 */
@API(status = INTERNAL, since = "0.2")
public final class ExactOracle {
    private ExactOracle() {
    }

    /** For the reference network, which shares this forward pass, in double. */
    public static ExactGradient compute(Mlp mlp, double[] theta, Dataset data, Forward f) {
        return compute(mlp, theta, data, f, Activations.U, true);
    }

    /**
     * @param implU         unit roundoff of the implementation under test (2^-53 double, 2^-24 float32)
     * @param sharedForward whether the implementation's gradient was computed from this very forward pass
     */
    public static ExactGradient compute(Mlp mlp, double[] theta, Dataset data, Forward f, double implU,
                                        boolean sharedForward) {
        return compute(mlp, theta, data, f, implU, sharedForward, true);
    }

    /**
     * Only what lives on units (local derivatives, output deltas, per-unit magnitudes), not the
     * per-parameter sums: what the fast mode needs, at a fraction of the cost, since the per-parameter
     * sums are a product over examples × inputs × outputs per layer. value, magnitude and localError
     * are null and lossRounding is NaN.
     */
    public static ExactGradient computeUnits(Mlp mlp, double[] theta, Dataset data, Forward f, double implU,
                                             boolean sharedForward) {
        return compute(mlp, theta, data, f, implU, sharedForward, false);
    }

    private static ExactGradient compute(Mlp mlp, double[] theta, Dataset data, Forward f, double implU,
                                         boolean sharedForward, boolean perParameter) {
        Pass pass = new Pass(mlp, theta, data, f, implU, sharedForward, perParameter);
        pass.outputLayer();
        for (int l = pass.layers; l >= 1; l--) {
            pass.accumulate(l);
            if (l > 1) {
                pass.backpropagateBelow(l);
            }
        }
        pass.penalty();
        return pass.result();
    }

    /**
     * One reverse pass in named steps: the output layer's exact deltas and their magnitudes; then, from
     * the top, each layer's per-parameter sums (value, magnitude, widened magnitude) and the deltas of the
     * layer below; then the L2 penalty. The state the steps hand on lives here.
     */
    private static final class Pass {
        private final Mlp mlp;
        private final double[] theta;
        private final Dataset data;
        private final Forward f;
        private final double implU;
        private final boolean perParameter;
        private final ParameterLayout layout;
        private final OutputStage out;
        private final int layers;
        private final int n;
        private final int k;
        private final double scale;
        private final double u;
        private final double lowPrecision;
        private final double subnormal;
        private final double[][] dz;
        private double[] delta;
        private double[] mag;
        private double[] magEps;
        private double[] outputDelta;
        private double exampleRounding;
        private double lossMagnitude;
        private Activation outAct;
        private boolean outKinks;
        private double[] magKink;
        private double[] upOut;
        private double[] grad;
        private double[] gMag;
        private double[] gMagEps;
        private double[][] upstream;
        private double[][] local;
        private double[][] unitMag;
        private double[][] unitMagEps;
        private double[][] inputMag;
        private double[][] inputMagEps;
        private double[] localError;

        Pass(Mlp mlp, double[] theta, Dataset data, Forward f, double implU, boolean sharedForward,
             boolean perParameter) {
            this.mlp = mlp;
            this.theta = theta;
            this.data = data;
            this.f = f;
            this.implU = implU;
            this.perParameter = perParameter;
            layout = mlp.layout();
            out = mlp.output();
            layers = layout.layers();
            n = data.examples();
            k = layout.size(layers);
            scale = mlp.reductionScale(n);
            u = Activations.U;
            lowPrecision = implU / u; // how much coarser the implementation's own rounding is
            // Gradual underflow: every local value may lose up to the precision's smallest subnormal, and
            // the magnitude pass carries that loss through every product after it.
            subnormal = implU > u ? Float.MIN_VALUE : Double.MIN_VALUE;
            dz = sharedForward ? null : forwardError(mlp, theta, f, n, implU);
        }

        /** dℓ/dz at the output, exact, with its magnitude, its widened magnitude and the kink bounds there. */
        void outputLayer() {
            delta = new double[n * k];
            mag = new double[n * k];
            magEps = new double[n * k];
            outputDelta = new double[n * k];
            exampleRounding = 0; // unscaled: per-example loss evaluation
            lossMagnitude = 0;   // already carries the reduction scale through the deltas
            outAct = out.activation();
            outKinks = Kinks.hasKinks(outAct);
            magKink = new double[n * k];
            upOut = outKinks ? new double[n * k] : null;
            double[] lossGrad = new double[k];
            // The derivative structures are most of the cost and independent per example: computed up front
            // over the cores, the same values whichever thread computes them.
            double[] exampleLoss = new double[n];
            double[] errAll = new double[n * k];
            parallel(n, k * 64, e -> exampleLoss[e] = out.exactDelta(f.z[layers], f.a[layers], e * k, data.y(), e * k,
                    outputDelta, e * k, errAll, e * k, new double[k]));
            for (int e = 0; e < n; e++) {
                double le = exampleLoss[e];
                exampleRounding += 8 * u * out.lossMagnitude(f.z[layers], f.a[layers], e * k, data.y(), e * k, le);
                if (outKinks) {
                    out.loss().gradient(f.a[layers], e * k, data.y(), e * k, k, lossGrad, 0);
                }
                double[] curvature = dz == null ? null : outputCurvature(out, f.z[layers], e * k, data.y(), e * k, dz[layers]);
                for (int i = 0; i < k; i++) {
                    double d = outputDelta[e * k + i];
                    double eps = errAll[e * k + i] * lowPrecision + (curvature == null ? 0 : curvature[i]) + subnormal;
                    delta[e * k + i] = scale * d;
                    mag[e * k + i] = scale * Math.abs(d);
                    magEps[e * k + i] = scale * (Math.abs(d) + eps);
                    magKink[e * k + i] = mag[e * k + i];
                    if (outKinks) {
                        int idx = e * k + i;
                        upOut[idx] = scale * Math.abs(lossGrad[i]);
                        double kink = Kinks.at(outAct, f.z[layers][idx], dz == null ? 0 : dz[layers][idx]);
                        if (!Double.isNaN(kink)) {
                            magKink[idx] = upOut[idx] * Kinks.maxSlope(outAct, kink);
                        }
                    }
                }
            }
            grad = new double[theta.length];
            gMag = new double[theta.length];
            gMagEps = new double[theta.length];
            upstream = new double[layers + 1][];
            local = new double[layers + 1][];
            unitMag = new double[layers + 1][];
            unitMagEps = new double[layers + 1][];
            inputMag = new double[layers][];
            inputMagEps = new double[layers][];
            upstream[layers] = upOut;
        }

        /** Layer l's per-parameter sums over examples, and its forward rounding's share of the loss's. */
        void accumulate(int l) {
            int in = layout.size(l - 1);
            int width = layout.size(l);
            int w = layout.weightOffset(l - 1);
            int b = layout.biasOffset(l - 1);
            double[] prev = f.a[l - 1];
            double[] prevErr = dz == null ? null : activationError(mlp, l - 1, f, dz, n, implU);
            // |a| (widened by the implementation's forward error) and |W| once, not in the inner loop.
            double[] absPrev = new double[prev.length];
            double[] absPrevEps = prevErr == null ? absPrev : new double[prev.length];
            for (int q = 0; q < prev.length; q++) {
                absPrev[q] = Math.abs(prev[q]);
                if (prevErr != null) {
                    absPrevEps[q] = absPrev[q] + prevErr[q];
                }
            }
            unitMag[l] = mag;
            unitMagEps[l] = magEps;
            inputMag[l - 1] = absPrev;
            inputMagEps[l - 1] = absPrevEps;
            double[] absW = new double[in * width];
            for (int q = 0; q < absW.length; q++) {
                absW[q] = Math.abs(theta[w + q]);
            }
            for (int e = 0; perParameter && e < n; e++) {
                int base = e * in;
                for (int i = 0; i < width; i++) {
                    double dAbs = mag[e * width + i];
                    double dVal = delta[e * width + i];
                    double mEps = magEps[e * width + i];
                    int row = w + i * in;
                    int absRow = i * in;
                    double dot = b >= 0 ? Math.abs(theta[b + i]) : 0;
                    for (int j = 0; j < in; j++) {
                        double ax = absPrev[base + j];
                        grad[row + j] += dVal * prev[base + j];
                        gMag[row + j] += dAbs * ax;
                        gMagEps[row + j] += mEps * absPrevEps[base + j];
                        dot += absW[absRow + j] * ax;
                    }
                    if (b >= 0) {
                        grad[b + i] += dVal;
                        gMag[b + i] += dAbs;
                        gMagEps[b + i] += mEps;
                    }
                    // Forward rounding of z_l: a dot product of length in+1.
                    lossMagnitude += dAbs * dot * (in + 2) * u;
                }
            }
        }

        /** The deltas of layer l − 1 from those of layer l, through W and the exact local derivative. */
        void backpropagateBelow(int l) {
            int in = layout.size(l - 1);
            int width = layout.size(l);
            int w = layout.weightOffset(l - 1);
            Activation act = mlp.activation(l - 2);
            double[] z = f.z[l - 1];
            double[] below = new double[n * in];
            double[] belowMag = new double[n * in];
            double[] belowEps = new double[n * in];
            double[] up = new double[n * in];
            double[] upKink = new double[n * in];
            double[] belowKink = new double[n * in];
            double[] fp = new double[n * in];
            boolean kinks = Kinks.hasKinks(act);
            double[] exactSlope = new double[n * in];
            if (dz == null) {
                parallel(n * in, 16, idx -> exactSlope[idx] = act.exactDerivative(z[idx]));
            }
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < width; i++) {
                    double dVal = delta[e * width + i];
                    double dAbs = mag[e * width + i];
                    double dEps = magEps[e * width + i];
                    double dKink = magKink[e * width + i];
                    int row = w + i * in;
                    for (int j = 0; j < in; j++) {
                        double wij = theta[row + j];
                        below[e * in + j] += wij * dVal;
                        up[e * in + j] += Math.abs(wij) * dAbs;
                        upKink[e * in + j] += Math.abs(wij) * dKink;
                        belowEps[e * in + j] += Math.abs(wij) * dEps;
                    }
                }
                for (int j = 0; j < in; j++) {
                    int idx = e * in + j;
                    double zj = z[idx];
                    double d;
                    double eps = act.declaredDerivativeError(zj) * lowPrecision + act.exactDerivativeError(zj) + subnormal;
                    if (dz == null) {
                        d = exactSlope[idx];
                    } else {
                        DerivativeStructure s = act.value(new DerivativeStructure(1, 2, 0, zj));
                        d = s.getPartialDerivative(1);
                        eps += Math.abs(s.getPartialDerivative(2)) * dz[l - 1][idx];
                    }
                    fp[idx] = d;
                    lossMagnitude += up[idx] * 4 * u * Math.abs(f.a[l - 1][idx]);
                    below[idx] *= d;
                    belowMag[idx] = up[idx] * Math.abs(d);
                    belowEps[idx] *= Math.abs(d) + eps;
                    double kink = kinks ? Kinks.at(act, zj, dz == null ? 0 : dz[l - 1][idx]) : Double.NaN;
                    belowKink[idx] = upKink[idx] * (Double.isNaN(kink) ? Math.abs(d) : Kinks.maxSlope(act, kink));
                }
            }
            upstream[l - 1] = upKink;
            local[l - 1] = fp;
            delta = below;
            mag = belowMag;
            magEps = belowEps;
            magKink = belowKink;
        }

        /** λ/m·W where penalised, and the rounding of the penalty in the loss. */
        void penalty() {
            double l2 = mlp.l2Scale(n);
            localError = new double[theta.length];
            for (int p = 0; p < theta.length; p++) {
                if (mlp.penalised(p)) {
                    grad[p] += l2 * theta[p];
                    double term = Math.abs(l2 * theta[p]);
                    gMag[p] += term;
                    gMagEps[p] += term * (1 + (dz == null ? 0 : 2 * implU));
                }
                localError[p] = Math.max(0, gMagEps[p] - gMag[p]);
            }
            // The penalty is a sum of P squares: good to γ_P of itself, not to a few ulps.
            int penalised = 0;
            for (int p = 0; p < theta.length; p++) {
                if (mlp.penalised(p)) {
                    penalised++;
                }
            }
            lossMagnitude += scale * exampleRounding + Activations.gamma(penalised + 4, u) * mlp.penalty(theta, n);
        }

        ExactGradient result() {
            if (!perParameter) {
                return new ExactGradient(null, null, null, Double.NaN, upstream, local, outputDelta, dz,
                        new ExactGradient.UnitMagnitudes(unitMag, unitMagEps, inputMag, inputMagEps));
            }
            return new ExactGradient(grad, gMag, localError, lossMagnitude, upstream, local, outputDelta, dz,
                    new ExactGradient.UnitMagnitudes(unitMag, unitMagEps, inputMag, inputMagEps));
        }
    }

    /** Runs body(0 .. count−1), over the cores when count × costPerItem is large enough to pay for it. */
    private static void parallel(int count, int costPerItem, IntConsumer body) {
        IntStream items = IntStream.range(0, count);
        ((long) count * costPerItem >= 1 << 16 ? items.parallel() : items).forEach(body);
    }

    /**
     * Running error bound Δz_l of an implementation's own forward pass in precision implU: its
     * inputs and parameters rounded to that precision, each dot product rounded (γ_{in+2}), each
     * activation rounded, errors from below carried through |W| and |f'|.
     */
    static double[][] forwardError(Mlp mlp, double[] theta, Forward f, int n, double implU) {
        ParameterLayout layout = mlp.layout();
        int layers = layout.layers();
        boolean coarse = implU > Activations.U;
        double[][] dz = new double[layers + 1][];
        double[] belowErr = new double[n * layout.size(0)];
        if (coarse) {
            for (int p = 0; p < belowErr.length; p++) {
                belowErr[p] = implU * Math.abs(f.a[0][p]);
            }
        }
        for (int l = 1; l <= layers; l++) {
            int in = layout.size(l - 1);
            int width = layout.size(l);
            int w = layout.weightOffset(l - 1);
            int b = layout.biasOffset(l - 1);
            double gamma = Activations.gamma(in + 2, implU);
            dz[l] = new double[n * width];
            double[] aErr = new double[n * width];
            Activation act = l < layers ? mlp.activation(l - 1) : null;
            for (int e = 0; e < n; e++) {
                for (int i = 0; i < width; i++) {
                    double carried = 0;
                    double dot = b >= 0 ? Math.abs(theta[b + i]) : 0;
                    int row = w + i * in;
                    for (int j = 0; j < in; j++) {
                        carried += Math.abs(theta[row + j]) * belowErr[e * in + j];
                        dot += Math.abs(theta[row + j] * f.a[l - 1][e * in + j]);
                    }
                    int idx = e * width + i;
                    dz[l][idx] = carried + gamma * dot;
                    if (act != null) {
                        double slope = Math.abs(act.exactDerivative(f.z[l][idx]));
                        aErr[idx] = slope * dz[l][idx] + 4 * implU * Math.abs(f.a[l][idx])
                                + (coarse ? Float.MIN_VALUE : Double.MIN_VALUE);
                    }
                }
            }
            belowErr = aErr;
        }
        return dz;
    }

    /** |Δa| of layer l's activations implied by Δz (the input layer's own rounding for l = 0). */
    private static double[] activationError(Mlp mlp, int l, Forward f, double[][] dz, int n, double implU) {
        int width = mlp.layout().size(l);
        double[] out = new double[n * width];
        if (l == 0) {
            if (implU > Activations.U) {
                for (int p = 0; p < out.length; p++) {
                    out[p] = implU * Math.abs(f.a[0][p]);
                }
            }
            return out;
        }
        Activation act = mlp.activation(l - 1);
        for (int p = 0; p < out.length; p++) {
            out[p] = Math.abs(act.exactDerivative(f.z[l][p])) * dz[l][p] + 4 * implU * Math.abs(f.a[l][p])
                    + (implU > Activations.U ? Float.MIN_VALUE : Double.MIN_VALUE);
        }
        return out;
    }

    /** Σ_j |∂²ℓ/∂z_i∂z_j|·Δz_j for one example: how far the output delta moves when the logits do. */
    private static double[] outputCurvature(OutputStage out, double[] z, int off, double[] y, int yOff, double[] dzL) {
        int k = out.width();
        DerivativeStructure[] zs = new DerivativeStructure[k];
        for (int i = 0; i < k; i++) {
            zs[i] = new DerivativeStructure(k, 2, i, z[off + i]);
        }
        DerivativeStructure l = out.exactLoss(zs, y, yOff);
        double[] c = new double[k];
        int[] orders = new int[k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                orders[i]++;
                orders[j]++;
                c[i] += Math.abs(l.getPartialDerivative(orders)) * dzL[off + j];
                orders[i]--;
                orders[j]--;
            }
        }
        return c;
    }
}
