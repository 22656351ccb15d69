package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.List;
import org.apiguardian.api.API;

/**
 * A layer's options, validated when constructed (each failure names its option key), with the rules
 * that depend on the input: the output shape and the parameter tensors.
 *
 * <p>Input problems (a kind of tensor the layer cannot take, shapes that do not join) carry the key
 * {@code input}: the layer's {@code from:}, or the previous layer in a chain.
 */
@API(status = INTERNAL, since = "0.2")
public sealed interface LayerOptions permits DenseOptions, ConvOptions, PoolOptions, GlobalAvgPoolOptions,
        FlattenOptions, BatchNormOptions, LayerNormOptions, DropoutOptions, EmbeddingOptions, PositionEmbeddingOptions,
        RecurrentOptions, AttentionOptions, AddOptions, ConcatOptions {

    LayerType type();

    /** The shape of one example's output, given its inputs' shapes and (for messages) their names. */
    Shape outputShape(List<Shape> inputs, List<String> inputNames);

    /** Its parameter tensors in layout order, PyTorch's names and shapes; empty for parameter-free layers. */
    List<ParameterTensor> parameters(List<Shape> inputs);

    /**
     * Its options as a spec writes them, every default filled in: what an implementation under test is told
     * (protocol 2's {@code hello}, {@code GraphDescription}). Keys are the spec's ({@code out_channels},
     * {@code normalized_shape}, {@code return}); what the type itself says (conv's axes, pool's kind,
     * the recurrent cell) is left out.
     */
    default Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (RecordComponent c : getClass().getRecordComponents()) {
            String name = c.getName();
            if (name.equals("axes") || name.equals("max") || name.equals("cell")) {
                continue;
            }
            Object value;
            try {
                value = c.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (name.equals("returnSequence")) {
                out.put("return", Boolean.TRUE.equals(value) ? "sequence" : "last");
                continue;
            }
            if (value instanceof int[] ints) {
                List<Integer> list = new ArrayList<>();
                for (int i : ints) {
                    list.add(i);
                }
                value = list;
            }
            if (value != null) {
                out.put(name.replaceAll("([A-Z])", "_$1").toLowerCase(java.util.Locale.ROOT), value);
            }
        }
        return out;
    }

    /** How many inputs it joins: exactly one for all but add and concat. */
    default boolean joins() {
        return false;
    }

    default Shape outputShape(List<Shape> inputs) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) {
            names.add("input " + (i + 1));
        }
        return outputShape(inputs, names);
    }

    // ---- shared checks ----

    /** The single input, or an {@code input} error naming how many there were. */
    static Shape single(LayerType type, List<Shape> inputs) {
        if (inputs.size() != 1) {
            throw new LayerOptionException("input", type.yamlName() + " takes one input, got " + inputs.size());
        }
        return inputs.get(0);
    }

    static void require(boolean ok, String key, String message) {
        if (!ok) {
            throw new LayerOptionException(key, message);
        }
    }

    static int positive(String key, int value) {
        require(value > 0, key, key + " must be a positive integer, got " + value);
        return value;
    }

    /** An integer option given once or per spatial axis ({@code kernel: 3} or {@code kernel: [3, 5]}). */
    static int[] perAxis(String key, int[] value, int axes, int min) {
        require(value != null && (value.length == 1 || value.length == axes), key, key + " needs 1"
                + (axes > 1 ? " or " + axes : "") + " value" + (axes > 1 ? "s" : "") + ", got "
                + (value == null ? "none" : value.length));
        int[] out = new int[axes];
        for (int a = 0; a < axes; a++) {
            out[a] = value.length == 1 ? value[0] : value[a];
            require(out[a] >= min, key, key + " must be " + (min == 0 ? "non-negative" : "at least " + min) + ", got "
                    + out[a]);
        }
        return out;
    }

    /** "height"/"width" for 2-D, "length" for 1-D: which spatial axis a message is about. */
    static String axisName(int axis, int axes) {
        return axes == 1 ? "length" : axis == 0 ? "height" : "width";
    }

    static int fanOf(List<Shape> inputs) {
        return inputs.isEmpty() ? 1 : inputs.get(0).size();
    }
}
