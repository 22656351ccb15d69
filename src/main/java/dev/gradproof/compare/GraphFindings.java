package dev.gradproof.compare;

import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.layers.AttentionOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Findings that only a layer graph's structure can name, recognised from the evidence alone (the analytic
 * and exact values per parameter): a pattern that points at one classic mistake of a layer type.
 */
final class GraphFindings {
    /** Ratios within this relative spread of the expected factor count as that factor. */
    static final double SPREAD = 1e-6;

    private GraphFindings() {
    }

    static List<String> describe(GraphNetwork g, List<ParameterResult> all) {
        List<String> out = new ArrayList<>();
        for (GraphNode n : g.nodes()) {
            if (n.options() instanceof AttentionOptions o) {
                String f = attentionScale(g.layout(), n, o, all);
                if (f != null) {
                    out.add(f);
                }
            }
        }
        return out;
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
