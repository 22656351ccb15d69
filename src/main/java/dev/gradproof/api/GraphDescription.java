package dev.gradproof.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.List;
import java.util.Map;

import org.apiguardian.api.API;

/**
 * A layer graph as an implementation must build it: what {@code hello} of protocol 2 carries
 * (docs/PROTOCOL.md), in Java. Every option is filled in (defaults included), under the spec's key
 * names, so an implementation never guesses a default.
 *
 * @param input     one example's input shape
 * @param inputKind {@code features}, {@code sequence}, {@code channels} or {@code tokens} (integer ids)
 * @param layers    in order; each reads the layers its {@code from} names ({@code input} is the input)
 * @param loss      {@code type}, {@code reduction}, {@code l2}, {@code l2_biases}, {@code delta}, {@code steps}
 */
@API(status = EXPERIMENTAL, since = "0.2")
public record GraphDescription(List<Integer> input, String inputKind, List<Layer> layers, Map<String, Object> loss) {

    public GraphDescription {
        input = List.copyOf(input);
        layers = List.copyOf(layers);
        loss = Map.copyOf(loss);
    }

    /**
     * @param name       the layer's name, also its parameters' prefix ({@code conv1.weight})
     * @param type       {@code conv2d}, {@code lstm}, ... (specs/README.md)
     * @param from       the layers it reads
     * @param activation its elementwise activation ({@code tanh}, {@code softmax}, ...), or null
     * @param options    its type's options, every default filled in
     * @param parameters its tensors, by full name, with their shapes
     * @param output     one example's output shape
     */
    public record Layer(String name, String type, List<String> from, String activation, Map<String, Object> options,
                        Map<String, List<Integer>> parameters, List<Integer> output) {
        public Layer {
            from = List.copyOf(from);
            options = Map.copyOf(options);
            parameters = Map.copyOf(parameters);
            output = List.copyOf(output);
        }
    }
}
