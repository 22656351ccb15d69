package dev.gradproof.mutants.graph;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.Layer;
import dev.gradproof.network.graph.Tape;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * A reference layer with a hand-written backward pass of its own (a mutant's): everything else, the
 * forward pass above all, is the reference layer's, so the engine's forward pass, saved values, tape and
 * finite differences are exactly those of the correct network and only the gradient under test changes.
 */
abstract class WrongBackward extends Layer {
    final Layer reference;
    /** One example's input shapes, in the order of {@code x}. */
    final Shape[] inputs;

    WrongBackward(GraphNetwork g, GraphNode node) {
        super(node.options(), inputShapes(g, node));
        this.reference = node.layer();
        this.inputs = inputShapes(g, node).toArray(new Shape[0]);
    }

    static List<Shape> inputShapes(GraphNetwork g, GraphNode node) {
        List<Shape> shapes = new ArrayList<>();
        for (int i : node.inputs()) {
            shapes.add(i < 0 ? g.inputShape() : g.nodes().get(i).shape());
        }
        return shapes;
    }

    /** The reference backward pass with the input gradients thrown away: the parameters' gradients only. */
    void parametersOnly(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[] grad,
                        Batch b) {
        double[][] scratch = new double[x.length][];
        for (int k = 0; k < x.length; k++) {
            scratch[k] = x[k] == null ? null : new double[x[k].length];
        }
        reference.backward(theta, base, x, y, saved, dy, scratch, grad, b);
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        return reference.forward(theta, base, x, y, b);
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        reference.exact(tape, base, x, y, b);
    }

    @Override
    public boolean perExample() {
        return reference.perExample();
    }

    @Override
    public boolean sameBranches(Object base, Object moved, Batch b) {
        return reference.sameBranches(base, moved, b);
    }

    @Override
    public int[] examplesReached(int local, double[][] x, int examples) {
        return reference.examplesReached(local, x, examples);
    }

    @Override
    public Object forwardMoved(double[] theta, int base, int local, double[][] x, double[] y, Object saved, Batch b) {
        return reference.forwardMoved(theta, base, local, x, y, saved, b);
    }

    @Override
    public int[] outputsReached(int local) {
        return reference.outputsReached(local);
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return reference.outputsChanged(k, changed);
    }

    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        return reference.forwardChanged(theta, base, x, xBase, changed, y, saved, b);
    }
}
