package dev.gradproof.train;

import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.Layer;
import dev.gradproof.network.graph.Tape;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.layers.DropoutOptions;
import dev.gradproof.spec.layers.GraphPlan;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * The gradient a recurrent layer sends back to its input, step by step: what a teacher means by "the error
 * per time step". A backward pass hands that gradient only to the layer below and never returns it, so the
 * probe puts a layer below: a copy of the graph with a dropout of p = 0 (the identity, with no parameters)
 * just before the first recurrent layer, whose backward pass records the dL/dx it is handed. The copy
 * computes the same loss with the same parameter layout, which {@link #of} verifies; one probe per thread
 * of training, since it keeps the last recording.
 */
final class StepProbe {
    static final String NAME = "teaching_step_probe";

    private final int steps;
    private final int features;
    private GraphNetwork probed;
    private double[] recorded;

    private StepProbe(int steps, int features) {
        this.steps = steps;
        this.features = features;
    }

    /** A probe below the spec's first recurrent layer; null when it has none or the copy is not the same network. */
    static StepProbe of(Spec spec, GraphNetwork reference, GraphCase start) {
        GraphSpec g = spec.network().graph();
        int r = -1;
        for (int k = 0; k < g.layers().size() && r < 0; k++) {
            LayerType t = g.layers().get(k).options().type();
            r = t == LayerType.RNN || t == LayerType.LSTM || t == LayerType.GRU ? k : -1;
        }
        if (r < 0) {
            return null;
        }
        List<GraphSpec.Layer> layers = new ArrayList<>(g.layers());
        GraphSpec.Layer rnn = layers.get(r);
        layers.set(r, new GraphSpec.Layer(rnn.name(), rnn.options(), null, rnn.activation(), rnn.frozen()));
        layers.add(r, new GraphSpec.Layer(NAME, new DropoutOptions(0), rnn.from(), null, false));
        List<GraphPlan.Layer> planned = new ArrayList<>();
        for (GraphSpec.Layer l : layers) {
            planned.add(new GraphPlan.Layer(l.name(), l.options(), l.from(), l.softmax(),
                    l.activation() == null || l.softmax() ? null : l.activation().name()));
        }
        GraphNetwork copy;
        try {
            GraphSpec probedSpec = new GraphSpec(g.input(), layers, GraphPlan.of(g.input(), planned));
            copy = GraphFactory.build(spec.withNetwork(NetworkSpec.of(probedSpec)));
        } catch (RuntimeException e) {
            return null; // a graph the copy cannot be built for simply has no per-step plot
        }
        int node = -1;
        for (GraphNode n : copy.nodes()) {
            node = NAME.equals(n.name()) ? n.index() : node;
        }
        if (node < 0 || copy.layout().total() != reference.layout().total()) {
            return null;
        }
        Shape s = copy.nodes().get(node).shape();
        if (s.rank() != 2) {
            return null;
        }
        double expected = reference.forward(start.theta(), start.data()).loss;
        double got = copy.forward(start.theta(), start.data()).loss;
        if (!(expected == got)) {
            return null;
        }
        int probeNode = node;
        StepProbe probe = new StepProbe(s.dim(0), s.dim(1));
        probe.probed = copy.withNodes(n -> n.index() == probeNode ? new GraphNode(n.index(), n.name(),
                n.options(), probe.new Recorder(n.layer()), n.inputs(), n.activation(), n.softmax(), n.frozen(),
                n.offset()) : n);
        return probe;
    }

    int steps() {
        return steps;
    }

    /**
     * Runs {@code gradient} (the reference's or a mutant's backward pass) on the probed copy and returns its
     * parameter gradient; {@link #norms()} then holds the gradient it sent below the recurrent layer.
     */
    double[] gradient(GraphTrialCheck.Analytic gradient, double[] theta, GraphCase c) {
        recorded = null;
        GraphForward f = probed.forward(theta, c.data());
        return gradient.gradient(probed, theta, new GraphCase(c.name(), probed, theta, c.data()), f);
    }

    /** The last recorded input gradient, [examples][steps][features] flattened; null if none was recorded. */
    double[] recorded() {
        return recorded;
    }

    /** ‖dL/dx_t‖ over examples and features, per step t, of the last recording. */
    double[] norms() {
        return norms(recorded(), null);
    }

    /** ‖a_t − b_t‖ per step (‖a_t‖ when b is null). */
    double[] norms(double[] a, double[] b) {
        double[] out = new double[steps];
        if (a == null) {
            java.util.Arrays.fill(out, Double.NaN);
            return out;
        }
        int per = steps * features;
        for (int i = 0; i < a.length; i++) {
            int t = (i % per) / features;
            double d = a[i] - (b == null ? 0 : b[i]);
            out[t] += d * d;
        }
        for (int t = 0; t < steps; t++) {
            out[t] = Math.sqrt(out[t]);
        }
        return out;
    }

    /** The identity layer of the copy, recording the gradient it passes on. */
    private final class Recorder extends Layer {
        private final Layer reference;

        Recorder(Layer reference) {
            super(reference.options(), List.of(reference.outputShape()));
            this.reference = reference;
        }

        @Override
        public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
            return reference.forward(theta, base, x, y, b);
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy,
                             double[][] dx, double[] grad, Batch b) {
            recorded = dy.clone();
            reference.backward(theta, base, x, y, saved, dy, dx, grad, b);
        }

        @Override
        public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
            reference.exact(tape, base, x, y, b);
        }
    }
}
