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
        Fields graph = field.map(List.of("inputs", "input", "layers"));
        if (GraphSection.isGraph(graph)) {
            return NetworkSpec.of(GraphSection.read(graph, limits));
        }
        Problems problems = new Problems();
        problems.check(() -> graph.allow("inputs", "layers"));
        Integer inputs = problems.read(() -> (int) graph.require("inputs").count(limits.maxUnits(), n -> String.format(
                Locale.ROOT, "%s inputs exceed the limit of %,d (raise it with --max-units)", n, limits.maxUnits())));
        List<LayerSpec> layers = problems.read(() -> layers(graph.require("layers"), limits));
        problems.throwIfAny();
        Field layersField = graph.get("layers");
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

    /** Every layer, each read on its own so that the problems of all of them are reported. */
    private static List<LayerSpec> layers(Field layersField, Limits limits) throws SpecException {
        List<Field> items = layersField.list("a non-empty list of layers");
        if (items.isEmpty()) {
            throw layersField.error("expected a non-empty list of layers, got an empty list");
        }
        if (items.size() > limits.maxLayers()) {
            throw layersField.error(String.format(Locale.ROOT,
                    "%,d layers exceed the limit of %,d (raise it with --max-layers)", items.size(), limits.maxLayers()));
        }
        Problems problems = new Problems();
        List<LayerSpec> layers = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            Field item = items.get(i);
            boolean last = i == items.size() - 1;
            layers.add(problems.read(() -> layer(item, limits, last)));
        }
        problems.throwIfAny();
        return layers;
    }

    private static LayerSpec layer(Field field, Limits limits, boolean last) throws SpecException {
        Fields map = field.map();
        Problems problems = new Problems();
        problems.check(() -> map.allow("units", "activation", "bias", "frozen"));
        Integer units = problems.read(() -> (int) map.require("units").count(limits.maxUnits(), n -> String.format(
                Locale.ROOT, "%s units exceed the limit of %,d per layer (raise it with --max-units)", n, limits.maxUnits())));
        ActivationSpec activation = problems.read(() -> activation(map.require("activation"), last));
        Boolean bias = problems.read(() -> !map.has("bias") || map.get("bias").bool());
        Boolean frozen = problems.read(() -> map.has("frozen") && map.get("frozen").bool());
        problems.throwIfAny();
        return new LayerSpec(units, activation, bias, frozen);
    }

    private static ActivationSpec activation(Field field, boolean last) throws SpecException {
        ActivationSpec activation = ActivationSection.read(field);
        if (activation.name().equals("softmax") && !last) {
            throw field.error("softmax is allowed only on the last layer: backpropagation through hidden "
                    + "layers takes elementwise activations, and softmax couples all units of its layer");
        }
        return activation;
    }
}
