package dev.gradproof.examples;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Trial;
import dev.gradproof.jqwik.Trials;
import dev.gradproof.junit.Specs;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;

// README example: checking your own backpropagation with a jqwik property. Kept compiling and green here.
class HandWrittenBackpropTest {

    static final GradientSpec SPEC = Specs.load("specs/tanh-tutorial-fixed.yaml");

    @Provide
    Arbitrary<Trial> trials() {
        return Trials.of(SPEC);
    }

    @Property(tries = 20)
    void backpropAgreesWithExactDerivatives(@ForAll("trials") Trial trial) {
        assertThatGradient(new TanhNetwork()).agreesWith(trial);
    }

    /** Tanh hidden layers, a sigmoid output, ½Σ(a − y)²: backprop as a tutorial writes it. */
    static class TanhNetwork implements NetworkUnderTest {
        @Override
        public Evaluation evaluate(NetworkDescription net, Parameters p, Batch batch) {
            int layers = p.layers();
            Parameters grad = Parameters.zerosLike(p);
            double loss = 0;
            for (int n = 0; n < batch.size(); n++) {
                double[][] a = new double[layers + 1][];
                a[0] = batch.x()[n];
                for (int l = 1; l <= layers; l++) {
                    double[][] w = p.weights(l);
                    a[l] = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        double z = p.biases(l) == null ? 0 : p.biases(l)[i];
                        for (int j = 0; j < w[i].length; j++) {
                            z += w[i][j] * a[l - 1][j];
                        }
                        a[l][i] = l < layers ? Math.tanh(z) : 1 / (1 + Math.exp(-z));
                    }
                }
                double[] delta = new double[a[layers].length];
                for (int i = 0; i < delta.length; i++) {
                    double err = a[layers][i] - batch.y()[n][i];
                    loss += 0.5 * err * err;
                    delta[i] = err * a[layers][i] * (1 - a[layers][i]);   // sigmoid' = a(1 - a)
                }
                for (int l = layers; l >= 1; l--) {
                    double[][] w = p.weights(l);
                    double[] below = new double[a[l - 1].length];
                    for (int i = 0; i < w.length; i++) {
                        for (int j = 0; j < w[i].length; j++) {
                            grad.weights(l)[i][j] += delta[i] * a[l - 1][j];
                            below[j] += w[i][j] * delta[i];
                        }
                        if (grad.biases(l) != null) {
                            grad.biases(l)[i] += delta[i];
                        }
                    }
                    for (int j = 0; j < below.length; j++) {
                        below[j] *= 1 - a[l - 1][j] * a[l - 1][j];       // tanh' = 1 - a²
                    }
                    delta = below;
                }
            }
            return new Evaluation(loss, grad);   // the spec sums over examples: no 1/N
        }
    }
}
