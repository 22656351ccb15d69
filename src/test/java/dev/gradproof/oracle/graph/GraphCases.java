package dev.gradproof.oracle.graph;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.Catalogue;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.Sample;
import dev.gradproof.network.graph.SampleData;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Every catalogue case the graph tests run on: each layer type's samples and random draws, each loss,
 * each activation. A layer type added to the catalogue shows up here without a line changed.
 */
final class GraphCases {
    private GraphCases() {
    }

    static final LossOptions SQUARED = LossOptions.of(LossOptions.Kind.SQUARED_ERROR);

    /** Each layer type's fixed samples, then {@code random} random ones per type, with a squared-error loss. */
    static List<GraphCase> layers(int random, long seed) {
        List<GraphCase> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Catalogue.Entry e : Catalogue.layers()) {
            for (Sample s : e.samples()) {
                out.add(draw(e + ": " + s.name(), s, SQUARED, rnd.nextLong()));
            }
            for (int i = 0; i < random; i++) {
                Sample s = e.random().apply(rnd.split());
                out.add(draw(e + ": " + s.name(), s, SQUARED, rnd.nextLong()));
            }
        }
        return out;
    }

    static GraphCase layer(Catalogue.Entry e, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Sample s = e.random().apply(rnd.split());
        return draw(e + ": " + s.name(), s, SQUARED, rnd.nextLong());
    }

    static List<GraphCase> losses(long seed) {
        List<GraphCase> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Catalogue.LossCase l : Catalogue.losses()) {
            out.add(draw("loss " + l.name(), l.sample(), l.options(), rnd.nextLong()));
        }
        return out;
    }

    static List<GraphCase> activations(long seed) {
        List<GraphCase> out = new ArrayList<>();
        SplittableRandom rnd = new SplittableRandom(seed);
        for (Activation a : Catalogue.activations()) {
            Sample s = Sample.of("dense " + a.name(), Shape.features(4), 3, b -> b.dense(null, 5).activation(a)
                    .dense(null, 2));
            out.add(draw("activation " + a.name(), s, SQUARED, rnd.nextLong()));
            Sample coarse = Sample.of("dense " + a.name() + " on integers", Shape.features(3), 4,
                    b -> b.dense(null, 4).activation(a).dense(null, 2)).withInputs(SampleData::coarse)
                    .withTheta((layout, theta) -> {
                        for (int p = 0; p < theta.length; p++) {
                            theta[p] = layout.isBias(p) ? 0 : Math.rint(2 * theta[p]);
                        }
                    });
            out.add(draw("activation " + a.name() + " at its kink", coarse, SQUARED, rnd.nextLong()));
        }
        return out;
    }

    /**
     * Cases past the engine's size thresholds, which the catalogue's small samples stay under: a dense layer
     * or attention at 16 positions or more sums with W by columns (and a perturbed pass reuses the unmoved
     * columns).
     * Kept apart from the catalogue so that its samples' seeds, drawn in sequence, stay as they are.
     */
    static List<GraphCase> enginePaths(long seed) {
        Sample wide = Sample.of("dense at 16 positions (W by columns), twice", Shape.sequence(8, 3), 2,
                b -> b.dense(null, 5).activation(Activations.tanh()).dense(null, 2));
        Sample attention = Sample.of("attention at 16 positions (W by columns), then dense", Shape.sequence(8, 4), 2,
                b -> b.attention(null, 2, true).dense(null, 3));
        Sample unbiased = Sample.of("attention without bias at 18 positions", Shape.sequence(6, 4), 3,
                b -> b.layer(null, new AttentionOptions(2, 4, false, false)));
        return List.of(draw("engine path: " + wide.name(), wide, SQUARED, seed),
                draw("engine path: " + attention.name(), attention, SQUARED, seed + 1),
                draw("engine path: " + unbiased.name(), unbiased, SQUARED, seed + 2));
    }

    static List<GraphCase> all(long seed) {
        List<GraphCase> out = new ArrayList<>(layers(3, seed));
        out.addAll(losses(seed + 1));
        out.addAll(activations(seed + 2));
        out.addAll(enginePaths(seed + 3));
        return out;
    }

    static GraphCase draw(String name, Sample s, LossOptions loss, long seed) {
        GraphNetwork g = s.network(loss);
        GraphCase c = s.draw(g, seed);
        return new GraphCase(name, c.network(), c.theta(), c.data());
    }
}
