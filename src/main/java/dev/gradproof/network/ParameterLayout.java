package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Coordinate;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Where each scalar parameter lives in the flat parameter vector, and its one name used everywhere:
 * {@code W2[3,7]} is row 3, column 7 of layer 2's weight matrix (layers from 1, rows and columns from
 * 0, shape [out][in]); {@code b1[0]} is entry 0 of layer 1's bias. Layer l's weights come first in
 * row-major order, then its bias.
 */
@API(status = INTERNAL, since = "0.2")
public final class ParameterLayout {
    private final int[] sizes;
    private final boolean[] bias;
    private final boolean[] frozen;
    private final int[] weightOffset;
    private final int[] biasOffset;
    private final int total;

    public ParameterLayout(int[] sizes, boolean[] bias, boolean[] frozen) {
        this.sizes = sizes.clone();
        this.bias = bias.clone();
        this.frozen = frozen.clone();
        int layers = sizes.length - 1;
        weightOffset = new int[layers];
        biasOffset = new int[layers];
        int offset = 0;
        for (int l = 0; l < layers; l++) {
            weightOffset[l] = offset;
            offset += sizes[l + 1] * sizes[l];
            biasOffset[l] = bias[l] ? offset : -1;
            offset += bias[l] ? sizes[l + 1] : 0;
        }
        total = offset;
    }

    /** Number of layers (not counting the input). */
    public int layers() {
        return sizes.length - 1;
    }

    /** Width of layer l (0 is the input). */
    public int size(int l) {
        return sizes[l];
    }

    /** The widest layer, input included: the size of a buffer that holds any layer of one example. */
    public int maxWidth() {
        int max = 0;
        for (int size : sizes) {
            max = Math.max(max, size);
        }
        return max;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public boolean hasBias(int layer) {
        return bias[layer];
    }

    public boolean frozen(int layer) {
        return frozen[layer];
    }

    public int total() {
        return total;
    }

    public int weightOffset(int layer) {
        return weightOffset[layer];
    }

    /** -1 when the layer has no bias. */
    public int biasOffset(int layer) {
        return biasOffset[layer];
    }

    /** 0-based layer index of parameter p. */
    public int layerOf(int p) {
        for (int l = layers() - 1; l >= 0; l--) {
            if (p >= weightOffset[l]) {
                return l;
            }
        }
        throw new IndexOutOfBoundsException(p);
    }

    public boolean isBias(int p) {
        int l = layerOf(p);
        return bias[l] && p >= biasOffset[l];
    }

    /** Row (output unit) of parameter p in its layer. */
    public int row(int p) {
        int l = layerOf(p);
        return isBias(p) ? p - biasOffset[l] : (p - weightOffset[l]) / sizes[l];
    }

    /** Column (input unit) of a weight; -1 for a bias. */
    public int column(int p) {
        int l = layerOf(p);
        return isBias(p) ? -1 : (p - weightOffset[l]) % sizes[l];
    }

    public boolean isFrozen(int p) {
        return frozen[layerOf(p)];
    }

    /** Where parameter p lives, as a typed coordinate. */
    public Coordinate coordinate(int p) {
        int l = layerOf(p);
        return isBias(p) ? Coordinate.bias(l + 1, row(p)) : Coordinate.weight(l + 1, row(p), column(p));
    }

    /** {@code W2[3,7]} or {@code b1[0]}. */
    public String name(int p) {
        return coordinate(p).toString();
    }

    /** The flat index of a coordinate of this network. */
    public int indexOf(Coordinate c) {
        int l = c.layer() - 1;
        if (l < 0 || l >= layers() || !c.tensor().equals((c.bias() ? "b" : "W") + c.layer())) {
            throw new IllegalArgumentException("no parameter " + c + " in this network");
        }
        if (c.bias()) {
            if (!hasBias(l) || c.row() < 0 || c.row() >= size(l + 1)) {
                throw new IllegalArgumentException("no parameter " + c + " in this network");
            }
            return biasOffset(l) + c.row();
        }
        if (c.row() < 0 || c.row() >= size(l + 1) || c.column() < 0 || c.column() >= size(l)) {
            throw new IllegalArgumentException("no parameter " + c + " in this network");
        }
        return weightOffset(l) + c.row() * size(l) + c.column();
    }

    /** {@code W2} or {@code b1}: the parameter group. */
    public String group(int p) {
        return (isBias(p) ? "b" : "W") + (layerOf(p) + 1);
    }

    /** Indices of every parameter not in a frozen layer. */
    public List<Integer> trainable() {
        List<Integer> out = new ArrayList<>();
        for (int p = 0; p < total; p++) {
            if (!isFrozen(p)) {
                out.add(p);
            }
        }
        return out;
    }
}
