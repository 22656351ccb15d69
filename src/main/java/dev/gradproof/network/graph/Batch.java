package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Which examples a layer computes in one call, and what a layer needs to know about the pass it is
 * part of.
 *
 * @param examples N, the batch size
 * @param rows     the examples to compute, ascending; null for all of them (a finite difference
 *                 recomputes only the examples a perturbation reaches)
 * @param seed     the trial's seed: dropout draws its fixed mask from it
 * @param layer    the layer's 1-based index in spec order (a second dropout draws another mask)
 */
@API(status = INTERNAL, since = "0.2")
public record Batch(int examples, int[] rows, long seed, int layer) {

    public static Batch all(int examples, long seed, int layer) {
        return new Batch(examples, null, seed, layer);
    }

    public int count() {
        return rows == null ? examples : rows.length;
    }

    /** The i-th example to compute. */
    public int row(int i) {
        return rows == null ? i : rows[i];
    }

    public boolean all() {
        return rows == null;
    }
}
