package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.Sample;
import dev.gradproof.network.graph.SampleData;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.RecurrentOptions;
import dev.gradproof.spec.layers.Shape;
import org.apiguardian.api.API;

/**
 * The real architectures issue #14 measures against PyTorch's gradcheck (BENCHMARKS.md), built with the
 * graph builder and drawn with random data of the real shapes: LeNet-5, a ResNet basic block, a
 * character LSTM and a tiny transformer block.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphWorkloads {
    private GraphWorkloads() {
    }

    static final LossOptions CROSS_ENTROPY = LossOptions.of(LossOptions.Kind.SOFTMAX_CROSS_ENTROPY);

    /** LeNet-5 on 1×28×28 (44,426 parameters): conv 6@5×5, tanh, max-pool, conv 16@5×5, tanh, max-pool, 120, 84, 10. */
    public static GraphCase lenet5(int batch, long seed) {
        Sample s = Sample.of("LeNet-5", Shape.channels(1, 28, 28), batch, b -> b
                .conv2d("conv1", 6, 5, 1, 0).activation(Activations.tanh())
                .maxPool2d(2)
                .conv2d("conv2", 16, 5, 1, 0).activation(Activations.tanh())
                .maxPool2d(2)
                .flatten()
                .dense("fc1", 120).activation(Activations.tanh())
                .dense("fc2", 84).activation(Activations.tanh())
                .dense("fc3", 10).softmax());
        return s.draw(s.network(CROSS_ENTROPY), seed);
    }

    /**
     * A character LSTM (7,870 parameters): embedding 30×16 of 20 tokens (repeats certain), LSTM 32 returning
     * every step, dense 30 with softmax, cross-entropy at every step (mean over steps).
     */
    public static GraphCase charLstm(int batch, long seed) {
        Sample s = Sample.of("char-LSTM", Shape.tokens(20), batch, b -> b
                .embedding("embed", 30, 16)
                .recurrent("lstm", RecurrentOptions.Cell.LSTM, 32, true)
                .dense("out", 30).softmax()).withInputs(SampleData.tokens(30));
        return s.draw(s.network(CROSS_ENTROPY), seed);
    }

    /**
     * A ResNet basic block (1,290 parameters) on 8×12×12: conv 3×3 (padding 1), batch norm, relu, conv,
     * batch norm, plus the identity, relu, global average pool, dense 10 with softmax.
     */
    public static GraphCase resnetBlock(int batch, long seed) {
        Sample s = Sample.of("ResNet basic block", Shape.channels(8, 12, 12), batch, b -> b
                .conv2d("conv1", 8, 3, 1, 1)
                .batchNorm("bn1").activation(Activations.relu())
                .conv2d("conv2", 8, 3, 1, 1)
                .batchNorm("bn2")
                .add("skip", "input", "bn2").activation(Activations.relu())
                .globalAvgPool()
                .dense("fc", 10).softmax());
        return s.draw(s.network(CROSS_ENTROPY), seed);
    }

    /**
     * A tiny transformer block (11,006 parameters): embedding 30×32 plus learned positions on 16 tokens,
     * 2-head causal self-attention, residual, layer norm, dense 64 relu, dense 32, residual, layer norm,
     * dense 30 with softmax, cross-entropy at every token.
     */
    public static GraphCase transformerBlock(int batch, long seed) {
        Sample s = Sample.of("transformer block", Shape.tokens(16), batch, b -> b
                .embedding("embed", 30, 32)
                .positionEmbedding("pos")
                .attention("attn", 2, true)
                .add("res1", "pos", "attn")
                .layerNorm("norm1")
                .dense("ff1", 64).activation(Activations.relu())
                .dense("ff2", 32)
                .add("res2", "norm1", "ff2")
                .layerNorm("norm2")
                .dense("out", 30).softmax()).withInputs(SampleData.tokens(30));
        return s.draw(s.network(CROSS_ENTROPY), seed);
    }
}
