package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Dataset;
import dev.gradproof.network.Generators;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialGenerator;
import dev.gradproof.network.CsvData;
import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.layers.EmbeddingOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.Shape;

import java.util.SplittableRandom;

import org.apiguardian.api.API;

/**
 * The layer graph a spec describes, and its trials: trial t of a spec with seed s always gets the same
 * parameters and data (the same seeding as a dense chain's, {@link TrialGenerator#trialSeed}).
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphFactory {
    private GraphFactory() {
    }

    public static GraphNetwork build(Spec spec) {
        GraphSpec graph = spec.network().graph();
        if (graph == null) {
            throw new IllegalArgumentException(spec.name() + " is a dense chain, not a layer graph");
        }
        GraphBuilder b = GraphNetwork.builder().input(graph.input());
        for (GraphSpec.Layer l : graph.layers()) {
            b.layer(l.name(), l.options());
            if (l.from() != null) {
                b.from(l.from().toArray(String[]::new));
            }
            if (l.softmax()) {
                b.softmax();
            } else if (l.activation() != null) {
                b.activation(NetworkFactory.activation(l.activation()));
            }
            if (l.frozen()) {
                b.frozen();
            }
        }
        LossSpec loss = spec.loss();
        b.loss(loss.graphOptions());
        if (loss.reduction() == LossSpec.Reduction.SUM) {
            b.sum();
        } else {
            b.mean();
        }
        b.l2(loss.l2(), loss.l2Biases());
        return b.build();
    }

    /** Trial t: parameters and data drawn from the trial's seed. */
    public static GraphCase draw(Spec spec, GraphNetwork g, int t) {
        return draw(spec, g, t, TrialGenerator.trialSeed(spec.seed(), t));
    }

    /** A trial drawn from an explicit trial seed (a recipe's). */
    public static GraphCase draw(Spec spec, GraphNetwork g, int t, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom weights = root.split();
        SplittableRandom data = root.split();
        double[] theta = GraphInit.draw(g.layout(), spec.weights(), weights);
        return new GraphCase(spec.name() + " trial " + t, g, theta, data(spec, g, data, seed));
    }

    /**
     * A trial as a recipe describes it: the spec's graph narrowed (widths, steps) and its batch cut to
     * {@code examples} (random data only), drawn from the recipe's seed.
     */
    public static GraphTrialCase materialize(Spec spec, GraphRecipe recipe) {
        GraphSpec narrowed = spec.network().graph().narrowed(recipe.widths(), recipe.steps());
        if (narrowed == null) {
            throw new IllegalArgumentException("the recipe " + recipe + " does not fit " + spec.name() + "'s graph");
        }
        DataSpec d = spec.data();
        if (d.csv() == null && d.generator() == null && recipe.examples() > 0) {
            d = new DataSpec(recipe.examples(), d.inputs(), d.targets(), null, d.noise(), null, null);
        }
        Spec s = spec.withNetwork(dev.gradproof.spec.NetworkSpec.of(narrowed)).withData(d);
        GraphNetwork g = build(s);
        return new GraphTrialCase(s, draw(s, g, 0, recipe.seed()), recipe);
    }

    /**
     * The data: a csv file or a generator as for dense chains (rows are flattened examples), or random
     * inputs of the input's shape (token ids uniform over the embedding's vocabulary, with repeats within
     * an example on purpose: an embedding row used twice must accumulate) and targets that suit the loss,
     * per step for a sequence output.
     */
    static GraphData data(Spec spec, GraphNetwork g, SplittableRandom rnd, long seed) {
        DataSpec d = spec.data();
        int in = g.inputShape().size();
        int out = g.outputShape().size();
        if (d.csv() != null || d.generator() != null) {
            Dataset ds = d.csv() != null ? CsvData.of(d.table(), in, out) : Generators.generate(d, in, out, rnd);
            return new GraphData(ds.examples(), ds.x(), ds.y(), seed);
        }
        int n = d.examples();
        double[] x = new double[n * in];
        if (g.inputShape().kind() == Shape.Kind.TOKENS) {
            tokens(x, n, in, vocabulary(spec), rnd);
        } else {
            for (int p = 0; p < x.length; p++) {
                x[p] = TrialGenerator.draw(d.inputs(), rnd);
            }
        }
        return new GraphData(n, x, targets(d.targets(), g, n, rnd), seed);
    }

    private static int vocabulary(Spec spec) {
        for (GraphSpec.Layer l : spec.network().graph().layers()) {
            if (l.options().type() == LayerType.EMBEDDING) {
                return ((EmbeddingOptions) l.options()).vocabulary();
            }
        }
        throw new IllegalArgumentException("token ids need an embedding layer to read them");
    }

    /** Each example's ids from a pool of about half its length, so ids repeat within it. */
    private static void tokens(double[] x, int n, int steps, int vocabulary, SplittableRandom rnd) {
        int pool = Math.max(1, Math.min(vocabulary, (steps + 1) / 2));
        int[] ids = new int[pool];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < pool; i++) {
                ids[i] = rnd.nextInt(vocabulary);
            }
            for (int t = 0; t < steps; t++) {
                x[e * steps + t] = ids[rnd.nextInt(pool)];
            }
        }
    }

    /** One target per output value; classes per step of width K (the loss's), one-hot or 0/1. */
    private static double[] targets(DataSpec.Targets targets, GraphNetwork g, int n, SplittableRandom rnd) {
        int k = g.head().width();
        double[] y = new double[n * g.outputShape().size()];
        for (int off = 0; off < y.length; off += k) {
            switch (targets.kind()) {
                case "one_hot" -> y[off + rnd.nextInt(k)] = 1;
                case "binary" -> {
                    for (int i = 0; i < k; i++) {
                        y[off + i] = rnd.nextBoolean() ? 1 : 0;
                    }
                }
                case "constant" -> {
                    for (int i = 0; i < k; i++) {
                        y[off + i] = targets.value();
                    }
                }
                default -> {
                    for (int i = 0; i < k; i++) {
                        y[off + i] = TrialGenerator.draw(targets.distribution(), rnd);
                    }
                }
            }
        }
        return y;
    }
}
