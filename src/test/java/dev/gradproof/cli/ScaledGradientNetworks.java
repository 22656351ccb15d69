package dev.gradproof.cli;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.campaign.MisbehavingNetworks;

/**
 * Correct dense networks whose returned gradient is scaled, with the spec's loss: the batch-summed convention
 * (exactly N times) and the factors that must not pass for it. Loaded by the CLI as {@code java:} columns.
 */
public final class ScaledGradientNetworks {
    private ScaledGradientNetworks() {
    }

    /** Scales layer l's weights by weight(l, N) and its biases by bias(l, N). */
    abstract static class Scaled extends MisbehavingNetworks.Correct {
        abstract double weight(int layer, int examples);

        double bias(int layer, int examples) {
            return weight(layer, examples);
        }

        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            Parameters g = e.gradient();
            for (int l = 1; l <= g.layers(); l++) {
                for (double[] row : g.weights(l)) {
                    for (int j = 0; j < row.length; j++) {
                        row[j] *= weight(l, batch.size());
                    }
                }
                double[] b = g.biases(l);
                for (int j = 0; b != null && j < b.length; j++) {
                    b[j] *= bias(l, batch.size());
                }
            }
            return e;
        }
    }

    /** The gradient summed over the batch, the loss its mean: Deeplearning4j's pair. */
    public static class BatchSummed extends Scaled {
        @Override
        double weight(int layer, int examples) {
            return examples;
        }
    }

    /** Squared error without the ½: loss and gradient twice the spec's, each consistent with the other. */
    public static class WithoutTheHalf extends Scaled {
        @Override
        double weight(int layer, int examples) {
            return 2;
        }

        @Override
        public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
            Evaluation e = super.evaluate(network, parameters, batch);
            return new Evaluation(2 * e.loss(), e.gradient());
        }

        @Override
        public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
            return 2 * super.loss(network, parameters, batch);
        }
    }

    /** A missing ½: twice the gradient. */
    public static class Doubled extends Scaled {
        @Override
        double weight(int layer, int examples) {
            return 2;
        }
    }

    /** N times, but one part in ten million off: a constant ratio that is not N. */
    public static class NearlyBatchSummed extends Scaled {
        @Override
        double weight(int layer, int examples) {
            return examples * (1 + 1e-7);
        }
    }

    /** N times everywhere but the last layer's biases, which are right. */
    public static class BatchSummedButTheLastBiases extends Scaled {
        @Override
        double weight(int layer, int examples) {
            return examples;
        }

        @Override
        double bias(int layer, int examples) {
            return layer == 2 ? 1 : examples;
        }
    }
}
