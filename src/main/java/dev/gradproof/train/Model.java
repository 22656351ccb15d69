package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Dataset;
import dev.gradproof.network.Forward;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import org.apiguardian.api.API;

/**
 * The reference network a training run is measured by, on its fixed batch: a dense chain or a layer
 * graph. Every run of a comparison uses the same one, so their losses are comparable.
 */
@API(status = INTERNAL, since = "0.2")
public interface Model {

    /**
     * One forward pass.
     *
     * @param output the last layer's output, example by example (what {@link Task#score} reads)
     * @param pass   the network's own record of the pass, for a gradient that reuses it
     */
    record Step(double loss, double[] output, Object pass) {
    }

    int parameters();

    boolean frozen(int p);

    /** A parameter's name as reports write it: {@code W2[3,7]}, {@code conv1.weight[0,0,1,2]}. */
    String name(int p);

    Step forward(double[] theta);

    static Model of(Mlp mlp, Dataset data) {
        ParameterLayout layout = mlp.layout();
        return new Model() {
            public int parameters() {
                return layout.total();
            }

            public boolean frozen(int p) {
                return layout.isFrozen(p);
            }

            public String name(int p) {
                return layout.name(p);
            }

            public Step forward(double[] theta) {
                Forward f = mlp.forward(theta, data);
                return new Step(f.loss, f.a[f.a.length - 1], f);
            }
        };
    }

    static Model of(GraphNetwork g, GraphData data) {
        GraphLayout layout = g.layout();
        return new Model() {
            public int parameters() {
                return layout.total();
            }

            public boolean frozen(int p) {
                return layout.frozen(p);
            }

            public String name(int p) {
                return layout.name(p);
            }

            public Step forward(double[] theta) {
                GraphForward f = g.forward(theta, data);
                return new Step(f.loss, f.output(), f);
            }
        };
    }
}
