package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.PoolOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import org.apiguardian.api.API;

/**
 * The reference network for layer graphs: a DAG of layers in spec order (each reads the network's input
 * or earlier layers), a loss on the last layer, the reduction over examples and the L2 term of today's
 * specs. Its forward pass is the reference; its backward pass, hand-written layer by layer with each
 * activation's <em>declared</em> derivative, is the implementation under test, which the tape oracle
 * (dev.gradproof.oracle.graph) re-derives independently.
 *
 * <p>Parameters are one flat vector θ laid out by {@link #layout()}. Build one with {@link #builder()}.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphNetwork {
    private final Shape input;
    private final List<GraphNode> nodes;
    private final GraphLayout layout;
    private final LossHead head;
    private final boolean mean;
    private final double lambda;
    private final boolean l2Biases;

    GraphNetwork(Shape input, List<GraphNode> nodes, GraphLayout layout, LossHead head, boolean mean, double lambda,
                 boolean l2Biases) {
        this.input = input;
        this.nodes = List.copyOf(nodes);
        this.layout = layout;
        this.head = head;
        this.mean = mean;
        this.lambda = lambda;
        this.l2Biases = l2Biases;
    }

    public static GraphBuilder builder() {
        return new GraphBuilder();
    }

    /**
     * The same graph, parameters and loss with each node as {@code replace} returns it: how the mutant zoo
     * plants a wrong backward pass (a wrapped layer, another declared derivative). The forward pass must stay
     * the reference's, so a node keeps its position, inputs, parameters and output shape.
     */
    public GraphNetwork withNodes(UnaryOperator<GraphNode> replace) {
        List<GraphNode> copy = new ArrayList<>(nodes.size());
        for (GraphNode n : nodes) {
            GraphNode r = replace.apply(n);
            if (r.index() != n.index() || r.offset() != n.offset() || !Arrays.equals(r.inputs(), n.inputs())
                    || !r.shape().equals(n.shape()) || r.layer().parameterCount() != n.layer().parameterCount()) {
                throw new IllegalArgumentException("a replaced node must keep " + n.describe() + "'s place, inputs,"
                        + " shape and parameters");
            }
            copy.add(r);
        }
        return new GraphNetwork(input, copy, layout, head, mean, lambda, l2Biases);
    }

    public Shape inputShape() {
        return input;
    }

    public Shape outputShape() {
        return last().shape();
    }

    public List<GraphNode> nodes() {
        return nodes;
    }

    public GraphNode last() {
        return nodes.get(nodes.size() - 1);
    }

    public GraphLayout layout() {
        return layout;
    }

    public LossHead head() {
        return head;
    }

    public boolean meanReduction() {
        return mean;
    }

    public double lambda() {
        return lambda;
    }

    /** 1/N under mean, 1 under sum. */
    public double reductionScale(int examples) {
        return mean ? 1.0 / examples : 1.0;
    }

    /** λ/m: the L2 gradient is this times the weight; the penalty is half of it times Σθ². */
    public double l2Scale(int examples) {
        return lambda * reductionScale(examples);
    }

    public boolean penalised(int p) {
        return lambda != 0 && (l2Biases || !layout.isBias(p));
    }

    /**
     * Whether derivatives somewhere are conventions: a kinked activation, a max-pool (ties), a kinked loss.
     * A finite difference then takes the small step.
     */
    public boolean hasKinks() {
        for (GraphNode n : nodes) {
            if (n.activation() != null && n.activation().kinks().length > 0
                    || n.options() instanceof PoolOptions p && p.max()) {
                return true;
            }
        }
        return head.loss() == GraphLosses.L1 || head.loss() == GraphLosses.HINGE
                || head.options().kind() == LossOptions.Kind.HUBER;
    }

    // ---- forward ----

    public GraphForward forward(double[] theta, GraphData data) {
        GraphChecks.data(this, theta, data);
        int n = data.examples();
        int count = nodes.size();
        double[][] z = new double[count][];
        double[][] a = new double[count][];
        Object[] saved = new Object[count];
        for (int k = 0; k < count; k++) {
            GraphNode node = nodes.get(k);
            z[k] = new double[n * node.shape().size()];
            a[k] = node.activation() == null && !node.softmax() ? z[k] : new double[z[k].length];
            saved[k] = forwardNode(k, theta, inputs(k, data.x(), a), z[k], a[k], Batch.all(n, data.seed(), k + 1));
        }
        double[] exampleLoss = new double[n];
        double sum = 0;
        for (int e = 0; e < n; e++) {
            exampleLoss[e] = head.value(z[count - 1], a[count - 1], data.y(), e);
            sum += exampleLoss[e];
        }
        return new GraphForward(z, a, saved, exampleLoss, total(sum, theta, n));
    }

    /** scale·Σℓ_n + (λ/2m)·Σθ², in the order the tape records it. */
    public double total(double lossSum, double[] theta, int examples) {
        if (lambda == 0) {
            return reductionScale(examples) * lossSum;
        }
        double squares = 0;
        for (int p = 0; p < theta.length; p++) {
            if (penalised(p)) {
                squares += theta[p] * theta[p];
            }
        }
        return reductionScale(examples) * lossSum + (0.5 * l2Scale(examples)) * squares;
    }

    /** The arrays node k reads: the network's input or earlier layers' outputs. */
    public double[][] inputs(int k, double[] x, double[][] a) {
        GraphNode node = nodes.get(k);
        double[][] in = new double[node.inputCount()][];
        for (int j = 0; j < in.length; j++) {
            in[j] = node.input(j) < 0 ? x : a[node.input(j)];
        }
        return in;
    }

    /** Node k's layer and activation for the batch's rows; returns what its backward pass needs. */
    public Object forwardNode(int k, double[] theta, double[][] x, double[] z, double[] a, Batch b) {
        GraphNode node = nodes.get(k);
        Object saved = node.layer().forward(theta, node.offset(), x, z, b);
        activate(node, z, a, b);
        return saved;
    }

    /**
     * As {@link #forwardNode} for a node whose own parameters did not move while an input changed
     * everywhere; {@code saved} is what the unmoved pass saved ({@link Layer#forwardOwnUnmoved}).
     */
    public Object forwardNodeOwnUnmoved(int k, double[] theta, double[][] x, double[] z, double[] a, Object saved, Batch b) {
        GraphNode node = nodes.get(k);
        Object s = node.layer().forwardOwnUnmoved(theta, node.offset(), x, z, saved, b);
        activate(node, z, a, b);
        return s;
    }

    /**
     * As {@link #forwardNode} after the node's parameter {@code local} moved; z and a hold the unmoved
     * values, {@code saved} what the unmoved pass saved. Only the outputs the parameter reaches are
     * recomputed where the layer knows them ({@link #outputsReached}).
     */
    public Object forwardNodeMoved(int k, int local, double[] theta, double[][] x, double[] z, double[] a, Object saved,
                                   Batch b) {
        GraphNode node = nodes.get(k);
        Object s = node.layer().forwardMoved(theta, node.offset(), local, x, z, saved, b);
        activate(node, z, a, b, outputsReached(k, local));
        return s;
    }

    /** Indices within one example of node k's output (after its activation) that its parameter {@code local} reaches; null for all. */
    public int[] outputsReached(int k, int local) {
        GraphNode node = nodes.get(k);
        return node.softmax() ? null : node.layer().outputsReached(local);
    }

    /**
     * Node k after its inputs changed only at {@code changed[j]} (indices within one example; empty: input
     * j did not change), {@code xBase} their unmoved values; z, a and saved hold the unmoved pass's.
     * Returns what the layer saves, or {@link Layer#UNHANDLED} when only a full forward pass will do.
     */
    public Object forwardNodeChanged(int k, double[] theta, double[][] x, double[][] xBase, int[][] changed, double[] z,
                                     double[] a, Object saved, Batch b) {
        GraphNode node = nodes.get(k);
        Object s = node.layer().forwardChanged(theta, node.offset(), x, xBase, changed, z, saved, b);
        if (s != Layer.UNHANDLED) {
            activate(node, z, a, b, outputsChanged(k, changed));
        }
        return s;
    }

    /** Indices within one example of node k's output that can change when its inputs changed at {@code changed}; null for all. */
    public int[] outputsChanged(int k, int[][] changed) {
        GraphNode node = nodes.get(k);
        if (node.softmax()) {
            return null;
        }
        int[][] out = new int[changed.length][];
        for (int j = 0; j < changed.length; j++) {
            out[j] = changed[j].length == 0 ? IndexSets.EMPTY : node.layer().outputsChanged(j, changed[j]);
        }
        return IndexSets.union(out);
    }

    private void activate(GraphNode node, double[] z, double[] a, Batch b) {
        activate(node, z, a, b, null);
    }

    /** The activation at the batch's rows, only at the indices {@code at} within each example (null: all). */
    private void activate(GraphNode node, double[] z, double[] a, Batch b, int[] at) {
        int size = node.shape().size();
        Activation f = node.activation();
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            if (f != null && at != null) {
                for (int i : at) {
                    a[n * size + i] = f.value(z[n * size + i]);
                }
            } else if (f != null) {
                for (int i = n * size; i < (n + 1) * size; i++) {
                    a[i] = f.value(z[i]);
                }
            } else if (node.softmax()) {
                int k = node.shape().dim(node.shape().rank() - 1);
                for (int off = n * size; off < (n + 1) * size; off += k) {
                    Softmax.forward(z, a, off, k);
                }
            }
        }
    }

    /** Node k's activation as the exact oracle records it (its z nodes when it has none). */
    public int[] exactActivation(int k, Tape tape, int[] z) {
        GraphNode node = nodes.get(k);
        if (node.activation() != null) {
            Elementary f = Elementary.of(node.activation());
            int[] a = new int[z.length];
            for (int i = 0; i < z.length; i++) {
                a[i] = tape.unary(f, z[i]);
            }
            return a;
        }
        if (node.softmax()) {
            int width = node.shape().dim(node.shape().rank() - 1);
            int[] a = new int[z.length];
            for (int off = 0; off < z.length; off += width) {
                Softmax.exact(tape, z, off, a, off, width);
            }
            return a;
        }
        return z;
    }

    // ---- backward (the implementation under test) ----

    /** dL/dθ: backpropagation of the loss, then λ/m·θ on penalised parameters. */
    public double[] gradient(double[] theta, GraphData data, GraphForward f) {
        int n = data.examples();
        int last = nodes.size() - 1;
        double[] seed = new double[f.z[last].length];
        double scale = reductionScale(n);
        for (int e = 0; e < n; e++) {
            head.gradient(f.z[last], f.a[last], data.y(), e, scale, seed);
        }
        double[] grad = backprop(theta, data, f, seed, head.loss().fromLogits(), false).parameters();
        double l2 = l2Scale(n);
        for (int p = 0; p < grad.length; p++) {
            if (penalised(p)) {
                grad[p] += l2 * theta[p];
            }
        }
        return grad;
    }

    /**
     * The gradients of Σ c·a over the last layer's output a (a linear functional, no loss, no L2) with
     * respect to the parameters and the network's input: what a check against another framework's
     * autograd compares.
     */
    public Gradients backward(double[] theta, GraphData data, GraphForward f, double[] c) {
        return backprop(theta, data, f, c.clone(), false, true);
    }

    private Gradients backprop(double[] theta, GraphData data, GraphForward f, double[] seed, boolean seedIsZ,
                               boolean wantInput) {
        int n = data.examples();
        int count = nodes.size();
        double[][] dA = new double[count][];
        double[] grad = new double[layout.total()];
        double[] dInput = input.kind() == Shape.Kind.TOKENS ? null : new double[data.x().length];
        if (!seedIsZ) {
            dA[count - 1] = seed;
        }
        for (int k = count - 1; k >= 0; k--) {
            GraphNode node = nodes.get(k);
            double[] dz;
            if (k == count - 1 && seedIsZ) {
                dz = seed;
            } else if (dA[k] == null) {
                continue;
            } else {
                dz = activationBackward(node, f.z[k], f.a[k], dA[k]);
            }
            double[][] dx = new double[node.inputCount()][];
            for (int j = 0; j < dx.length; j++) {
                int from = node.input(j);
                if (from < 0) {
                    dx[j] = dInput;
                } else {
                    if (dA[from] == null) {
                        dA[from] = new double[f.a[from].length];
                    }
                    dx[j] = dA[from];
                }
            }
            node.layer().backward(theta, node.offset(), inputs(k, data.x(), f.a), f.z[k], f.saved[k], dz, dx, grad,
                    Batch.all(n, data.seed(), k + 1));
        }
        return new Gradients(grad, wantInput ? dInput : null);
    }

    /** dL/dz from dL/da: the declared derivative f'(z), or the softmax's Jacobian. */
    private static double[] activationBackward(GraphNode node, double[] z, double[] a, double[] da) {
        Activation f = node.activation();
        if (f != null) {
            double[] dz = new double[da.length];
            for (int i = 0; i < da.length; i++) {
                dz[i] = da[i] * f.derivative(z[i]);
            }
            return dz;
        }
        if (node.softmax()) {
            double[] dz = new double[da.length];
            int k = node.shape().dim(node.shape().rank() - 1);
            for (int off = 0; off < da.length; off += k) {
                Softmax.backward(a, da, dz, off, k);
            }
            return dz;
        }
        return da;
    }

    /** Whether any layer is of the given type. */
    public boolean uses(LayerType type) {
        return nodes.stream().anyMatch(n -> n.options().type() == type);
    }
}
