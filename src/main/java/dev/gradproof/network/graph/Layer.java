package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.ParameterTensor;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import org.apiguardian.api.API;

/**
 * One layer type's three forms side by side: the reference forward pass (double arrays), the
 * hand-written backward pass (the vector-Jacobian product for its inputs and parameters, the
 * implementation under test) and the exact form (the same forward pass recorded on a {@link Tape},
 * from which the oracle differentiates independently of the backward pass).
 *
 * <p>Tensors are flat, example-major: example n's output is {@code y[n·size .. (n+1)·size)} in
 * PyTorch's row-major layout. The layer's parameters are {@code theta[base ..]} in the order and
 * shapes of {@link #parameters()}; on the tape, parameter {@code base + i} is node {@code base + i}.
 */
@API(status = INTERNAL, since = "0.2")
public abstract class Layer {
    protected final LayerOptions options;
    protected final Shape[] in;
    protected final Shape out;
    protected final List<ParameterTensor> parameters;

    protected Layer(LayerOptions options, List<Shape> inputs) {
        this.options = options;
        this.in = inputs.toArray(new Shape[0]);
        this.out = options.outputShape(inputs);
        this.parameters = options.parameters(inputs);
    }

    public LayerOptions options() {
        return options;
    }

    public Shape outputShape() {
        return out;
    }

    public List<ParameterTensor> parameters() {
        return parameters;
    }

    public int parameterCount() {
        int s = 0;
        for (ParameterTensor t : parameters) {
            s += t.size();
        }
        return s;
    }

    /**
     * Computes y for the batch's rows from the inputs x; returns what {@link #backward} (and a finite
     * difference's branch check) needs, or null.
     */
    public abstract Object forward(double[] theta, int base, double[][] x, double[] y, Batch b);

    /**
     * Adds dL/dx into {@code dx[k]} (null for an input that is not differentiable, such as token ids)
     * and dL/dθ into {@code grad[base ..]}, given dL/dy for every example.
     */
    public abstract void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy,
                                  double[][] dx, double[] grad, Batch b);

    /** Records y's nodes for every example, given the input nodes, in the reference forward's order. */
    public abstract void exact(Tape tape, int base, int[][] x, int[] y, Batch b);

    /**
     * A recurrent cell whose backward pass does not carry the gradient of its state to the step before,
     * what truncated backpropagation through time computes by accident; null for every other layer. A
     * hypothesis a finding tests against the evidence, never a layer to check with.
     */
    public Layer truncatedThroughTime() {
        return null;
    }

    /** Whether example n's output depends on example n's inputs only (false for batch norm). */
    public boolean perExample() {
        return true;
    }

    /**
     * Whether a forward pass took the same branches (max-pool argmax) at the batch's rows as the one that
     * saved {@code base}: if not, a finite difference crossed a tie.
     */
    public boolean sameBranches(Object base, Object moved, Batch b) {
        return true;
    }

    /**
     * The examples a change of the layer's parameter {@code local} (0-based within the layer) reaches, or
     * null for all: an embedding row reaches only the examples that use its token.
     */
    public int[] examplesReached(int local, double[][] x, int examples) {
        return null;
    }

    /**
     * The forward pass after parameter {@code local} moved, into y which holds the unmoved output
     * ({@code saved} is what the unmoved pass saved): a layer that knows which outputs the parameter
     * reaches (a dense weight one unit, a conv kernel entry one channel) recomputes only those. Returns
     * what {@link #forward} would, which only {@link #sameBranches} reads: a layer whose sameBranches is
     * always true may return null rather than build a state nobody reads.
     */
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        return forward(theta, base, x, y, b);
    }

    /**
     * A full forward pass of a layer whose own parameters did not move while an input changed everywhere
     * (a finite difference's perturbed pass); {@code saved} is what the unmoved pass saved, which a layer
     * may reuse where it depends on its parameters only (a dense layer's W by columns).
     */
    public Object forwardOwnUnmoved(double[] theta, int base, double[][] x, double[] y, Object saved, Batch b) {
        return forward(theta, base, x, y, b);
    }

    /** Indices within one example's output that parameter {@code local} reaches; null for all of them. */
    public int[] outputsReached(int local) {
        return null;
    }

    /**
     * Indices within one example's output that can change when input {@code k} changed only at {@code
     * changed} (indices within one example); null for all of them.
     */
    public int[] outputsChanged(int k, int[] changed) {
        return null;
    }

    /** What {@link #forwardChanged} returns when it cannot update incrementally. */
    public static final Object UNHANDLED = new Object();

    /**
     * Updates y, which holds the unmoved output, after the inputs changed only at {@code changed[k]}
     * (indices within one example, the same for every example of the batch; an empty array: input k did
     * not change), their unmoved values being {@code xBase}: a dense layer adds W·Δx for the changed
     * inputs, a pooling recomputes the channels they touch. Returns what {@link #forward} would (with the
     * unmoved {@code saved} where nothing changed), or {@link #UNHANDLED} for a full forward pass.
     */
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        return UNHANDLED;
    }
}
