package dev.gradproof.dl4j;

import java.util.function.IntUnaryOperator;

/**
 * Where one spec tensor lives in DL4J: entry i (row-major, in the spec's PyTorch layout) is entry
 * {@code index(i)} (row-major, in DL4J's own shape) of parameter {@code key} of vertex {@code vertex}.
 * Two tensors may land on the same DL4J entries (an LSTM's bias_ih and bias_hh both on {@code b}): DL4J's
 * value is then their sum, and each gets DL4J's gradient of it.
 *
 * @param name   the spec's name ({@code conv1.weight})
 * @param shape  the spec's shape
 * @param vertex the DL4J vertex (layer) name
 * @param key    the DL4J parameter key ({@code W}, {@code RW}, {@code b}, {@code gamma}, ...)
 * @param index  spec flat index → DL4J flat index, or {@link #ELSEWHERE} for an entry another link holds
 *               (attention's in_proj_weight is split over DL4J's Wq, Wk and Wv)
 */
record TensorLink(String name, int[] shape, String vertex, String key, IntUnaryOperator index) {

    static final int ELSEWHERE = -1;

    int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    String dl4jName() {
        return vertex + "_" + key;
    }

    static IntUnaryOperator same() {
        return i -> i;
    }

    /** A [a][b][c] tensor stored by DL4J with its axes reversed, [c][b][a]. */
    static IntUnaryOperator reversedAxes(int[] shape) {
        int a = shape[0];
        int b = shape[1];
        int c = shape[2];
        return i -> {
            int x = i / (b * c);
            int y = i / c % b;
            int z = i % c;
            return (z * b + y) * a + x;
        };
    }

    /** A [rows][cols] matrix stored by DL4J transposed, [cols][rows]. */
    static IntUnaryOperator transposed(int rows, int cols) {
        return i -> (i % cols) * rows + i / cols;
    }

    /**
     * PyTorch's gate-stacked recurrent matrix [G·H][cols] (or a vector, cols = 1 and not transposed) as
     * DL4J's [cols][G·H] with its gate blocks in another order: spec gate g goes to DL4J block order[g].
     */
    static IntUnaryOperator gates(int[] order, int hidden, int cols, boolean transpose) {
        int width = order.length * hidden;
        return i -> {
            int row = i / cols;
            int col = i % cols;
            int dl4jRow = order[row / hidden] * hidden + row % hidden;
            return transpose ? col * width + dl4jRow : dl4jRow * cols + col;
        };
    }
}
