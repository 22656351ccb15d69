package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Locale;
import java.util.Optional;
import org.apiguardian.api.API;

/** Every layer type a graph may use, by the name a spec writes in {@code type:}. */
@API(status = INTERNAL, since = "0.2")
public enum LayerType {
    DENSE("dense"),
    CONV1D("conv1d"),
    CONV2D("conv2d"),
    MAX_POOL2D("max_pool2d"),
    AVG_POOL2D("avg_pool2d"),
    GLOBAL_AVG_POOL("global_avg_pool"),
    FLATTEN("flatten"),
    BATCH_NORM("batch_norm"),
    LAYER_NORM("layer_norm"),
    DROPOUT("dropout"),
    EMBEDDING("embedding"),
    POSITION_EMBEDDING("position_embedding"),
    RNN("rnn"),
    LSTM("lstm"),
    GRU("gru"),
    ATTENTION("attention"),
    ADD("add"),
    CONCAT("concat");

    private final String yamlName;

    LayerType(String yamlName) {
        this.yamlName = yamlName;
    }

    /** The name in a spec, which is also the prefix of an unnamed layer's default name ({@code conv2d1}). */
    public String yamlName() {
        return yamlName;
    }

    public static Optional<LayerType> byName(String name) {
        for (LayerType t : values()) {
            if (t.yamlName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
