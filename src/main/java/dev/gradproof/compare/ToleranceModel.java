package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.Activations;
import org.apiguardian.api.API;

/**
 * The analytic-vs-exact tolerance, derived from floating-point rounding (docs/TOLERANCE.md).
 *
 * <p>Both gradients are sums of products accumulated in a chain of at most K rounded operations,
 * where K counts the reduction over N examples, each dot product on the backward path, and a few
 * operations per layer. Standard analysis bounds each side's error by γ_K·M with γ_K = Ku/(1 − Ku)
 * and M the magnitude (the same sum over absolute values). The local derivatives themselves carry
 * rounding error (1 − tanh² is only absolutely accurate), which adds the first-order widening of M
 * when each local derivative is widened by its bound. Hence, for parameter p:
 *
 * <pre>  tol_p = 2·γ_K·(M_p + E_p) + E_p + A_p</pre>
 *
 * with E_p the local-derivative term and A_p the kink-convention allowance.
 */
@API(status = INTERNAL, since = "0.2")
public final class ToleranceModel {
    private ToleranceModel() {
    }

    /** Length of the longest chain of rounded operations behind a gradient entry of a layer (1-based). */
    public static int chainLength(ParameterLayout layout, int layer, int examples) {
        int k = examples + 8;
        for (int m = layer + 1; m <= layout.layers(); m++) {
            k += layout.size(m) + 6;
        }
        return k;
    }

    public static double gamma(int k, double unitRoundoff) {
        return Activations.gamma(k, unitRoundoff);
    }

    public static double analyticVsExact(double magnitude, double localError, double kinkAllowance, int chain,
                                         double unitRoundoff) {
        // The other convention's contribution is itself computed in floating point: its rounding
        // rides on the allowance like on any other term.
        double g = gamma(chain, unitRoundoff);
        // Gradual underflow: each of the chain's operations may lose up to the precision's smallest
        // subnormal, which is all there is of a gradient far below its smallest normal number.
        double subnormal = unitRoundoff > 0x1.0p-53 ? Float.MIN_VALUE : Double.MIN_VALUE;
        return 2 * g * (magnitude + localError) + localError + kinkAllowance * (1 + 2 * g) + 2 * (chain + 1) * subnormal;
    }

    /** |a − b| / max(|a|, |b|); 0 when both are 0. */
    public static double relativeError(double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? 0 : Math.abs(a - b) / scale;
    }

    /** An absolute tolerance expressed relative to the larger of the two values. */
    public static double relative(double absoluteTolerance, double a, double b) {
        double scale = Math.max(Math.abs(a), Math.abs(b));
        return scale == 0 ? absoluteTolerance : absoluteTolerance / scale;
    }
}
