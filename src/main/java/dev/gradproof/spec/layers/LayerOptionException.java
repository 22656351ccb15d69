package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * A layer option that cannot work, as a plain sentence, with the option key it is about (e.g. {@code
 * kernel}) and, once known, the layer: whoever reads the options from a file attaches file, line and
 * field; the message itself names none of them.
 *
 * <p>Keys: an option's own name ({@code kernel}, {@code normalized_shape}); {@code input} for what the
 * layer receives (its {@code from:}, or the previous layer in a chain); {@code from} for joins and
 * references; {@code name}, {@code activation}; {@code loss.type}, {@code loss.delta} for the loss
 * (layer 0); {@code network.input} for the network's input (layer 0).
 */
@API(status = INTERNAL, since = "0.2")
public final class LayerOptionException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String key;
    private final int layer;
    private final String layerName;

    public LayerOptionException(String key, String message) {
        this(key, message, 0, null);
    }

    private LayerOptionException(String key, String message, int layer, String layerName) {
        super(message);
        this.key = key;
        this.layer = layer;
        this.layerName = layerName;
    }

    /** The same problem, placed at a layer (1-based in spec order) with its name. */
    public LayerOptionException at(int layer, String layerName) {
        LayerOptionException e = new LayerOptionException(key, getMessage(), layer, layerName);
        e.setStackTrace(getStackTrace());
        return e;
    }

    /** The option the message is about. */
    public String key() {
        return key;
    }

    /** 1-based layer in spec order, 0 for the network itself (its input, its loss). */
    public int layer() {
        return layer;
    }

    /** The layer's name (given or default), null at the network level. */
    public String layerName() {
        return layerName;
    }

    /** {@code layer 3 (conv2): kernel: kernel 7 is larger than ...}, for a reader without the file. */
    public String describe() {
        String where = layer > 0 ? "layer " + layer + " (" + layerName + "): " : "";
        return where + key + ": " + getMessage();
    }
}
