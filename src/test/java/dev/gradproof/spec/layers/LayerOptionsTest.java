package dev.gradproof.spec.layers;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Shape inference and its messages: plain sentences naming the option key. */
class LayerOptionsTest {

    private static LayerOptionException fails(Runnable r) {
        return assertThrows(LayerOptionException.class, r::run);
    }

    @Test
    void convolutionOutputSizesFollowPyTorch() {
        // ⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1
        assertEquals(Shape.channels(4, 3, 3), ConvOptions.conv2d(4, 3, 2, 1).outputShape(List.of(Shape.channels(2, 6, 5))));
        assertEquals(Shape.channels(2, 1, 1), new ConvOptions(2, 2, new int[] {4, 3}, null, null, null, true)
                .outputShape(List.of(Shape.channels(1, 4, 3))));
        assertEquals(Shape.channels(2, 3), new ConvOptions(1, 2, new int[] {3}, null, null, new int[] {3}, true)
                .outputShape(List.of(Shape.channels(1, 9))));
        assertArrayEquals(new int[] {4, 2, 3, 3}, ConvOptions.conv2d(4, 3, 1, 0).parameters(List.of(Shape.channels(2, 5, 5)))
                .get(0).shape());
        ParameterTensor w = ConvOptions.conv1d(4, 3, 1, 0).parameters(List.of(Shape.channels(2, 5))).get(0);
        assertEquals(6, w.fanIn());
        assertEquals(12, w.fanOut());
    }

    @Test
    void aKernelLargerThanItsPaddedInputIsExplained() {
        LayerOptionException e = fails(() -> ConvOptions.conv2d(2, 7, 1, 1).outputShape(List.of(Shape.channels(1, 3, 9))));
        assertEquals("kernel", e.key());
        assertEquals("kernel 7 (height) is larger than the padded input 5 (input 3 + 2×padding 1)", e.getMessage());
        e = fails(() -> new ConvOptions(1, 2, new int[] {3}, null, null, new int[] {2}, true)
                .outputShape(List.of(Shape.channels(1, 4))));
        assertEquals("kernel 3 with dilation 2 spans 5, which is more than the padded input 4 (input 4 + 2×padding 0)",
                e.getMessage());
        e = fails(() -> PoolOptions.max(3).outputShape(List.of(Shape.channels(1, 5, 2))));
        assertEquals("kernel 3 (width) is larger than the padded input 2 (input 2 + 2×padding 0)", e.getMessage());
    }

    @Test
    void optionsOutOfRangeNameTheirKey() {
        assertEquals("stride", fails(() -> new ConvOptions(2, 1, new int[] {3}, new int[] {0}, null, null, true)).key());
        assertEquals("kernel", fails(() -> new ConvOptions(2, 1, new int[] {3, 3, 3}, null, null, null, true)).key());
        assertEquals("kernel needs 1 or 2 values, got 3",
                fails(() -> new ConvOptions(2, 1, new int[] {3, 3, 3}, null, null, null, true)).getMessage());
        assertEquals("padding 2 (height) is more than half the kernel 3: a window could then cover padding only"
                + " (PyTorch refuses it too)", fails(() -> new PoolOptions(true, new int[] {3}, null, new int[] {2})).getMessage());
        assertEquals("out_channels", fails(() -> ConvOptions.conv2d(0, 3, 1, 0)).key());
    }

    @Test
    void layersRefuseTheWrongKindOfInput() {
        assertEquals("conv2d needs channels [C, H, W]; its input is features [12]",
                fails(() -> ConvOptions.conv2d(2, 3, 1, 0).outputShape(List.of(Shape.features(12)))).getMessage());
        assertEquals("conv1d needs channels [C, L]; its input is sequence [5, 3] (steps, features)",
                fails(() -> ConvOptions.conv1d(2, 3, 1, 0).outputShape(List.of(Shape.sequence(5, 3)))).getMessage());
        assertEquals("global_avg_pool needs channels [C, L] or [C, H, W]; its input is features [4]",
                fails(() -> new GlobalAvgPoolOptions().outputShape(List.of(Shape.features(4)))).getMessage());
        assertEquals("input", fails(() -> PoolOptions.avg(2).outputShape(List.of(Shape.channels(2, 4)))).key());
    }

    @Test
    void normalisationEmbeddingAndDropoutRules() {
        assertEquals("normalized_shape [8] must be the input's trailing dimensions; the input is sequence [16, 32]"
                + " (steps, features)", fails(() -> new LayerNormOptions(new int[] {8}, 1e-5, true)
                .outputShape(List.of(Shape.sequence(16, 32)))).getMessage());
        assertArrayEquals(new int[] {3, 3}, new LayerNormOptions(new int[] {3, 3}, 1e-5, true)
                .parameters(List.of(Shape.channels(2, 3, 3))).get(0).shape());
        assertEquals("input", fails(() -> BatchNormOptions.defaults().outputShape(List.of(Shape.sequence(4, 3)))).key());
        assertEquals("eps", fails(() -> new BatchNormOptions(0, true)).key());
        assertEquals("p must be in [0, 1), got 1.0", fails(() -> new DropoutOptions(1)).getMessage());
        assertEquals(Shape.sequence(5, 3), new EmbeddingOptions(10, 3).outputShape(List.of(Shape.tokens(5))));
        assertEquals("embedding needs token ids [T]; its input is features [5]",
                fails(() -> new EmbeddingOptions(10, 3).outputShape(List.of(Shape.features(5)))).getMessage());
        assertEquals(ParameterTensor.Role.SCALE, BatchNormOptions.defaults().parameters(List.of(Shape.features(3)))
                .get(0).role());
    }

    @Test
    void recurrentAndAttentionRules() {
        RecurrentOptions lstm = new RecurrentOptions(RecurrentOptions.Cell.LSTM, 32, true, true);
        assertEquals(Shape.sequence(20, 32), lstm.outputShape(List.of(Shape.sequence(20, 16))));
        List<ParameterTensor> p = lstm.parameters(List.of(Shape.sequence(20, 16)));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), p.stream().map(ParameterTensor::name).toList());
        assertArrayEquals(new int[] {128, 16}, p.get(0).shape());
        assertArrayEquals(new int[] {128, 32}, p.get(1).shape());
        assertEquals(Shape.features(8), new RecurrentOptions(RecurrentOptions.Cell.GRU, 8, false, true)
                .outputShape(List.of(Shape.sequence(3, 2))));
        assertEquals("dim 32 is not divisible by heads 3", fails(() -> new AttentionOptions(3, 32, false, true)).getMessage());
        assertEquals("dim 32 does not match the input's 16 features (input sequence [4, 16] (steps, features))",
                fails(() -> new AttentionOptions(2, 32, false, true).outputShape(List.of(Shape.sequence(4, 16)))).getMessage());
        assertEquals(List.of("in_proj_weight", "in_proj_bias", "out_proj.weight", "out_proj.bias"),
                new AttentionOptions(2, 0, true, true).parameters(List.of(Shape.sequence(4, 8))).stream()
                        .map(ParameterTensor::name).toList());
    }
}
