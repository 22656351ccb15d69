package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.AddOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.List;
import java.util.Set;
import org.apiguardian.api.API;

/** {@code add}: y = x₁ + x₂ + ..., summed left to right. */
@API(status = INTERNAL, since = "0.2")
public final class Add extends Layer {
    static final Catalogue.Entry ENTRY = new Catalogue.Entry(LayerType.ADD, Set.of(Catalogue.Flag.JOINS),
            (o, in) -> new Add((AddOptions) o, in),
            List.of(
                    Sample.of("add two branches", Shape.features(4), 3, b -> b
                            .dense("a", 3).activation(Activations.tanh())
                            .dense("b", 3).from("input")
                            .add(null, "a", "b")),
                    Sample.of("add: residual on the input", Shape.features(3), 2, b -> b
                            .dense("f", 3).activation(Activations.tanh())
                            .add(null, "input", "f")),
                    Sample.of("add a layer to itself", Shape.features(3), 2, b -> b
                            .dense("f", 2)
                            .add(null, "f", "f"))),
            rnd -> {
                int f = 1 + rnd.nextInt(4);
                int u = 1 + rnd.nextInt(4);
                return Sample.of("add of " + u, Shape.features(f), 1 + rnd.nextInt(3), b -> b
                        .dense("a", u).activation(Activations.sigmoid())
                        .dense("b", u).from("input")
                        .dense("c", u).from("input")
                        .add(null, "a", "b", "c"));
            });

    private final int size;

    public Add(AddOptions o, List<Shape> inputs) {
        super(o, inputs);
        size = out.size();
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        for (int r = 0; r < b.count(); r++) {
            int n = b.row(r);
            for (int i = n * size; i < (n + 1) * size; i++) {
                double s = 0;
                for (double[] xk : x) {
                    s += xk[i];
                }
                y[i] = s;
            }
        }
        return null;
    }

    @Override
    public int[] outputsChanged(int k, int[] changed) {
        return changed;
    }

    @Override
    public Object forwardChanged(double[] theta, int base, double[][] x, double[][] xBase, int[][] changed, double[] y,
                                 Object saved, Batch b) {
        int[] all = IndexSets.union(changed);
        for (int r = 0; r < b.count(); r++) {
            int o = b.row(r) * size;
            for (int i : all) {
                double s = 0;
                for (double[] xk : x) {
                    s += xk[o + i];
                }
                y[o + i] = s;
            }
        }
        return null;
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        for (double[] d : dx) {
            if (d != null) {
                for (int i = 0; i < dy.length; i++) {
                    d[i] += dy[i];
                }
            }
        }
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        for (int i = 0; i < y.length; i++) {
            tape.begin(0);
            for (int[] xk : x) {
                tape.term(1, xk[i]);
            }
            y[i] = tape.end();
        }
    }
}
