package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;
import org.apiguardian.api.API;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.IntFunction;

/**
 * Issue #17's third target: growth per layer type. Each parameterised layer type in a small network
 * (the layer, then what turns its output into a softmax over 4 classes) checked with the exact oracle
 * and finite differences, every parameter, at a base size, with the layer's width doubled and with the
 * examples doubled. The cost is linear in parameters × examples when microseconds per (parameter ×
 * example) stay flat down each type's rows.
 */
@API(status = INTERNAL, since = "0.2")
public final class GrowthTable {
    /** A layer type's network at width k: YAML {@code network:} lines, and the base width. */
    record Type(String name, int width, IntFunction<String> network) {
    }

    static final List<Type> TYPES = List.of(
            new Type("dense", 64, k -> "  input: [64]\n  layers:\n"
                    + "    - {name: hidden, units: " + k + ", activation: tanh}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"),
            new Type("conv2d", 8, k -> "  input: [4, 8, 8]\n  layers:\n"
                    + "    - {type: conv2d, name: conv, out_channels: " + k + ", kernel: 3, padding: 1, activation: tanh}\n"
                    + "    - {type: global_avg_pool}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"),
            new Type("conv1d", 16, k -> "  input: {shape: [4, 32], kind: channels}\n  layers:\n"
                    + "    - {type: conv1d, name: conv, out_channels: " + k + ", kernel: 3, padding: 1, activation: tanh}\n"
                    + "    - {type: flatten}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"),
            new Type("batch_norm (+ max_pool2d)", 16, k -> "  input: [" + k + ", 8, 8]\n  layers:\n"
                    + "    - {type: batch_norm, name: bn, activation: relu}\n"
                    + "    - {type: max_pool2d, kernel: 2}\n"
                    + "    - {type: global_avg_pool}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"),
            new Type("layer_norm", 32, k -> "  input: [8, " + k + "]\n  layers:\n"
                    + "    - {type: layer_norm, name: norm}\n"
                    + "    - {type: flatten}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"),
            new Type("embedding (+ position_embedding)", 32, k -> "  input: [12]\n  layers:\n"
                    + "    - {type: embedding, name: embed, vocabulary: 30, dim: " + k + "}\n"
                    + "    - {type: position_embedding, name: pos}\n"
                    + "    - {type: flatten}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"),
            new Type("rnn", 16, k -> recurrent("rnn", k)),
            new Type("lstm", 8, k -> recurrent("lstm", k)),
            new Type("gru", 8, k -> recurrent("gru", k)),
            new Type("attention", 16, k -> "  input: [8, " + k + "]\n  layers:\n"
                    + "    - {type: attention, name: attn, heads: 2}\n"
                    + "    - {type: flatten}\n"
                    + "    - {name: out, units: 4, activation: softmax}\n"));

    /**
     * Examples of the base row; the third row of each type doubles them. With the base widths, each base
     * check takes about a second: smaller, a check's fixed cost (its consistency checks, the tape) hides the growth.
     */
    static final int EXAMPLES = 64;

    public static final String HEADER = "| layer type | width | parameters | examples | seconds | µs per parameter × example "
            + "| peak heap MB | verdict |\n|---|---|---|---|---|---|---|---|";

    private GrowthTable() {
    }

    private static String recurrent(String type, int k) {
        return "  input: [10, 8]\n  layers:\n"
                + "    - {type: " + type + ", name: cell, hidden: " + k + ", return: last}\n"
                + "    - {name: out, units: 4, activation: softmax}\n";
    }

    /** The spec of one row: exact + finite differences on every parameter, one trial. */
    static Spec spec(Type t, int width, int examples) {
        String yaml = "name: growth-" + t.name().split(" ")[0] + "-w" + width + "-n" + examples + "\n"
                + "network:\n" + t.network().apply(width)
                + "loss: {type: softmax_cross_entropy}\n"
                + "data: {examples: " + examples + ", targets: one_hot}\n"
                + "check: {trials: 1, oracles: [exact, finite_difference], parameters: all}\n"
                + "seed: 17\n";
        try {
            return new SpecLoader().parse(yaml, null);
        } catch (SpecException e) {
            throw new IllegalStateException("growth spec for " + t.name() + ": " + e.getMessage(), e);
        }
    }

    /** Three rows per type (base, width doubled, examples doubled); {@code quick}: the first two types only. */
    public static List<String> run(boolean quick, Consumer<String> progress) {
        List<String> rows = new ArrayList<>();
        for (Type t : quick ? TYPES.subList(0, 2) : TYPES) {
            int[][] sizes = {{t.width(), EXAMPLES}, {2 * t.width(), EXAMPLES}, {t.width(), 2 * EXAMPLES}};
            for (int[] s : sizes) {
                Spec spec = spec(t, s[0], s[1]);
                // Benchmarks' own row would read as one of this table's: only its other progress lines pass.
                Benchmarks.Row r = Benchmarks.run(List.of(new Workload(spec.name(), spec)), 0, line -> {
                    if (!line.startsWith("|")) {
                        progress.accept(line);
                    }
                }).get(0);
                rows.add(row(t.name(), s[0], r));
                progress.accept(rows.get(rows.size() - 1));
            }
        }
        return rows;
    }

    static String row(String type, int width, Benchmarks.Row r) {
        return String.format(Locale.ROOT, "| %s | %d | %,d | %d | %.3f | %.2f | %.0f | %s |", type, width, r.parameters(),
                r.examples(), r.seconds(), r.seconds() * 1e6 / ((double) r.parameters() * r.examples()), r.peakMegabytes(),
                r.verdict());
    }
}
