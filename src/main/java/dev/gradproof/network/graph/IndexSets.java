package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Sets of indices within one example's tensor (sorted, distinct), as a finite difference passes what
 * changed from layer to layer.
 */
@API(status = INTERNAL, since = "0.2")
public final class IndexSets {
    private IndexSets() {
    }

    public static final int[] EMPTY = new int[0];

    /** Indices from, ..., to − 1. */
    public static int[] range(int from, int to) {
        int[] out = new int[to - from];
        for (int i = 0; i < out.length; i++) {
            out[i] = from + i;
        }
        return out;
    }

    /** Sorted distinct union; null (everything) if any is null. */
    public static int[] union(int[]... sets) {
        int total = 0;
        for (int[] s : sets) {
            if (s == null) {
                return null;
            }
            total += s.length;
        }
        int[] all = new int[total];
        int at = 0;
        for (int[] s : sets) {
            System.arraycopy(s, 0, all, at, s.length);
            at += s.length;
        }
        return distinct(all);
    }

    /** The blocks of {@code size} the indices fall in: index / size, sorted and distinct. */
    public static int[] blocks(int[] indices, int size) {
        int[] b = new int[indices.length];
        for (int i = 0; i < b.length; i++) {
            b[i] = indices[i] / size;
        }
        return distinct(b);
    }

    /** Every index of the given blocks of {@code size}. */
    public static int[] expand(int[] blocks, int size) {
        int[] out = new int[blocks.length * size];
        for (int i = 0; i < blocks.length; i++) {
            for (int j = 0; j < size; j++) {
                out[i * size + j] = blocks[i] * size + j;
            }
        }
        return out;
    }

    private static int[] distinct(int[] a) {
        int[] s = a.clone();
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[i - 1]) {
                s[n++] = s[i];
            }
        }
        return Arrays.copyOf(s, n);
    }
}
