package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Shard k of n (k from 1): a deterministic share of a check's parameters (or directions), so CI
 * jobs can split a large network and {@code gradproof merge} can put the reports back together.
 * Parameter number q of the sorted selection belongs to shard (q mod n) + 1.
 */
@API(status = INTERNAL, since = "0.2")
public record Shard(int index, int count) {
    public static final Shard ALL = new Shard(1, 1);

    public Shard {
        if (count < 1 || index < 1 || index > count) {
            throw new IllegalArgumentException("shard must be K/N with 1 <= K <= N, got " + index + "/" + count);
        }
    }

    /** {@code "2/3"}. */
    public static Shard parse(String text) {
        String[] kn = text.strip().split("/");
        if (kn.length != 2) {
            throw new IllegalArgumentException("--shard expects K/N (e.g. 2/3), got '" + text + "'");
        }
        try {
            return new Shard(Integer.parseInt(kn[0].strip()), Integer.parseInt(kn[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--shard expects K/N with whole numbers (e.g. 2/3), got '" + text + "'");
        }
    }

    public boolean whole() {
        return count == 1;
    }

    public int[] of(int[] sortedSelection) {
        if (whole()) {
            return sortedSelection;
        }
        int[] out = new int[(sortedSelection.length - (index - 1) + count - 1) / count];
        int o = 0;
        for (int q = index - 1; q < sortedSelection.length; q += count) {
            out[o++] = sortedSelection[q];
        }
        return Arrays.copyOf(out, o);
    }

    public boolean owns(int q) {
        return (q - 1) % count == index - 1;
    }

    @Override
    public String toString() {
        return index + "/" + count;
    }
}
