package dev.gradproof.oracle;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;

/**
 * Forward-mode (tangent) derivative of the loss with respect to one parameter: a perturbation of
 * W_l[i,j] or b_l[i] moves only unit i of layer l, then spreads upward. Structurally independent of
 * both backpropagation codes, it cross-checks the exact reverse pass, and because it follows exactly
 * which units a parameter moves, it is where kinks are detected.
 *
 * <p>Local derivatives are the exact ones ({@code DerivativeStructure}) cached by {@link ExactOracle}.
 */
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
        boolean kinks = false;
        for (int l = 0; l < mlp.layout().layers(); l++) {
            Activation a = mlp.activation(l);
            kinks |= a != null && a.kinks().length > 0;
        }
        this.hasKinks = kinks;
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
        int maxWidth = 0;
        for (int m = 0; m <= layers; m++) {
            maxWidth = Math.max(maxWidth, layout.size(m));
        }
        double[] cur = new double[maxWidth];
        double[] next = new double[maxWidth];
        double sum = 0;
        boolean near = false;
        boolean at = false;
        double allowance = 0;
        String note = null;
        double scale = mlp.reductionScale(n);
        for (int e = 0; e < n; e++) {
            int width = layout.size(l);
            java.util.Arrays.fill(cur, 0, width, 0.0);
            cur[unit] = col < 0 ? 1 : f.a[l - 1][e * layout.size(l - 1) + col];
            int m = l;
            while (m < layers) {
                // cur holds dz_m/dθ; apply f'(z_m) then W_{m+1}.
                Activation act = mlp.activation(m - 1);
                double[] z = f.z[m];
                for (int i = 0; i < width; i++) {
                    double dz = cur[i];
                    if (dz == 0) {
                        continue;
                    }
                    int idx = e * width + i;
                    if (hasKinks) {
                        for (double kink : act.kinks()) {
                            double dist = Math.abs(z[idx] - kink);
                            double zRound = 64 * Activations.U * (Math.abs(z[idx]) + 1) + exact.forwardError(m, idx);
                            if (dist <= zRound) {
                                at = true;
                                near |= reach > 0; // the stencil straddles the kink too
                                allowance += scale * act.derivativeJump(kink) * Math.abs(dz)
                                        * exact.upstream()[m][idx];
                                note = note == null ? "layer " + m + " unit " + i + ", example " + e + ", z = " + z[idx] : note;
                            } else if (reach > 0 && dist <= 2 * reach * Math.abs(dz) + zRound) {
                                near = true;
                                note = note == null ? "layer " + m + " unit " + i + ", example " + e + ", z = " + z[idx] : note;
                            }
                        }
                    }
                    cur[i] = dz * exact.localDerivative()[m][idx];
                }
                int up = layout.size(m + 1);
                int w = layout.weightOffset(m);
                for (int r = 0; r < up; r++) {
                    double s = 0;
                    int row = w + r * width;
                    for (int c = 0; c < width; c++) {
                        s += theta[row + c] * cur[c];
                    }
                    next[r] = s;
                }
                System.arraycopy(next, 0, cur, 0, up);
                width = up;
                m++;
            }
            double dl = 0;
            for (int i = 0; i < k; i++) {
                dl += exact.outputDelta()[e * k + i] * cur[i];
            }
            sum += dl;
        }
        double value = scale * sum + (mlp.penalised(p) ? mlp.l2Scale(n) * theta[p] : 0);
        return new Tangent(value, near, at, allowance, note);
    }
}
