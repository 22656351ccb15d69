package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code rnn} (tanh), {@code lstm}, {@code gru} on a sequence [T, F] from a zero initial state,
 * PyTorch's equations and gate order (LSTM i, f, g, o; GRU r, z, n). Output: every step's hidden
 * state [T, hidden], or the last one [hidden] with {@code return: last}. Parameters {@code weight_ih}
 * [G·hidden, F], {@code weight_hh} [G·hidden, hidden], {@code bias_ih} and {@code bias_hh} [G·hidden]
 * with G = 1, 4, 3 (PyTorch's nn.LSTM calls them {@code weight_ih_l0} ...).
 */
@API(status = INTERNAL, since = "0.2")
public record RecurrentOptions(Cell cell, int hidden, boolean returnSequence, boolean bias) implements LayerOptions {

    public enum Cell {
        RNN(1), LSTM(4), GRU(3);

        private final int gates;

        Cell(int gates) {
            this.gates = gates;
        }

        public int gates() {
            return gates;
        }
    }

    public RecurrentOptions {
        LayerOptions.require(cell != null, "type", "no recurrent cell given");
        LayerOptions.positive("hidden", hidden);
    }

    public LayerType type() {
        return switch (cell) {
            case RNN -> LayerType.RNN;
            case LSTM -> LayerType.LSTM;
            case GRU -> LayerType.GRU;
        };
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.SEQUENCE) {
            throw new LayerOptionException("input", type().yamlName() + " needs a sequence [T, F]; its input is "
                    + in.describe());
        }
        return returnSequence ? Shape.sequence(in.dim(0), hidden) : Shape.features(hidden);
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        Shape in = LayerOptions.single(type(), inputs);
        outputShape(inputs);
        int g = cell.gates() * hidden;
        int f = in.dim(1);
        List<ParameterTensor> out = new ArrayList<>();
        out.add(new ParameterTensor("weight_ih", new int[] {g, f}, ParameterTensor.Role.WEIGHT, f, g));
        out.add(new ParameterTensor("weight_hh", new int[] {g, hidden}, ParameterTensor.Role.WEIGHT, hidden, g));
        if (bias) {
            out.add(new ParameterTensor("bias_ih", new int[] {g}, ParameterTensor.Role.BIAS, f, g));
            out.add(new ParameterTensor("bias_hh", new int[] {g}, ParameterTensor.Role.BIAS, hidden, g));
        }
        return out;
    }
}
