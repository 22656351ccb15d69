package com.example.nn;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;

/** TanhNetwork as gradproof sees it: parameters in, loss and gradient out. */
final class TanhNetworkUnderTest implements NetworkUnderTest {
    private final TanhNetwork network;
    private final String name;

    TanhNetworkUnderTest(boolean tutorialBug) {
        this.network = new TanhNetwork(tutorialBug);
        this.name = tutorialBug ? "TanhNetwork with the tutorial's tanh'" : "TanhNetwork";
    }

    @Override
    public Evaluation evaluate(NetworkDescription net, Parameters p, Batch batch) {
        int layers = p.layers();
        double[][][] w = new double[layers][][];
        double[][] b = new double[layers][];
        for (int l = 0; l < layers; l++) {
            w[l] = p.weights(l + 1);
            b[l] = p.biases(l + 1);
        }
        Parameters gradient = Parameters.zerosLike(p);
        double[][][] gw = new double[layers][][];
        double[][] gb = new double[layers][];
        for (int l = 0; l < layers; l++) {
            gw[l] = gradient.weights(l + 1);
            gb[l] = gradient.biases(l + 1);
        }
        double loss = network.lossAndGradient(w, b, batch.x(), batch.y(), gw, gb);
        return new Evaluation(loss, gradient);
    }

    @Override
    public String name() {
        return name;
    }
}
