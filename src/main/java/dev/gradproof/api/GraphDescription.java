package dev.gradproof.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apiguardian.api.API;

/**
 * A layer graph as an implementation must build it: what {@code hello} of protocol 2 carries
 * (docs/PROTOCOL.md), in Java. Every option is filled in (defaults included), under the spec's key
 * names, so an implementation never guesses a default. Maps keep their order (parameters in layout order).
 *
 * @param input     one example's input shape
 * @param inputKind {@code features}, {@code sequence}, {@code channels} or {@code tokens} (integer ids)
 * @param layers    in order; each reads the layers its {@code from} names ({@code input} is the input)
 * @param loss      {@code type}, {@code reduction}, {@code l2}, {@code l2_biases}, {@code delta}, {@code steps},
 *                  and {@code l2_tensors}: the names of the tensors the L2 penalty runs over
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record GraphDescription(List<Integer> input, String inputKind, List<Layer> layers, Map<String, Object> loss) {

    public GraphDescription {
        input = List.copyOf(input);
        layers = List.copyOf(layers);
        loss = ordered(loss);
    }

    private static <V> Map<String, V> ordered(Map<String, V> m) {
        return Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /**
     * @param name       the layer's name, also its parameters' prefix ({@code conv1.weight})
     * @param type       {@code conv2d}, {@code lstm}, ... (specs/README.md)
     * @param from       the layers it reads
     * @param activation its elementwise activation ({@code tanh}, {@code softmax}, ...), or null
     * @param options    its type's options, every default filled in
     * @param parameters its tensors, by full name, with their shapes, in layout order
     * @param output     one example's output shape
     * @param outputKind what the output's axes mean: {@code features}, {@code channels}, {@code sequence}
     * @param activationOptions the activation's own: {@code slope} (leaky_relu), {@code alpha} (elu),
     *                   {@code value} (custom: f as an expression in x); empty for the others
     */
    public record Layer(String name, String type, List<String> from, String activation, Map<String, Object> options,
                        Map<String, List<Integer>> parameters, List<Integer> output, String outputKind,
                        Map<String, Object> activationOptions) {
        public Layer {
            from = List.copyOf(from);
            options = ordered(options);
            parameters = ordered(parameters);
            output = List.copyOf(output);
            activationOptions = ordered(activationOptions);
        }

        /** Without the output's kind and the activation's options. */
        public Layer(String name, String type, List<String> from, String activation, Map<String, Object> options,
                     Map<String, List<Integer>> parameters, List<Integer> output) {
            this(name, type, from, activation, options, parameters, output, null, Map.of());
        }
    }
}
