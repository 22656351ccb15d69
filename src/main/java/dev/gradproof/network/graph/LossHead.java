package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;
import org.apiguardian.api.API;

/**
 * The loss on the last layer: which {@link GraphLoss} (a softmax or plain sigmoid last layer is absorbed
 * into softmax cross-entropy, KL divergence and binary cross-entropy, which then read the logits), and
 * how a sequence output's steps make one example's loss (sum, or the sum times 1/T).
 */
@API(status = INTERNAL, since = "0.2")
public final class LossHead {
    private final LossOptions options;
    private final GraphLoss loss;
    private final int steps;
    private final int k;

    private LossHead(LossOptions options, GraphLoss loss, int steps, int k) {
        this.options = options;
        this.loss = loss;
        this.steps = steps;
        this.k = k;
    }

    static LossHead of(LossOptions o, GraphNode last) {
        Shape shape = last.shape();
        Activation act = last.activation();
        GraphPlan.checkLoss(o, shape, last.softmax(), last.name());
        GraphLoss loss = switch (o.kind()) {
            case SQUARED_ERROR -> GraphLosses.SQUARED_ERROR;
            case MSE -> GraphLosses.MSE;
            case L1 -> GraphLosses.L1;
            case HUBER -> GraphLosses.huber(o.delta());
            case HINGE -> GraphLosses.HINGE;
            case BINARY_CROSS_ENTROPY -> act != null && act.name().equals("sigmoid") && !act.derivativeOverridden()
                    ? GraphLosses.SIGMOID_BINARY_CROSS_ENTROPY : GraphLosses.BINARY_CROSS_ENTROPY;
            case KL_DIVERGENCE -> last.softmax() ? GraphLosses.SOFTMAX_KL_DIVERGENCE : GraphLosses.KL_DIVERGENCE;
            case SOFTMAX_CROSS_ENTROPY -> GraphLosses.SOFTMAX_CROSS_ENTROPY;
        };
        int steps = shape.kind() == Shape.Kind.SEQUENCE ? shape.dim(0) : 1;
        return new LossHead(o, loss, steps, shape.size() / steps);
    }

    public LossOptions options() {
        return options;
    }

    public GraphLoss loss() {
        return loss;
    }

    /** Steps per example (T for a sequence output, else 1) and values per step. */
    public int steps() {
        return steps;
    }

    public int width() {
        return k;
    }

    private double stepScale() {
        return options.steps() == LossOptions.Steps.MEAN ? 1.0 / steps : 1.0;
    }

    private double[] input(double[] z, double[] a) {
        return loss.fromLogits() ? z : a;
    }

    /** Example n's loss. */
    public double value(double[] z, double[] a, double[] y, int n) {
        double[] v = input(z, a);
        int off = n * steps * k;
        if (steps == 1) {
            return loss.value(v, off, y, off, k);
        }
        double s = 0;
        for (int t = 0; t < steps; t++) {
            s += loss.value(v, off + t * k, y, off + t * k, k);
        }
        return stepScale() * s;
    }

    /** scale · dℓ_n/dv into out (v = z when the loss reads logits, else a). */
    void gradient(double[] z, double[] a, double[] y, int n, double scale, double[] out) {
        double[] v = input(z, a);
        int off = n * steps * k;
        double c = scale * (steps == 1 ? 1 : stepScale());
        for (int t = 0; t < steps; t++) {
            loss.gradient(v, off + t * k, y, off + t * k, k, out, off + t * k);
            for (int i = off + t * k; i < off + (t + 1) * k; i++) {
                out[i] *= c;
            }
        }
    }

    /** scale · the bound of {@link GraphLoss#gradientError} for example n into out. */
    public void gradientError(double[] z, double[] a, double[] y, int n, double scale, double[] out) {
        double[] v = input(z, a);
        int off = n * steps * k;
        double c = scale * (steps == 1 ? 1 : stepScale());
        for (int t = 0; t < steps; t++) {
            loss.gradientError(v, off + t * k, y, off + t * k, k, out, off + t * k);
            for (int i = off + t * k; i < off + (t + 1) * k; i++) {
                out[i] *= c;
            }
        }
    }

    /** Example n's loss on the tape, from the last layer's z and a nodes. */
    public int exact(Tape tape, int[] z, int[] a, double[] y, int n) {
        int[] v = loss.fromLogits() ? z : a;
        int off = n * steps * k;
        if (steps == 1) {
            return loss.exact(tape, v, off, y, off, k);
        }
        int[] step = new int[steps];
        for (int t = 0; t < steps; t++) {
            step[t] = loss.exact(tape, v, off + t * k, y, off + t * k, k);
        }
        int sum = GraphLosses.sum(tape, step);
        return options.steps() == LossOptions.Steps.MEAN ? tape.scale(stepScale(), sum) : sum;
    }

    /** Example n's branch signature (which side of each kink every step is on). */
    public long branch(double[] z, double[] a, double[] y, int n) {
        double[] v = input(z, a);
        int off = n * steps * k;
        long code = 0;
        for (int t = 0; t < steps; t++) {
            code = code * 1_000_003 + loss.branch(v, off + t * k, y, off + t * k, k);
        }
        return code;
    }

    /** Why example n's targets do not suit the loss, or null. */
    String targetProblem(double[] y, int n) {
        int off = n * steps * k;
        for (int t = 0; t < steps; t++) {
            String p = loss.targetProblem(y, off + t * k, k);
            if (p != null) {
                return steps == 1 ? p : p + " (step " + t + ")";
            }
        }
        return null;
    }
}
