package dev.gradproof.dl4j;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import org.nd4j.linalg.factory.Nd4j;

import java.util.List;

/**
 * {@code gradproof-dl4j --build}: loads ND4J (which unpacks its native libraries into the javacpp
 * cache on first use) and evaluates a 2-2-1 network once, so that a check's first request does not
 * pay for it. Prints to stdout, which the launcher sends to stderr.
 */
public final class Warmup {
    private Warmup() {
    }

    public static void main(String[] args) {
        long start = System.nanoTime();
        NetworkDescription d = new NetworkDescription(2, List.of(
                new NetworkDescription.Layer(2, 2, "tanh", 0, 0, null, true),
                new NetworkDescription.Layer(2, 1, "sigmoid", 0, 0, null, true)), "squared_error", "mean", 0, false);
        Parameters p = new Parameters(new double[][][] {{{0.5, -0.25}, {1.0, 2.0}}, {{1.0, -1.0}}},
                new double[][] {{0.0, 0.5}, {0.1}});
        Batch b = new Batch(new double[][] {{1, 0}, {0, 1}}, new double[][] {{1}, {0}});
        Evaluation e = new Dl4jNetwork().evaluate(d, p, b);
        System.out.printf("gradproof-dl4j: ND4J backend %s, %s; a 2-2-1 evaluation gave loss %s (%.1f s)%n",
                Nd4j.getBackend().getClass().getSimpleName(), Nd4j.dataType(), e.loss(), (System.nanoTime() - start) / 1e9);
    }
}
