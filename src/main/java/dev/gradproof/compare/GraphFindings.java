package dev.gradproof.compare;

import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.EmbeddingOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntFunction;
import java.util.stream.Collectors;

/**
 * Findings that only a layer graph's structure can name, recognised from the evidence alone (the analytic
 * and exact values per parameter): a pattern that points at one classic mistake of a layer type.
 */
final class GraphFindings {
    /** Ratios within this relative spread of the expected factor count as that factor. */
    static final double SPREAD = 1e-6;

    private GraphFindings() {
    }

    /**
     * @param all    every parameter-trial compared
     * @param inputs trial t's network input (token ids for an embedding), drawn again from the spec's seed
     */
    static List<String> describe(GraphNetwork g, List<ParameterResult> all, IntFunction<double[]> inputs) {
        List<String> out = new ArrayList<>();
        for (GraphNode n : g.nodes()) {
            String f = n.options() instanceof AttentionOptions o ? attentionScale(g.layout(), n, o, all)
                    : n.options() instanceof EmbeddingOptions e && n.inputs()[0] < 0
                    ? embeddingAssigned(g.layout(), n, e, all, inputs) : null;
            if (f != null) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * An embedding whose mismatching rows are exactly ids used more than once in their trial's batch, while
     * the rows used once agree: a repeated id's gradient written instead of summed.
     */
    static String embeddingAssigned(GraphLayout layout, GraphNode n, EmbeddingOptions e, List<ParameterResult> all,
                                    IntFunction<double[]> inputs) {
        String tensor = n.name() + ".weight";
        Map<Integer, int[]> uses = new HashMap<>();
        Set<Integer> repeated = new TreeSet<>();
        int once = 0;
        for (ParameterResult r : all) {
            if (r.layer() == 0 || !layout.group(r.index()).equals(tensor)) {
                continue;
            }
            int[] count = uses.computeIfAbsent(r.trial(), t -> counts(inputs.apply(t), e.vocabulary()));
            int row = layout.index(r.index())[0];
            boolean bad = r.status() == Status.MISMATCH;
            if (bad && count[row] < 2) {
                return null;
            }
            if (bad) {
                repeated.add(row);
            } else if (count[row] == 1) {
                once++;
            }
        }
        if (repeated.isEmpty() || once == 0) {
            return null;
        }
        return tensor + ": the mismatching rows (" + repeated.size() + ": " + repeated.stream().limit(8)
                .map(String::valueOf).collect(Collectors.joining(", ")) + (repeated.size() > 8 ? ", ..." : "")
                + ") are all ids used more than once in their batch, and the rows of ids used once agree: a repeated"
                + " id's gradient assigned instead of accumulated?";
    }

    private static int[] counts(double[] ids, int vocabulary) {
        int[] count = new int[vocabulary];
        for (double id : ids) {
            count[(int) id]++;
        }
        return count;
    }

    /**
     * An attention layer whose query and key rows of in_proj_weight are all off by √d while its value rows
     * agree: dL/dq and dL/dk derived from the unscaled scores q·kᵀ.
     */
    static String attentionScale(GraphLayout layout, GraphNode n, AttentionOptions o, List<ParameterResult> all) {
        String tensor = n.name() + ".in_proj_weight";
        int dim = n.shape().dim(n.shape().rank() - 1);
        double root = Math.sqrt((double) dim / o.heads());
        int queryKey = 0;
        for (ParameterResult r : all) {
            if (r.layer() == 0 || !layout.group(r.index()).equals(tensor) || r.status() != Status.MISMATCH) {
                continue;
            }
            if (layout.index(r.index())[0] >= 2 * dim || r.exact() == 0
                    || Math.abs(r.analytic() / r.exact() - root) > SPREAD * root) {
                return null;
            }
            queryKey++;
        }
        if (queryKey == 0) {
            return null;
        }
        return String.format(Locale.ROOT, "%s: the query and key rows (0..%d) are off by a factor %.6g = sqrt(d) (head"
                + " width d = %d) at all %d mismatching entries, the value rows agree: the backward pass of the scores"
                + " q.k/sqrt(d) forgot the 1/sqrt(d)?", tensor, 2 * dim - 1, root, dim / o.heads(), queryKey);
    }
}
