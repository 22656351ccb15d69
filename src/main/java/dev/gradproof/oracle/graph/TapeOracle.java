package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.LossHead;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import org.apiguardian.api.API;

/**
 * The exact oracle for layer graphs: records the forward pass of every layer's exact form on a
 * {@link ScalarTape} (the reference's arithmetic in the reference's order, so the two forward passes
 * agree bit for bit) and differentiates it by reverse accumulation. It shares no code with the
 * hand-written backward passes: local derivatives of unary nodes come from {@code DerivativeStructure},
 * those of products are the other factor.
 */
@API(status = INTERNAL, since = "0.2")
public final class TapeOracle {
    /** Roundings of the hand-written side outside the tape's edges: the reduction scale, the L2 term, the loss gradient's formula. */
    static final int EXTRA_CHAIN = 8;

    private TapeOracle() {
    }

    public static GraphExactGradient compute(GraphNetwork g, double[] theta, GraphData data) {
        return run(g, theta, data, null);
    }

    /**
     * The exact gradient of Σ c·a over the last layer's output (no loss, no L2) with respect to the
     * parameters and the input: what is compared with another framework's autograd.
     */
    public static GraphExactGradient functional(GraphNetwork g, double[] theta, GraphData data, double[] c) {
        return run(g, theta, data, c);
    }

    private static GraphExactGradient run(GraphNetwork g, double[] theta, GraphData data, double[] c) {
        g.forward(theta, data); // the same checks of θ and data, and a fair warning of a bad network
        int n = data.examples();
        int params = theta.length;
        int inputs = data.x().length;
        List<GraphNode> nodes = g.nodes();
        Recording r = record(g, theta, data);
        ScalarTape t = r.tape;
        int last = nodes.size() - 1;
        int root;
        int[] seedNodes = null;
        double[] seeds = null;
        if (c != null) {
            t.begin(0);
            for (int i = 0; i < c.length; i++) {
                t.term(c[i], r.a[last][i]);
            }
            root = t.end();
        } else {
            LossHead head = g.head();
            int[] example = new int[n];
            for (int e = 0; e < n; e++) {
                example[e] = head.exact(t, r.z[last], r.a[last], data.y(), e);
            }
            root = total(g, t, theta, example, n);
            double[] err = new double[r.z[last].length];
            double scale = g.reductionScale(n);
            for (int e = 0; e < n; e++) {
                head.gradientError(values(t, r.z[last]), values(t, r.a[last]), data.y(), e, scale, err);
            }
            seedNodes = head.loss().fromLogits() ? r.z[last] : r.a[last];
            seeds = err;
        }
        Reverse rev = t.reverse(root, params + inputs, seedNodes, seeds);
        double[] localError = new double[params];
        double[] allowance = rev.head(Reverse.ALLOW, 0, params);
        int[] chain = new int[params];
        boolean[] kinkPath = new boolean[params];
        for (int p = 0; p < params; p++) {
            localError[p] = Math.max(0, rev.at(p, Reverse.MAGE) - rev.at(p, Reverse.MAG));
            chain[p] = rev.chain[p] + EXTRA_CHAIN;
            kinkPath[p] = rev.kinkPath[p];
        }
        boolean tokens = g.inputShape().kind() == Shape.Kind.TOKENS;
        double[] inputGradient = tokens ? null : rev.head(Reverse.ADJ, params, inputs);
        double[] inputMagnitude = tokens ? null : rev.head(Reverse.MAG, params, inputs);
        double[] inputForwardMagnitude = tokens ? null : rev.head(Reverse.MAGF, params, inputs);
        return new GraphExactGradient(t.value(root), rev.head(Reverse.ADJ, 0, params), rev.head(Reverse.MAG, 0, params),
                localError, allowance, rev.head(Reverse.MAGF, 0, params), chain, kinkPath, t.forwardError(root), inputGradient, inputMagnitude, inputForwardMagnitude, t.kinks(), t.ties(),
                note(t.kinks(), t.ties()));
    }

    /** The tape and every layer's z and a nodes. */
    record Recording(ScalarTape tape, int[][] z, int[][] a) {
    }

    static Recording record(GraphNetwork g, double[] theta, GraphData data) {
        int n = data.examples();
        List<GraphNode> nodes = g.nodes();
        int width = 0;
        for (GraphNode node : nodes) {
            width += node.shape().size();
        }
        ScalarTape t = new ScalarTape(theta.length + data.x().length + 2 * n * width, 4 * n * width);
        for (double v : theta) {
            t.leaf(v);
        }
        int[] x = new int[data.x().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = t.leaf(data.x()[i]);
        }
        int[][] z = new int[nodes.size()][];
        int[][] a = new int[nodes.size()][];
        for (int k = 0; k < nodes.size(); k++) {
            GraphNode node = nodes.get(k);
            int[] from = node.inputs();
            int[][] in = new int[from.length][];
            for (int j = 0; j < from.length; j++) {
                in[j] = from[j] < 0 ? x : a[from[j]];
            }
            int size = node.shape().size();
            z[k] = new int[n * size];
            node.layer().exact(t, node.offset(), in, z[k], Batch.all(n, data.seed(), k + 1));
            a[k] = g.exactActivation(k, t, z[k]);
        }
        return new Recording(t, z, a);
    }

    /** scale·Σℓ_n (+ (λ/2m)·Σθ²), as {@link GraphNetwork#total} computes it. */
    private static int total(GraphNetwork g, ScalarTape t, double[] theta, int[] example, int n) {
        t.begin(0);
        for (int e : example) {
            t.term(1, e);
        }
        int sum = t.end();
        if (g.lambda() == 0) {
            return t.scale(g.reductionScale(n), sum);
        }
        t.begin(0);
        for (int p = 0; p < theta.length; p++) {
            if (g.penalised(p)) {
                t.term(1, p, p);
            }
        }
        int squares = t.end();
        t.begin(0);
        t.term(g.reductionScale(n), sum);
        t.term(0.5 * g.l2Scale(n), squares);
        return t.end();
    }

    private static double[] values(ScalarTape t, int[] nodes) {
        double[] v = new double[nodes.length];
        for (int i = 0; i < nodes.length; i++) {
            v[i] = t.value(nodes[i]);
        }
        return v;
    }

    private static String note(int kinks, int ties) {
        if (kinks == 0 && ties == 0) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        if (kinks > 0) {
            sb.append(kinks).append(kinks == 1 ? " unit" : " units").append(" at a kink (the reference's derivative"
                    + " there is PyTorch's: relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = alpha, sign(0) = 0)");
        }
        if (ties > 0) {
            sb.append(sb.length() > 0 ? "; " : "").append(ties).append(ties == 1 ? " max-pool window" : " max-pool windows")
                    .append(" with tied maxima (the reference takes the first maximum in row-major window order)");
        }
        return sb.toString();
    }
}
