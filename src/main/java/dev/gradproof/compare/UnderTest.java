package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.Mlp;
import dev.gradproof.spec.Spec;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;

import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.apiguardian.api.API;

/** Plugs a {@link NetworkUnderTest} into the engine as the gradient under test. */
@API(status = INTERNAL, since = "0.2")
public final class UnderTest {
    /** Unit roundoff of IEEE single precision. */
    public static final double FLOAT32 = 0x1.0p-24;

    private UnderTest() {
    }

    /**
     * An implementation's exception as a verdict message. A message that already names the
     * implementation (a process's protocol error) is kept as it is.
     */
    static IllegalStateException wrap(String who, Throwable ex, String context) {
        return wrap(who, null, ex, context);
    }

    /** Errors a user's implementation may throw (an assert, runaway recursion) are its failure, not ours. */
    static IllegalStateException wrap(String who, String alsoKnownAs, Throwable ex, String context) {
        String m = ex.getMessage();
        if (m != null && (m.startsWith(who) || (alsoKnownAs != null && m.startsWith(alsoKnownAs)))) {
            return new IllegalStateException(m + context, ex);
        }
        return new IllegalStateException(who + " threw " + ex.getClass().getSimpleName() + (m == null ? "" : ": " + m)
                + context, ex);
    }

    /** {@code float64} → 2^-53, {@code float32} → 2^-24. */
    public static double unitRoundoffOf(String dtype) {
        if (dtype == null || dtype.equals("float64") || dtype.equals("double")) {
            return Activations.U;
        }
        if (dtype.equals("float32") || dtype.equals("float")) {
            return FLOAT32;
        }
        throw new IllegalStateException("unknown dtype '" + dtype + "' (expected float64 or float32)");
    }

    /**
     * A {@link NetworkUnderTest} as the engines check it: a dense chain's gradient source, and the object
     * a layer graph's check unwraps ({@link #graph}).
     */
    public record Adapter(NetworkUnderTest implementation, SpecChecker.Implementation dense)
            implements SpecChecker.Implementation {
        @Override
        public TrialCheck.Analytic forNetwork(Spec spec, Mlp reference) {
            return dense.forNetwork(spec, reference);
        }
    }

    public static SpecChecker.Implementation of(NetworkUnderTest impl) {
        return new Adapter(impl, dense(impl));
    }

