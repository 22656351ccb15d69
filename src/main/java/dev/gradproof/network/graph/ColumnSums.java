package dev.gradproof.network.graph;

/**
 * The matrix-vector product both the dense layer and the recurrent gates use on their hot paths: each row
 * i of [from, to) gets acc[i] += W[i,0]·v[0] + W[i,1]·v[1] + ..., added in order of the column, so every
 * row's sum is the same sequence of roundings as a row-by-row loop. Running across rows with W held as
 * columns (one array per column) is what lets C2 vectorise it; four columns per sweep keep acc in cache.
 */
final class ColumnSums {
    private ColumnSums() {
    }

    /**
     * Positions in one call from which a layer copies W by columns first: the copy costs about as much as ten
     * vectorised multiply-adds per weight, so it pays only over many positions.
     */
    static final int FROM_POSITIONS = 16;

    /** Where each row's sum starts, as a row-by-row loop starts it: 0 + b_i (b at θ[biasAt ..]), or 0 without bias. */
    static double[] start(double[] theta, int biasAt, int rows, boolean bias) {
        double[] start = new double[rows];
        if (bias) {
            for (int i = 0; i < rows; i++) {
                start[i] = 0.0 + theta[biasAt + i];
            }
        }
        return start;
    }

    /**
     * out[oo + i] = start[i] + Σ_k columns[k][i]·v[vo + k], in order of k, for every row i: one position of a
     * layer y = W v + b; {@code acc} is scratch of start's length.
     */
    static void affine(double[] start, double[][] columns, double[] v, int vo, double[] acc, double[] out, int oo) {
        System.arraycopy(start, 0, acc, 0, start.length);
        add(acc, columns, v, vo, columns.length, 0, start.length);
        System.arraycopy(acc, 0, out, oo, start.length);
    }

    /** The row-major block θ[offset ..] of {@code rows} × {@code cols} as its columns, [cols][rows]. */
    static double[][] columns(double[] theta, int offset, int rows, int cols) {
        double[][] c = new double[cols][rows];
        for (int i = 0; i < rows; i++) {
            int row = offset + i * cols;
            for (int j = 0; j < cols; j++) {
                c[j][i] = theta[row + j];
            }
        }
        return c;
    }

    /** acc[i] += Σ_k columns[k][i]·v[vo + k] for k in 0..count-1, in that order, for i in [from, to). */
    static void add(double[] acc, double[][] columns, double[] v, int vo, int count, int from, int to) {
        int k = 0;
        for (; k + 4 <= count; k += 4) {
            double v0 = v[vo + k];
            double v1 = v[vo + k + 1];
            double v2 = v[vo + k + 2];
            double v3 = v[vo + k + 3];
            double[] c0 = columns[k];
            double[] c1 = columns[k + 1];
            double[] c2 = columns[k + 2];
            double[] c3 = columns[k + 3];
            for (int i = from; i < to; i++) {
                acc[i] = (((acc[i] + c0[i] * v0) + c1[i] * v1) + c2[i] * v2) + c3[i] * v3;
            }
        }
        for (; k < count; k++) {
            double vk = v[vo + k];
            double[] ck = columns[k];
            for (int i = from; i < to; i++) {
                acc[i] += ck[i] * vk;
            }
        }
    }
}
