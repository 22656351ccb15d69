package dev.gradproof.oracle;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Forward-mode (tangent) derivative of the loss with respect to one parameter: a perturbation of
 * W_l[i,j] or b_l[i] moves only unit i of layer l, then spreads upward. Structurally independent of
 * both backpropagation codes, it cross-checks the exact reverse pass, and because it follows exactly
 * which units a parameter moves, it is where kinks are detected.
 *
 * <p>Local derivatives are the exact ones ({@code DerivativeStructure}) cached by {@link ExactOracle}.
 */
@API(status = INTERNAL, since = "0.2")
public final class TangentOracle {
    private final Mlp mlp;
    private final double[] theta;
    private final Dataset data;
    private final Forward f;
    private final ExactGradient exact;
    private final boolean hasKinks;

    public TangentOracle(Mlp mlp, double[] theta, Dataset data, Forward f, ExactGradient exact) {
        this.mlp = mlp;
        this.theta = theta;
        this.data = data;
        this.f = f;
        this.exact = exact;
        this.hasKinks = mlp.hasKinks();
    }

    /** Parameters whose tangent is computed even on a smooth network: the exact oracle's cross-check. */
    public static final int CROSS_CHECK_SAMPLE = 64;

    /**
     * Whether parameter p needs its tangent: always on a network with kinks (they must be located),
     * otherwise for a deterministic spread of {@link #CROSS_CHECK_SAMPLE} parameters.
     */
    public boolean needed(int p) {
        int total = theta.length;
        if (hasKinks || total <= CROSS_CHECK_SAMPLE) {
            return true;
        }
        long stride = Math.max(1, total / CROSS_CHECK_SAMPLE);
        return p % stride == 0;
    }

    /**
     * @param reach how far the finite-difference stencil moves θ_p (largest step); 0 when no
     *              finite difference is taken
     */
    public Tangent tangent(int p, double reach) {
        ParameterLayout layout = mlp.layout();
        int layers = layout.layers();
        int l = layout.layerOf(p) + 1; // 1-based layer the parameter feeds
        int unit = layout.row(p);
        int col = layout.column(p);
        int n = data.examples();
        int k = layout.size(layers);
        int maxWidth = layout.maxWidth();
        // cur: the tangent dz/dθ (one-sided slopes at kinks, as DerivativeStructure takes them);
        // env: a bound on it whatever slope each kink on the way passes on.
        double[] cur = new double[maxWidth];
        double[] env = new double[maxWidth];
        double[] next = new double[maxWidth];
        double[] nextEnv = new double[maxWidth];
        double sum = 0;
        KinkLog log = new KinkLog();
        for (int e = 0; e < n; e++) {
            int width = layout.size(l);
            Arrays.fill(cur, 0, width, 0.0);
            Arrays.fill(env, 0, width, 0.0);
            cur[unit] = col < 0 ? 1 : f.a[l - 1][e * layout.size(l - 1) + col];
            env[unit] = Math.abs(cur[unit]);
            int m = l;
            while (m < layers) {
                Activation act = mlp.activation(m - 1);
                double[] z = f.z[m];
                for (int i = 0; i < width; i++) {
                    if (env[i] == 0) {
                        continue;
                    }
                    int idx = e * width + i;
                    double slope = exact.localDerivative()[m][idx];
                    double envSlope = hasKinks ? log.visit(act, m, i, e, z[idx], env[i], reach, exact.forwardError(m, idx),
                            exact.upstream()[m] == null ? 0 : exact.upstream()[m][idx], Math.abs(slope)) : Math.abs(slope);
                    cur[i] *= slope;
                    env[i] *= envSlope;
                }
                int up = layout.size(m + 1);
                int w = layout.weightOffset(m);
                for (int r = 0; r < up; r++) {
                    double s = 0;
                    double a = 0;
                    int row = w + r * width;
                    for (int c = 0; c < width; c++) {
                        s += theta[row + c] * cur[c];
                        a += Math.abs(theta[row + c]) * env[c];
                    }
                    next[r] = s;
                    nextEnv[r] = a;
                }
                System.arraycopy(next, 0, cur, 0, up);
                System.arraycopy(nextEnv, 0, env, 0, up);
                width = up;
                m++;
            }
            Activation outAct = mlp.output().activation();
            if (hasKinks && outAct != null && outAct.kinks().length > 0) {
                for (int i = 0; i < k; i++) {
                    if (env[i] != 0) {
                        int idx = e * k + i;
                        log.visit(outAct, layers, i, e, f.z[layers][idx], env[i], reach, exact.forwardError(layers, idx),
                                exact.upstream()[layers][idx], 0);
                    }
                }
            }
            double dl = 0;
            for (int i = 0; i < k; i++) {
                dl += exact.outputDelta()[e * k + i] * cur[i];
            }
            sum += dl;
        }
        double scale = mlp.reductionScale(n);
        double value = scale * sum + (mlp.penalised(p) ? mlp.l2Scale(n) * theta[p] : 0);
        return new Tangent(value, log.near, log.at, log.allowance, log.note);
    }

    /** Kinks met along one parameter's tangent: at (a convention) or near (within the stencil). */
    private static final class KinkLog {
        boolean near;
        boolean at;
        double allowance;
        String note;

        /**
         * @return the slope the envelope passes on: the larger one-sided slope at a kink, |f'| elsewhere
         */
        double visit(Activation act, int layer, int unit, int example, double z, double env, double reach,
                     double forwardError, double upstream, double slope) {
            for (double kink : act.kinks()) {
                double dist = Math.abs(z - kink);
                double radius = Kinks.radius(z, forwardError);
                if (dist <= radius) {
                    at = true;
                    near |= reach > 0; // the stencil straddles the kink too
                    // upstream already carries the reduction scale
                    allowance += act.derivativeJump(kink) * env * upstream;
                    remember(layer, unit, example, z);
                    return Kinks.maxSlope(act, kink);
                }
                if (reach > 0 && dist <= 2 * reach * env + radius) {
                    near = true;
                    remember(layer, unit, example, z);
                }
            }
            return slope;
        }

        private void remember(int layer, int unit, int example, double z) {
            if (note == null) {
                note = "layer " + layer + " unit " + unit + ", example " + example + ", z = " + z;
            }
        }
    }
}
