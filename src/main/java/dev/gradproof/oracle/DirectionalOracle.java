package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;

import java.util.SplittableRandom;
import dev.gradproof.network.Activation;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * The fast check's oracle: the exact derivative of the loss along a random direction v, by one
 * forward-mode (tangent) pass with the exact local derivatives ({@code DerivativeStructure}) of the
 * base point.
 *
 * <p>Each direction is rank one per layer, v(W_l) = u_l w_lᵀ and v(b_l) = c_l with Gaussian u, w, c,
 * so its tangent enters layer l as u_l·(w_l·a) + c_l: O(N·(in + out)) work instead of a full
 * matrix product. A wrong gradient G + Δ is still seen, since uᵀΔw ≠ 0 for almost every u, w.
 */
@API(status = INTERNAL, since = "0.2")
public final class DirectionalOracle {
    private final Mlp mlp;
    private final double[] theta;
    private final Dataset data;
    private final Forward f;
    private final ExactGradient exact;

    public DirectionalOracle(Mlp mlp, double[] theta, Dataset data, Forward f, ExactGradient exact) {
        this.mlp = mlp;
        this.theta = theta;
        this.data = data;
        this.f = f;
        this.exact = exact;
    }

    /**
     * A direction, rank one per layer: v(W_l)[i][j] = u[l][i]·w[l][j], v(b_l)[i] = c[l][i]; {@code flat}
     * is the same direction over the flat parameter vector. Frozen layers get zeros.
     */
    public record Direction(double[][] u, double[][] w, double[][] c, double[] flat) {
    }

    /** Direction number d (from 1) of a trial, over every trainable parameter. */
    public static Direction direction(ParameterLayout layout, long seed, int d) {
        SplittableRandom rnd = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + d);
        int layers = layout.layers();
        double[][] us = new double[layers][];
        double[][] ws = new double[layers][];
        double[][] cs = new double[layers][];
        double[] v = new double[layout.total()];
        for (int l = 0; l < layers; l++) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            double[] u = gaussians(rnd, out);
            double[] w = gaussians(rnd, in);
            double[] c = gaussians(rnd, out);
            if (layout.frozen(l)) {
                Arrays.fill(u, 0);
                Arrays.fill(c, 0);
            }
            if (!layout.hasBias(l)) {
                Arrays.fill(c, 0);
            }
            us[l] = u;
            ws[l] = w;
            cs[l] = c;
            for (int i = 0; i < out; i++) {
                for (int j = 0; j < in; j++) {
                    v[layout.weightOffset(l) + i * in + j] = u[i] * w[j];
                }
                if (layout.hasBias(l)) {
                    v[layout.biasOffset(l) + i] = c[i];
                }
            }
        }
        return new Direction(us, ws, cs, v);
    }

    private static double[] gaussians(SplittableRandom rnd, int n) {
        double[] g = new double[n];
        for (int i = 0; i < n; i++) {
            double u1 = rnd.nextDouble();
            double u2 = rnd.nextDouble();
            g[i] = Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
        }
        return g;
    }

    /** dL/dt at t = 0 for θ + t·v, by tangent propagation. */
    public double derivative(Direction v) {
        return derivative(v, 0)[0];
    }

    /**
     * {dL/dt, kink allowance, near-kink flag}: the allowance bounds what a derivative convention at
     * units sitting on a kink (ReLU'(0) = 0 or 1) can change, as in {@link TangentOracle}; the flag
     * says a finite difference reaching {@code reach}·v would straddle a kink.
     */
    public double[] derivative(Direction v, double reach) {
        ParameterLayout layout = mlp.layout();
        int layers = layout.layers();
        int n = data.examples();
        int k = layout.size(layers);
        double sum = 0;
        double allowance = 0;
        boolean near = false;
        int maxWidth = layout.maxWidth();
        double[] cur = new double[maxWidth];
        double[] env = new double[maxWidth];
        double[] next = new double[maxWidth];
        double[] nextEnv = new double[maxWidth];
        for (int e = 0; e < n; e++) {
            for (int l = 0; l < layers; l++) {
                int in = layout.size(l);
                int out = layout.size(l + 1);
                int w = layout.weightOffset(l);
                double[] u = v.u()[l];
                double[] wl = v.w()[l];
                double[] c = v.c()[l];
                // v(W)·a = u (w·a): the rank-one direction costs O(in + out) here.
                double wa = 0;
                double waAbs = 0;
                for (int j = 0; j < in; j++) {
                    double x = f.a[l][e * in + j];
                    wa += wl[j] * x;
                    waAbs += Math.abs(wl[j] * x);
                }
                for (int i = 0; i < out; i++) {
                    double s = c[i] + u[i] * wa;
                    double a = Math.abs(c[i]) + Math.abs(u[i]) * waAbs;
                    if (l > 0) {
                        int row = w + i * in;
                        for (int j = 0; j < in; j++) {
                            s += theta[row + j] * cur[j];
                            a += Math.abs(theta[row + j]) * env[j];
                        }
                    }
                    next[i] = s;
                    nextEnv[i] = a;
                }
                Activation act = mlp.activation(l); // the output layer's too (null for softmax)
                boolean kinked = Kinks.hasKinks(act);
                for (int i = 0; i < out; i++) {
                    int idx = e * out + i;
                    double slope = l < layers - 1 ? exact.localDerivative()[l + 1][idx] : 1;
                    double envSlope = Math.abs(slope);
                    if (kinked && nextEnv[i] != 0) {
                        double z = f.z[l + 1][idx];
                        double radius = Kinks.radius(z, exact.forwardError(l + 1, idx));
                        double kink = Kinks.at(act, z, exact.forwardError(l + 1, idx));
                        if (!Double.isNaN(kink) && exact.upstream()[l + 1] != null) {
                            allowance += act.derivativeJump(kink) * nextEnv[i] * exact.upstream()[l + 1][idx];
                            envSlope = Kinks.maxSlope(act, kink);
                            near = true;
                        }
                        for (double kk : act.kinks()) {
                            near |= Math.abs(z - kk) <= 2 * reach * nextEnv[i] + radius;
                        }
                    }
                    if (l < layers - 1) {
                        next[i] *= slope;
                        nextEnv[i] *= envSlope;
                    }
                }
                System.arraycopy(next, 0, cur, 0, out);
                System.arraycopy(nextEnv, 0, env, 0, out);
            }
            for (int i = 0; i < k; i++) {
                sum += exact.outputDelta()[e * k + i] * cur[i];
            }
        }
        double value = mlp.reductionScale(n) * sum;
        double l2 = mlp.l2Scale(n);
        for (int p = 0; p < theta.length; p++) {
            if (mlp.penalised(p)) {
                value += l2 * theta[p] * v.flat()[p];
            }
        }
        return new double[] {value, allowance, near ? 1 : 0};
    }

    /** Richardson finite difference of the loss along v, and its error bound (a sanity check only). */
    public FiniteDifference finiteDifference(Direction direction, double step) {
        double[] v = direction.flat();
        double[] d = new double[4];
        double[] t = RichardsonStencil.moves(step);
        for (int q = 0; q < 4; q++) {
            double[] moved = theta.clone();
            for (int p = 0; p < moved.length; p++) {
                moved[p] += t[q] * v[p];
            }
            d[q] = mlp.loss(moved, data);
        }
        // Whole-loss differences: each loss carries its rounding (lossRounding) plus |L|·u for the sum.
        double eps = exact.lossRounding() + 4 * Activations.U * Math.abs(f.loss) * data.examples();
        return RichardsonStencil.estimate(d, 0, step, eps);
    }
}
