package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;
import org.apiguardian.api.API;

/**
 * The last layer's nonlinearity together with the loss, because the well-conditioned way to compute
 * both depends on the pair: sigmoid + binary cross-entropy and softmax + cross-entropy are evaluated
 * from the logits (no log(0) when a unit saturates) and backpropagated in the combined form
 * δ = a − y. Any other pair uses δ = dℓ/da ⊙ f'(z) with the declared derivative.
 */
@API(status = INTERNAL, since = "0.2")
public final class OutputStage {

    private enum Kind { ELEMENTWISE, SIGMOID_BCE, SOFTMAX_CE, SOFTMAX }

    private final Kind kind;
    private final Activation activation; // null for softmax
    private final Loss loss;
    private final int k;

    private OutputStage(Kind kind, Activation activation, Loss loss, int k) {
        this.kind = kind;
        this.activation = activation;
        this.loss = loss;
        this.k = k;
    }

    /**
     * @param activation the last layer's elementwise activation, or null when it is softmax
     */
    public static OutputStage of(Activation activation, Loss loss, int k) {
        if (activation == null) {
            return new OutputStage(loss == Losses.CROSS_ENTROPY ? Kind.SOFTMAX_CE : Kind.SOFTMAX, null, loss, k);
        }
        // An override on the output activation must be what backprop uses, so no combined form then.
        if (loss == Losses.BINARY_CROSS_ENTROPY && activation.name().equals("sigmoid")
                && !activation.derivativeOverridden()) {
            return new OutputStage(Kind.SIGMOID_BCE, activation, loss, k);
        }
        return new OutputStage(Kind.ELEMENTWISE, activation, loss, k);
    }

    public Loss loss() {
        return loss;
    }

    /** The output activation, or null for softmax. */
    public Activation activation() {
        return activation;
    }

    public int width() {
        return k;
    }

