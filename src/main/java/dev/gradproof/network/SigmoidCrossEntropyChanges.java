package dev.gradproof.network;

import java.util.Arrays;

/**
 * What a loss change of sigmoid + binary cross-entropy needs, prepared once per forward pass:
 * per output, σ(z) where the target is 0 and σ(−z) where it is 1, since
 * <pre>  softplus(z + d) − softplus(z) = ln(1 + σ(z)·(e^d − 1))</pre>
 * is two short series ({@link Series}) and a multiply for a small d.
 *
 * <p>{@link #rankOne} serves the common case of a finite difference: a perturbation below the last
 * hidden layer moves every logit of example e by column[r]·da[e]. Its tables are cut into blocks
 * of {@link #BLOCK} examples, one array per block and output, so that its inner loop reads every
 * array at the same index: that is the loop shape Java 17's compiler turns into vector
 * instructions, measured 5× faster than the same arithmetic output by output (BENCHMARKS.md).
 */
final class SigmoidCrossEntropyChanges {
    static final int BLOCK = 256;

    private final int k;
    private final double[][] sensitivityBlocks; // [block·k + r][i] for example block·BLOCK + i; NaN for a soft target
    private final double[][] signBlocks; // +1 where the target is 0, −1 where it is 1
    private final boolean binary;

    SigmoidCrossEntropyChanges(double[] z, double[] y, int examples, int k) {
        this.k = k;
        int blocks = (examples + BLOCK - 1) / BLOCK;
        sensitivityBlocks = new double[blocks * k][BLOCK];
        signBlocks = new double[blocks * k][BLOCK];
        boolean allBinary = true;
        for (int e = 0; e < examples; e++) {
            for (int r = 0; r < k; r++) {
                int idx = e * k + r;
                int b = (e / BLOCK) * k + r;
                sensitivityBlocks[b][e % BLOCK] = y[idx] == 0 ? Activations.sigmoid(z[idx])
                        : y[idx] == 1 ? Activations.sigmoid(-z[idx]) : Double.NaN;
                signBlocks[b][e % BLOCK] = y[idx] == 1 ? -1 : 1;
                allBinary &= y[idx] == 0 || y[idx] == 1;
            }
        }
        binary = allBinary;
    }

    /** One output's change: the identity above for a 0/1 target and a small d, else the difference. */
    private static double term(double sensitivity, double sign, double z, double d, double y) {
        double signed = sign * d;
        if (Math.abs(signed) <= Series.LIMIT && !Double.isNaN(sensitivity)) {
            return Series.log1p(sensitivity * Series.expm1(signed));
        }
        return y * (OutputStage.softplus(-(z + d)) - OutputStage.softplus(-z))
                + (1 - y) * (OutputStage.softplus(z + d) - OutputStage.softplus(z));
    }

    /** ℓ(z + dz) − ℓ(z) for example e, whose logits start at {@code z[e·k]} and targets at {@code y[e·k]}. */
    double change(int e, double[] z, double[] dz, double[] y) {
        int block = (e / BLOCK) * k;
        int i = e % BLOCK;
        double s = 0;
        for (int r = 0; r < k; r++) {
            if (dz[r] != 0) {
                s += term(sensitivityBlocks[block + r][i], signBlocks[block + r][i], z[e * k + r], dz[r], y[e * k + r]);
            }
        }
        return s;
    }

    /** Whether {@link #rankOne} applies to logit changes of at most this size. */
    boolean fits(double largestChange) {
        return binary && largestChange <= Series.LIMIT * (1 - 0x1.0p-40); // margin for the product's rounding
    }

    /**
     * Σ over examples block·BLOCK + i (i < len) and outputs r of the loss change when logit r moves by
     * column[r]·da[i]. Only when {@link #fits} said so for max|column|·max|da|.
     */
    double rankOne(int block, double[] column, double[] da, int len, double[] acc) {
        Arrays.fill(acc, 0, len, 0);
        for (int r = 0; r < k; r++) {
            double c = column[r];
            double[] sens = sensitivityBlocks[block * k + r];
            double[] sign = signBlocks[block * k + r];
            for (int i = 0; i < len; i++) {
                // term()'s series branch, written out: a call with a branch would keep the loop scalar
                acc[i] += Series.log1p(sens[i] * Series.expm1(c * da[i] * sign[i]));
            }
        }
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int i = 0;
        for (; i + 3 < len; i += 4) {
            s0 += acc[i];
            s1 += acc[i + 1];
            s2 += acc[i + 2];
            s3 += acc[i + 3];
        }
        for (; i < len; i++) {
            s0 += acc[i];
        }
        return (s0 + s1) + (s2 + s3);
    }
}