    /** A layer graph's gradient under test from an implementation: parameters as named tensors, its own loss too. */
    public static GraphTrialCheck.Analytic graph(NetworkUnderTest impl, Spec spec, GraphNetwork g) {
        NetworkDescription description = GraphConversions.describe(spec, g);
        GraphLayout layout = g.layout();
        String who = impl.name();
        return new GraphTrialCheck.Analytic() {
            private double lastLoss = Double.NaN;

            @Override
            public double[] gradient(GraphNetwork net, double[] theta, GraphCase c, GraphForward f) {
                Parameters given = GraphConversions.parameters(layout, theta);
                Evaluation e;
                try {
                    e = impl.evaluate(description, given, GraphConversions.batch(net, c.data()));
                } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError ex) {
                    throw wrap(who, impl.toString(), ex, "");
                }
                double[] after = GraphConversions.flatten(layout, given, who + " (its parameters after the call)");
                for (int p = 0; p < theta.length; p++) {
                    if (Double.compare(after[p], theta[p]) != 0) {
                        throw new IllegalStateException(who + " modified the parameters it was given: "
                                + layout.name(p) + " was " + theta[p] + " before the call and " + after[p] + " after");
                    }
                }
                if (e == null) {
                    throw new IllegalStateException(who + " returned no evaluation");
                }
                if (!Double.isFinite(e.loss())) {
                    throw new IllegalStateException(who + " returned " + e.loss() + " as its loss");
                }
                lastLoss = e.loss();
                return GraphConversions.flatten(layout, e.gradient(), who);
            }

            @Override
            public double unitRoundoff() {
                return unitRoundoffOf(impl.dtype());
            }

            @Override
            public boolean sharesForward() {
                return false;
            }

            @Override
            public java.util.OptionalDouble ownLoss() {
                return Double.isNaN(lastLoss) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(lastLoss);
            }

            @Override
            public double[] ownLossesAt(double[][] points, GraphCase c) {
                var batch = GraphConversions.batch(g, c.data());
                double[] losses = new double[points.length];
                for (int i = 0; i < points.length; i++) {
                    try {
                        losses[i] = impl.loss(description, GraphConversions.parameters(layout, points[i]), batch);
                    } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError ex) {
                        throw wrap(who, impl.toString(), ex, " (computing its loss along a direction)");
                    }
                    if (!Double.isFinite(losses[i])) {
                        throw new IllegalStateException(who + " returned " + losses[i] + " as its loss with the"
                                + " parameters moved along a check direction");
                    }
                }
                return losses;
            }
        };
    }

    private static SpecChecker.Implementation dense(NetworkUnderTest impl) {
        return (spec, mlp) -> {
            NetworkDescription description = Conversions.describe(spec);
            String who = impl.name();
            return new TrialCheck.Analytic() {
                private double lastLoss = Double.NaN;

                @Override
                public OptionalDouble ownLoss() {
                    return Double.isNaN(lastLoss) ? OptionalDouble.empty() : OptionalDouble.of(lastLoss);
                }

                @Override
                public double[] ownLosses(double[] theta, Dataset data, int[] params, double[] deltas) {
                    List<Perturbation> ps = new ArrayList<>();
                    var layout = mlp.layout();
                    for (int i = 0; i < params.length; i++) {
                        int p = params[i];
                        ps.add(new Perturbation(layout.coordinate(p), deltas[i]));
                    }
                    double[] out;
                    try {
                        out = impl.losses(description, Conversions.parameters(layout, theta), Conversions.batch(data), ps);
                    } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError ex) {
                        throw wrap(who, impl.toString(), ex, " (computing perturbed losses)");
                    }
                    if (out == null || out.length != ps.size()) {
                        throw new IllegalStateException(who + " returned " + (out == null ? "no" : out.length)
                                + " perturbed losses, expected " + ps.size());
                    }
                    for (int i = 0; i < out.length; i++) {
                        if (!Double.isFinite(out[i])) {
                            throw new IllegalStateException(who + " returned " + out[i] + " as the loss with "
                                    + layout.name(params[i]) + " moved by " + deltas[i]);
                        }
                    }
                    return out;
                }

                @Override
                public double[] ownLossesAt(double[][] points, Dataset data) {
                    var layout = mlp.layout();
                    Batch batch = Conversions.batch(data);
                    double[] out = new double[points.length];
                    for (int i = 0; i < points.length; i++) {
                        try {
                            out[i] = impl.loss(description, Conversions.parameters(layout, points[i]), batch);
                        } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError ex) {
                            throw wrap(who, impl.toString(), ex, " (computing its loss along a direction)");
                        }
                        if (!Double.isFinite(out[i])) {
                            throw new IllegalStateException(who + " returned " + out[i] + " as its loss with the"
                                    + " parameters moved along a check direction");
                        }
                    }
                    return out;
                }

                @Override
                public double[] gradient(double[] theta, Dataset data,
                                         Forward forward) {
                    double[] first = evaluateOnce(theta, data);
                    if (!repeated) {
                        // Like PyTorch's reentrancy check: the same inputs must give the same gradient.
                        repeated = true;
                        double firstLoss = lastLoss;
                        double[] second = evaluateOnce(theta, data);
                        compareRepeat(first, second, firstLoss, lastLoss);
                    }
                    return first;
                }

                private boolean repeated;

                private double[] evaluateOnce(double[] theta, Dataset data) {
                    var layout = mlp.layout();
                    Parameters given = Conversions.parameters(layout, theta);
                    Batch batch = Conversions.batch(data);
                    Evaluation e;
                    try {
                        e = impl.evaluate(description, given, batch);
                    } catch (RuntimeException | AssertionError | StackOverflowError | LinkageError ex) {
                        throw wrap(who, impl.toString(), ex, "");
                    }
                    double[] after = Conversions.flatten(layout, given, who + " (its parameters after the call)");
                    for (int p = 0; p < theta.length; p++) {
                        if (Double.compare(after[p], theta[p]) != 0) {
                            throw new IllegalStateException(who + " modified the parameters it was given: "
                                    + layout.name(p) + " was " + theta[p] + " before the call and " + after[p]
                                    + " after (an implementation must not update weights while computing a gradient)");
                        }
                    }
                    if (e == null) {
                        throw new IllegalStateException(who + " returned no evaluation");
                    }
                    if (!Double.isFinite(e.loss())) {
                        throw new IllegalStateException(who + " returned " + e.loss() + " as its loss");
                    }
                    lastLoss = e.loss();
                    return Conversions.flatten(layout, e.gradient(), who);
                }

                private void compareRepeat(double[] a, double[] b, double lossA, double lossB) {
                    var layout = mlp.layout();
                    for (int p = 0; p < a.length; p++) {
                        double scale = Math.max(Math.abs(a[p]), Math.abs(b[p]));
                        // Summing in a different order may move the last bits; more than that is not rounding.
                        if (Double.compare(a[p], b[p]) != 0 && !(Math.abs(a[p] - b[p]) <= 1e-9 * scale + Double.MIN_NORMAL)) {
                            throw new IllegalStateException(who + " is not deterministic: two calls with the same "
                                    + "parameters and data gave " + layout.name(p) + " = " + a[p] + " and " + b[p]);
                        }
                    }
                    if (Math.abs(lossA - lossB) > 1e-9 * Math.max(Math.abs(lossA), Math.abs(lossB)) + Double.MIN_NORMAL) {
                        throw new IllegalStateException(who + " is not deterministic: two calls with the same parameters "
                                + "and data gave the losses " + lossA + " and " + lossB);
                    }
                }

                @Override
                public double unitRoundoff() {
                    return unitRoundoffOf(impl.dtype());
                }
            };
        };
    }
}
