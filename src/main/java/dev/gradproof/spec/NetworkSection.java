package dev.gradproof.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@code network: {inputs, layers}}, with the size limits applied before anything is built from it. */
final class NetworkSection {

    private NetworkSection() {
    }

    static NetworkSpec read(Field field, Limits limits) throws SpecException {
        Fields graph = field.map();
        if (GraphSection.isGraph(graph)) {
            return NetworkSpec.of(GraphSection.read(graph, limits));
        }
        Fields map = field.map().allow("inputs", "layers");
        int inputs = (int) map.require("inputs").count(limits.maxUnits(), n -> String.format(Locale.ROOT,
                "%s inputs exceed the limit of %,d (raise it with --max-units)", n, limits.maxUnits()));
        Field layersField = map.require("layers");
        List<Field> items = layersField.list("a non-empty list of layers");
        if (items.isEmpty()) {
            throw layersField.error("expected a non-empty list of layers, got an empty list");
        }
        if (items.size() > limits.maxLayers()) {
            throw layersField.error(String.format(Locale.ROOT,
                    "%,d layers exceed the limit of %,d (raise it with --max-layers)", items.size(), limits.maxLayers()));
        }
        List<LayerSpec> layers = new ArrayList<>(items.size());
        for (Field item : items) {
            layers.add(layer(item, limits, layers.size() == items.size() - 1));
        }
        BigInteger parameters = BigInteger.ZERO;
        long fanIn = inputs;
        for (LayerSpec layer : layers) {
            long units = layer.units();
            parameters = parameters.add(BigInteger.valueOf(units).multiply(BigInteger.valueOf(fanIn + (layer.bias() ? 1 : 0))));
            fanIn = units;
        }
        if (parameters.compareTo(BigInteger.valueOf(limits.maxParameters())) > 0) {
            throw field.error(String.format(Locale.ROOT, "%,d parameters exceed the limit of %,d (raise it with --max-parameters)",
                    parameters, limits.maxParameters()));
        }
        if (layers.stream().allMatch(LayerSpec::frozen)) {
            throw layersField.error("every layer is frozen, so no parameter is left to check");
        }
        return new NetworkSpec(inputs, layers);
    }

    private static LayerSpec layer(Field field, Limits limits, boolean last) throws SpecException {
        Fields map = field.map().allow("units", "activation", "bias", "frozen");
        int units = (int) map.require("units").count(limits.maxUnits(), n -> String.format(Locale.ROOT,
                "%s units exceed the limit of %,d per layer (raise it with --max-units)", n, limits.maxUnits()));
        Field activationField = map.require("activation");
        ActivationSpec activation = ActivationSection.read(activationField);
        if (activation.name().equals("softmax") && !last) {
            throw activationField.error("softmax is allowed only on the last layer: backpropagation through hidden "
                    + "layers takes elementwise activations, and softmax couples all units of its layer");
        }
        boolean bias = !map.has("bias") || map.get("bias").bool();
        boolean frozen = map.has("frozen") && map.get("frozen").bool();
        return new LayerSpec(units, activation, bias, frozen);
    }
}