    /** a = f(z) for one example. */
    public void activate(double[] z, int off, double[] a, int aOff) {
        if (activation != null) {
            for (int i = 0; i < k; i++) {
                a[aOff + i] = activation.value(z[off + i]);
            }
            return;
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, z[off + i]);
        }
        double sum = 0;
        for (int i = 0; i < k; i++) {
            double e = Math.exp(z[off + i] - max);
            a[aOff + i] = e;
            sum += e;
        }
        for (int i = 0; i < k; i++) {
            a[aOff + i] /= sum;
        }
    }

    /** Whether {@link #loss} reads only the logits, so a caller may skip {@link #activate}. */
    public boolean lossFromLogits() {
        return kind == Kind.SIGMOID_BCE || kind == Kind.SOFTMAX_CE;
    }

    /** Per-example loss. */
    public double loss(double[] z, double[] a, int off, double[] y, int yOff) {
        switch (kind) {
            case SIGMOID_BCE: {
                // -[y log σ(z) + (1-y) log(1-σ(z))] = y·softplus(-z) + (1-y)·softplus(z). For a 0/1 target
                // only one term is nonzero: one exp and one log1p per output, with no cancellation
                // (softplus(z) − y·z would lose the digits of a confident, correct output).
                double s = 0;
                for (int i = 0; i < k; i++) {
                    double zi = z[off + i];
                    double yi = y[yOff + i];
                    if (yi == 1) {
                        s += softplus(-zi);
                    } else if (yi == 0) {
                        s += softplus(zi);
                    } else {
                        s += yi * softplus(-zi) + (1 - yi) * softplus(zi);
                    }
                }
                return s;
            }
            case SOFTMAX_CE: {
                double lse = logSumExp(z, off);
                double s = 0;
                for (int i = 0; i < k; i++) {
                    double yi = y[yOff + i];
                    if (yi != 0) {
                        s -= yi * (z[off + i] - lse);
                    }
                }
                return s;
            }
            default:
                return loss.value(a, off, y, yOff, k);
        }
    }

    /** What {@link #change} needs, computed once per forward pass; null when it recomputes the loss. */
    SigmoidCrossEntropyChanges prepareChanges(double[] z, double[] y, int examples) {
        return kind == Kind.SIGMOID_BCE ? new SigmoidCrossEntropyChanges(z, y, examples, k) : null;
    }

    /**
     * ℓ(z + dz) − ℓ(z) for example e (logits and targets from {@code z[e·k]}, {@code y[e·k]}), whose loss
     * at z is {@code base}; {@code zWork} and {@code aWork} are scratch of length ≥ k; {@code prepared}
     * comes from {@link #prepareChanges}.
     *
     * <p>For sigmoid + binary cross-entropy with a 0/1 target each output contributes
     * softplus(±(z + d)) − softplus(±z), and exactly
     * <pre>  softplus(z + d) − softplus(z) = ln(1 + σ(z)·(e^d − 1))</pre>
     * so for a small change (|d| ≤ 2^-12, which is what a finite-difference step causes) the term
     * is two short series and a multiply, with no exp or log, and, unlike the difference of two
     * losses, no cancellation ({@link SigmoidCrossEntropyChanges}). Larger changes and soft targets
     * take the difference.
     */
    double change(double[] z, int e, double[] dz, double[] y, SigmoidCrossEntropyChanges prepared, double base,
                  double[] zWork, double[] aWork) {
        if (prepared != null) {
            return prepared.change(e, z, dz, y);
        }
        for (int i = 0; i < k; i++) {
            zWork[i] = z[e * k + i] + dz[i];
        }
        if (!lossFromLogits()) {
            activate(zWork, 0, aWork, 0);
        }
        return loss(zWork, aWork, 0, y, e * k) - base;
    }

    /**
     * The analytic dℓ/dz for one example, from the declared derivative: what backprop starts from.
     * {@code g} is scratch of length ≥ k.
     */
    public void delta(double[] z, double[] a, int off, double[] y, int yOff, double[] out, int outOff, double[] g) {
        switch (kind) {
            case SIGMOID_BCE:
                for (int i = 0; i < k; i++) {
                    out[outOff + i] = a[off + i] - y[yOff + i];
                }
                return;
            case SOFTMAX_CE: {
                double ySum = 0;
                for (int i = 0; i < k; i++) {
                    ySum += y[yOff + i];
                }
                for (int i = 0; i < k; i++) {
                    out[outOff + i] = a[off + i] * ySum - y[yOff + i];
                }
                return;
            }
            case SOFTMAX: {
                loss.gradient(a, off, y, yOff, k, g, 0);
                double dot = 0;
                for (int i = 0; i < k; i++) {
                    dot += a[off + i] * g[i];
                }
                for (int i = 0; i < k; i++) {
                    out[outOff + i] = a[off + i] * (g[i] - dot);
                }
                return;
            }
            default:
                loss.gradient(a, off, y, yOff, k, g, 0);
                for (int i = 0; i < k; i++) {
                    out[outOff + i] = g[i] * activation.derivative(z[off + i]);
                }
        }
    }

    /**
     * Exact dℓ/dz for one example: the loss of f(z) differentiated as a {@link DerivativeStructure} in k
     * variables, so neither the declared derivative nor the hand-written loss gradient is involved.
     * Also fills {@code err[i]}: a bound on |analytic δ_i − exact δ_i| that rounding alone can cause.
     *
     * @return the per-example loss evaluated on the derivative structure
     */
    public double exactDelta(double[] z, double[] a, int off, double[] y, int yOff, double[] out, int outOff,
                             double[] err, int errOff, double[] g) {
        DerivativeStructure[] zs = new DerivativeStructure[k];
        for (int i = 0; i < k; i++) {
            zs[i] = new DerivativeStructure(k, 1, i, z[off + i]);
        }
        DerivativeStructure l = exactLoss(zs, y, yOff);
        int[] orders = new int[k];
        for (int i = 0; i < k; i++) {
            orders[i] = 1;
            out[outOff + i] = l.getPartialDerivative(orders);
            orders[i] = 0;
        }
        fillDeltaError(z, a, off, y, yOff, out, outOff, err, errOff, g);
        return l.getValue();
    }

    /** The per-example loss as a function of the logits, on derivative structures. */
    public DerivativeStructure exactLoss(DerivativeStructure[] zs, double[] y, int yOff) {
        switch (kind) {
            case SIGMOID_BCE: {
                DerivativeStructure s = zs[0].getField().getZero();
                for (int i = 0; i < k; i++) {
                    double yi = y[yOff + i];
                    s = s.add(softplus(zs[i].negate()).multiply(yi)).add(softplus(zs[i]).multiply(1 - yi));
                }
                return s;
            }
            case SOFTMAX_CE: {
                DerivativeStructure lse = logSumExp(zs);
                DerivativeStructure s = zs[0].getField().getZero();
                for (int i = 0; i < k; i++) {
                    double yi = y[yOff + i];
                    if (yi != 0) {
                        s = s.subtract(zs[i].subtract(lse).multiply(yi));
                    }
                }
                return s;
            }
            case SOFTMAX:
                return loss.value(softmax(zs), y, yOff);
            default: {
                DerivativeStructure[] as = new DerivativeStructure[k];
                for (int i = 0; i < k; i++) {
                    as[i] = activation.value(zs[i]);
                }
                return loss.value(as, y, yOff);
            }
        }
    }

    /**
     * The size of the terms a per-example loss is computed from, so that its rounding error is a few
     * ulps of this rather than of the loss: lse − z cancels for a confident softmax, a − y for a close
     * target, softplus(z) − y·z for a saturated sigmoid.
     */
    public double lossMagnitude(double[] z, double[] a, int off, double[] y, int yOff, double loss) {
        double m = Math.abs(loss);
        switch (kind) {
            case SIGMOID_BCE:
                return m;
            case SOFTMAX_CE: {
                double lse = Math.abs(logSumExp(z, off));
                for (int i = 0; i < k; i++) {
                    m += Math.abs(y[yOff + i]) * (Math.abs(z[off + i]) + lse);
                }
                return m;
            }
            default:
                for (int i = 0; i < k; i++) {
                    double ai = a[off + i];
                    double yi = y[yOff + i];
                    double d = Math.abs(ai - yi);
                    // (a − y) is exact to u·(|a| + |y|); squared, and for BCE log a, log(1 − a)
                    m += d * (Math.abs(ai) + Math.abs(yi)) * 2
                            + (loss().equals(Losses.BINARY_CROSS_ENTROPY)
                            ? Math.abs(yi * Math.log(ai)) + Math.abs((1 - yi) * Math.log1p(-ai)) : 0);
                }
                return m;
        }
    }

    private void fillDeltaError(double[] z, double[] a, int off, double[] y, int yOff, double[] exact, int exOff,
                                double[] err, int errOff, double[] g) {
        final double u = Activations.U;
        switch (kind) {
            case SIGMOID_BCE:
            case SOFTMAX_CE: {
                double yAbs = 0;
                for (int i = 0; i < k; i++) {
                    yAbs += Math.abs(y[yOff + i]);
                }
                for (int i = 0; i < k; i++) {
                    // a has a few ulps of relative error; DS's derivative of the logit form likewise.
                    err[errOff + i] = 16 * u * (Math.abs(a[off + i]) * Math.max(1, yAbs) + Math.abs(y[yOff + i])
                            + Math.abs(exact[exOff + i]));
                }
                return;
            }
            case SOFTMAX: {
                loss.gradient(a, off, y, yOff, k, g, 0);
                double weighted = 0;
                for (int i = 0; i < k; i++) {
                    weighted += Math.abs(a[off + i] * g[i]);
                }
                for (int i = 0; i < k; i++) {
                    // a_i is rounded, and so is each a_j inside g; both enter the product
                    double targets = 0;
                    for (int j = 0; j < k; j++) {
                        targets += Math.abs(a[off + j]) + Math.abs(y[yOff + j]);
                    }
                    err[errOff + i] = 32 * u * (Math.abs(a[off + i]) * (Math.abs(g[i]) + weighted + targets) * k
                            + Math.abs(exact[exOff + i]));
                }
                return;
            }
            default:
                loss.gradient(a, off, y, yOff, k, g, 0);
                for (int i = 0; i < k; i++) {
                    double zi = z[off + i];
                    double fp = Math.abs(activation.derivative(zi));
                    double gi = Math.abs(g[i]);
                    // g = dℓ/da inherits the rounding of a itself: a − y is only good to u·(|a| + |y|),
                    // which matters when the target is close to the output.
                    double gError = 8 * u * (Math.abs(a[off + i]) + Math.abs(y[yOff + i])) * gradientScale(a[off + i]);
                    err[errOff + i] = gi * (activation.declaredDerivativeError(zi) + activation.exactDerivativeError(zi))
                            + fp * gError + 32 * u * (gi * fp + Math.abs(exact[exOff + i]));
                }
        }
    }

    /** How much dℓ/da amplifies an error in (a − y): 1, 2/k for mse, 1/(a(1 − a)) for BCE on a. */
    private double gradientScale(double a) {
        if (loss == Losses.MSE) {
            return 2.0 / k;
        }
        if (loss == Losses.BINARY_CROSS_ENTROPY) {
            return 1 / Math.max(Double.MIN_NORMAL, Math.abs(a * (1 - a)));
        }
        if (loss == Losses.CROSS_ENTROPY) {
            return 1 / Math.max(Double.MIN_NORMAL, Math.abs(a));
        }
        return 1;
    }

    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    static DerivativeStructure softplus(DerivativeStructure x) {
        return x.getValue() > 0 ? x.add(x.negate().exp().log1p()) : x.exp().log1p();
    }

    private double logSumExp(double[] z, int off) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < k; i++) {
            max = Math.max(max, z[off + i]);
        }
        double s = 0;
        for (int i = 0; i < k; i++) {
            s += Math.exp(z[off + i] - max);
        }
        return max + Math.log(s);
    }

    private static DerivativeStructure logSumExp(DerivativeStructure[] zs) {
        double max = Double.NEGATIVE_INFINITY;
        for (DerivativeStructure z : zs) {
            max = Math.max(max, z.getValue());
        }
        DerivativeStructure s = zs[0].getField().getZero();
        for (DerivativeStructure z : zs) {
            s = s.add(z.subtract(max).exp());
        }
        return s.log().add(max);
    }

    private static DerivativeStructure[] softmax(DerivativeStructure[] zs) {
        DerivativeStructure lse = logSumExp(zs);
        DerivativeStructure[] out = new DerivativeStructure[zs.length];
        for (int i = 0; i < zs.length; i++) {
            out[i] = zs[i].subtract(lse).exp();
        }
        return out;
    }
}
