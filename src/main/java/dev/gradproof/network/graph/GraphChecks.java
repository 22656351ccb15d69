package dev.gradproof.network.graph;

import dev.gradproof.spec.layers.BatchNormOptions;
import dev.gradproof.spec.layers.EmbeddingOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.Arrays;
import java.util.function.Supplier;

/** What a forward pass checks about θ and the data before it runs, with messages that say what to fix. */
final class GraphChecks {
    private GraphChecks() {
    }

    static void data(GraphNetwork g, double[] theta, GraphData d) {
        int n = d.examples();
        require(n >= 1, "the data has no examples");
        require(theta.length == g.layout().total(), "θ has " + theta.length + " values; the network has "
                + g.layout().total() + " parameters");
        for (int p = 0; p < theta.length; p++) {
            if (!Double.isFinite(theta[p])) {
                throw new IllegalArgumentException("parameter " + g.layout().name(p) + " is " + theta[p]);
            }
        }
        Shape in = g.inputShape();
        Shape out = g.outputShape();
        require(d.x().length == n * in.size(), "the inputs have " + d.x().length + " values; " + n + " examples of "
                + in.describe() + " need " + n * in.size());
        require(d.y().length == n * out.size(), "the targets have " + d.y().length + " values; " + n + " examples of "
                + out.describe() + " need " + n * out.size());
        // The message is built only for a value that is not finite: every forward pass runs these checks.
        for (int i = 0; i < d.x().length; i++) {
            if (!Double.isFinite(d.x()[i])) {
                throw new IllegalArgumentException("input " + position(in, i) + " is " + d.x()[i]);
            }
        }
        for (int i = 0; i < d.y().length; i++) {
            if (!Double.isFinite(d.y()[i])) {
                throw new IllegalArgumentException("target " + position(out, i) + " is " + d.y()[i]);
            }
        }
        for (GraphNode node : g.nodes()) {
            if (node.options() instanceof EmbeddingOptions e) {
                tokens(d.x(), e.vocabulary(), node.name(), in);
            }
            if (node.options() instanceof BatchNormOptions) {
                Shape s = node.shape();
                int perChannel = n * s.size() / s.dim(0);
                require(perChannel > 1, node.name() + " (batch_norm) needs more than one value per channel to take batch"
                        + " statistics; it gets " + perChannel + " (" + n + " example" + (n == 1 ? "" : "s") + " of "
                        + s.describe() + ")");
            }
        }
        for (int e = 0; e < n; e++) {
            String problem = g.head().targetProblem(d.y(), e);
            if (problem != null) {
                throw new IllegalArgumentException(g.head().options().kind().yamlName() + ": example " + e + ": " + problem);
            }
        }
    }

    private static void tokens(double[] x, int vocabulary, String layer, Shape in) {
        for (int i = 0; i < x.length; i++) {
            double v = x[i];
            int index = i;
            require(v == Math.rint(v), () -> "token id " + v + " at " + position(in, index) + " is not an integer");
            require(v >= 0 && v < vocabulary, () -> "token id " + (long) v + " at " + position(in, index)
                    + " is outside " + layer + "'s vocabulary of " + vocabulary + " (ids 0.." + (vocabulary - 1) + ")");
        }
    }

    /** {@code example 2, [0, 4, 1]}. */
    static String position(Shape s, int flat) {
        int[] dims = s.dims();
        int[] idx = new int[dims.length];
        int rest = flat % s.size();
        for (int a = dims.length - 1; a >= 0; a--) {
            idx[a] = rest % dims[a];
            rest /= dims[a];
        }
        return "example " + flat / s.size() + ", " + Arrays.toString(idx);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    private static void require(boolean ok, Supplier<String> message) {
        if (!ok) {
            throw new IllegalArgumentException(message.get());
        }
    }
}
