package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.ArrayList;
import java.util.List;

import org.apiguardian.api.API;

/**
 * One scalar parameter of a network: which tensor, and where in it. Written one way everywhere:
 * {@code W2[3,7]} is row 3, column 7 of layer 2's weights (layers from 1, indices from 0, shape
 * [out][in]); {@code b1[0]} is entry 0 of layer 1's bias; tensors of other layer types are named by
 * their layer, e.g. {@code conv1.weight[3,0,1,2]}.
 *
 * @param layer  the layer the tensor belongs to, from 1
 * @param tensor its name: {@code W2}, {@code b1}, {@code conv1.weight}
 * @param bias   whether the tensor is a bias
 * @param index  the position in the tensor, one entry per axis
 */
@API(status = STABLE, since = "0.2")
public record Coordinate(int layer, String tensor, boolean bias, List<Integer> index) {

    public Coordinate {
        index = List.copyOf(index);
        if (layer < 1) {
            throw new IllegalArgumentException("layers are numbered from 1, got " + layer);
        }
    }

    /** {@code W<layer>[row,column]}. */
    public static Coordinate weight(int layer, int row, int column) {
        return new Coordinate(layer, "W" + layer, false, List.of(row, column));
    }

    /** {@code b<layer>[index]}. */
    public static Coordinate bias(int layer, int index) {
        return new Coordinate(layer, "b" + layer, true, List.of(index));
    }

    /**
     * A dense chain's coordinate from its text form, {@code W2[3,7]} or {@code b1[0]}.
     *
     * @throws IllegalArgumentException saying what form was expected
     */
    public static Coordinate parse(String text) {
        int open = text.indexOf('[');
        if (open < 2 || !text.endsWith("]") || (text.charAt(0) != 'W' && text.charAt(0) != 'b')) {
            throw new IllegalArgumentException("expected a parameter such as W2[3,7] or b1[0], got '" + text + "'");
        }
        try {
            int layer = Integer.parseInt(text.substring(1, open));
            List<Integer> index = new ArrayList<>();
            for (String part : text.substring(open + 1, text.length() - 1).split(",", -1)) {
                index.add(Integer.parseInt(part.trim()));
            }
            boolean bias = text.charAt(0) == 'b';
            if (index.size() != (bias ? 1 : 2)) {
                throw new NumberFormatException();
            }
            return bias ? bias(layer, index.get(0)) : weight(layer, index.get(0), index.get(1));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a parameter such as W2[3,7] or b1[0], got '" + text + "'");
        }
    }

    /** The first index: a weight's row (output unit), a bias's entry. */
    public int row() {
        return index.get(0);
    }

    /** A weight matrix's column (input unit); -1 for a bias or a tensor of rank 1. */
    public int column() {
        return index.size() > 1 ? index.get(1) : -1;
    }

    /** {@code W2[3,7]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(tensor).append('[');
        for (int i = 0; i < index.size(); i++) {
            sb.append(i == 0 ? "" : ",").append(index.get(i));
        }
        return sb.append(']').toString();
    }
}
