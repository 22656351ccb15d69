package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.ActivationSpec;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;

import java.util.List;
import org.apiguardian.api.API;

/** Builds the reference network a spec describes. */
@API(status = INTERNAL, since = "0.2")
public final class NetworkFactory {
    private NetworkFactory() {
    }

    public static ParameterLayout layout(NetworkSpec network) {
        List<LayerSpec> layers = network.layers();
        int[] sizes = new int[layers.size() + 1];
        boolean[] bias = new boolean[layers.size()];
        boolean[] frozen = new boolean[layers.size()];
        sizes[0] = network.inputs();
        for (int l = 0; l < layers.size(); l++) {
            sizes[l + 1] = layers.get(l).units();
            bias[l] = layers.get(l).bias();
            frozen[l] = layers.get(l).frozen();
        }
        return new ParameterLayout(sizes, bias, frozen);
    }

    public static Mlp build(Spec spec) {
        ParameterLayout layout = layout(spec.network());
        List<LayerSpec> layers = spec.network().layers();
        Activation[] acts = new Activation[layers.size()];
        for (int l = 0; l < layers.size(); l++) {
            acts[l] = activation(layers.get(l).activation());
        }
        LossSpec loss = spec.loss();
        OutputStage output = OutputStage.of(acts[acts.length - 1], loss(loss.type()), layout.size(layout.layers()));
        return new Mlp(layout, acts, output, loss.reduction() == LossSpec.Reduction.MEAN, loss.l2(), loss.l2Biases());
    }

    /** The activation a spec names; null for softmax, which only the output stage handles. */
    public static Activation activation(ActivationSpec spec) {
        Activation base = switch (spec.name()) {
            case "identity" -> Activations.identity();
            case "sigmoid" -> Activations.sigmoid();
            case "tanh" -> Activations.tanh();
            case "relu" -> Activations.relu();
            case "leaky_relu" -> Activations.leakyRelu(spec.slope());
            case "elu" -> Activations.elu(spec.alpha());
            case "softplus" -> Activations.softplus();
            case "softmax" -> null;
            case "custom" -> new ExpressionActivation(spec.value(), spec.derivative());
            default -> throw new IllegalArgumentException("unknown activation " + spec.name());
        };
        if (spec.overridesDerivative() && base != null) {
            return new OverriddenDerivative(base, spec.derivative());
        }
        return base;
    }

    public static Loss loss(LossSpec.LossType type) {
        return switch (type) {
            case SQUARED_ERROR -> Losses.SQUARED_ERROR;
            case MSE -> Losses.MSE;
            case BINARY_CROSS_ENTROPY -> Losses.BINARY_CROSS_ENTROPY;
            case SOFTMAX_CROSS_ENTROPY -> Losses.CROSS_ENTROPY;
            // A spec with these is a layer graph by the time anything builds it (SpecLoader routes it there).
            case L1, HUBER, HINGE, KL_DIVERGENCE -> throw new IllegalArgumentException(type.yamlName()
                    + " is a loss of the layer-graph engine, not of the dense chain");
        };
    }
}
