package dev.gradproof.compare;

import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.Layer;
import dev.gradproof.spec.layers.AttentionOptions;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.EmbeddingOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.RecurrentOptions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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
     * @param cases  trial t's parameters and data (token ids for an embedding), drawn again from the spec's seed
     */
    static List<String> describe(GraphNetwork g, List<ParameterResult> all, IntFunction<GraphCase> cases) {
        IntFunction<double[]> inputs = t -> cases.apply(t).data().x();
        List<String> out = new ArrayList<>();
        for (GraphNode n : g.nodes()) {
            String f = n.options() instanceof AttentionOptions o ? attentionScale(g.layout(), n, o, all)
                    : n.options() instanceof EmbeddingOptions e && n.inputs()[0] < 0
                    ? embeddingAssigned(g.layout(), n, e, all, inputs)
                    : normReading(g, n) != null ? channelFactor(g.layout(), n, normReading(g, n), all)
                    : n.options() instanceof ConvOptions o && kernelArea(o) > 1 ? mirroredKernel(g, n, all, cases)
                    : n.layer().truncatedThroughTime() != null ? truncatedRecurrence(g, n, all, cases) : null;
            if (f == null && n.options() instanceof RecurrentOptions o) {
                f = reversedGate(g.layout(), n, o, all);
            }
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

    /** The batch norm that reads node n (whose output channels are its channels), or null. */
    private static GraphNode normReading(GraphNetwork g, GraphNode n) {
        if (n.layer().parameterCount() == 0 || n.activation() != null) {
            return null;
        }
        for (GraphNode r : g.nodes()) {
            if (r.options().type() == LayerType.BATCH_NORM && r.inputs()[0] == n.index()) {
                return r;
            }
        }
        return null;
    }

    /**
     * A layer feeding a batch norm whose weight's mismatching entries are off by one constant factor per
     * output channel (within {@link #SPREAD}), a different one in at least two channels: the batch norm's
     * input gradient scaled per channel, as a forgotten γ scales it by 1/γ_c. A single factor for the whole
     * tensor is the dense engine's constant-factor finding, not this one.
     */
    static String channelFactor(GraphLayout layout, GraphNode n, GraphNode norm, List<ParameterResult> all) {
        String tensor = n.name() + ".weight";
        Map<Long, double[]> factor = new TreeMap<>();     // (trial, channel) -> {first ratio, entries}
        for (ParameterResult r : all) {
            if (r.layer() == 0 || !layout.group(r.index()).equals(tensor) || r.status() != Status.MISMATCH) {
                continue;
            }
            if (r.exact() == 0 || !Double.isFinite(r.analytic())) {
                return null;
            }
            double ratio = r.analytic() / r.exact();
            long key = ((long) r.trial() << 32) | layout.index(r.index())[0];
            double[] f = factor.computeIfAbsent(key, k -> new double[] {ratio, 0});
            if (Math.abs(ratio - f[0]) > SPREAD * Math.abs(f[0])) {
                return null;
            }
            f[1]++;
        }
        List<Map.Entry<Long, double[]>> first = factor.entrySet().stream()
                .filter(e -> e.getKey() >>> 32 == factor.keySet().iterator().next() >>> 32).toList();
        boolean everyChannelTwice = factor.values().stream().allMatch(f -> f[1] >= 2);
        double lo = first.stream().mapToDouble(e -> e.getValue()[0]).min().orElse(0);
        double hi = first.stream().mapToDouble(e -> e.getValue()[0]).max().orElse(0);
        if (first.size() < 2 || !everyChannelTwice || hi - lo <= 1e-3 * Math.abs(hi)) {
            return null;
        }
        return tensor + ": the mismatching entries are off by a constant factor per output channel, a different one in"
                + " each (" + first.stream().limit(4).map(e -> String.format(Locale.ROOT, "channel %d: x%.6g",
                e.getKey() & 0xffffffffL, e.getValue()[0])).collect(Collectors.joining(", "))
                + (first.size() > 4 ? ", ..." : "")
                + String.format(Locale.ROOT, "; spread below %.0e within each)", SPREAD) + ": the input gradient"
                + " of the batch norm it feeds (" + norm.name() + ") scaled per channel, its gamma forgotten?";
    }

    private static int kernelArea(ConvOptions o) {
        int a = 1;
        for (int k : o.kernel()) {
            a *= k;
        }
        return a;
    }

    /**
     * A convolution whose own parameters agree while layers below it mismatch, and every compared gradient
     * of the trials with a mismatch equals, to rounding, the gradient of the same network with this
     * convolution's input gradient taken from its kernel rotated by 180 degrees ({@link MirroredKernel}): the
     * textbook's flip applied to a cross-correlation (or forgotten in a true convolution).
     */
    static String mirroredKernel(GraphNetwork g, GraphNode n, List<ParameterResult> all, IntFunction<GraphCase> cases) {
        int[] explained = explained(g, n, new MirroredKernel(g, n), false, all, cases);
        if (explained == null) {
            return null;
        }
        return String.format(Locale.ROOT, "%s: every compared gradient of the %d trial%s with a mismatch (%d entries)"
                + " equals, to rounding, that of an input gradient of %s computed with its kernel rotated by 180"
                + " degrees (w[kh-1-ky, kw-1-kx] read for w[ky, kx]), while its own weights agree: the textbook's"
                + " kernel flip applied to a cross-correlation?", n.name(), explained[0], explained[0] == 1 ? ""
                : "s", explained[1], n.name());
    }

    /**
     * A recurrent cell on sequences of two steps or more whose mismatches lie in it or below it, and every
     * compared gradient of the trials with a mismatch equals, to rounding, the gradient of the same network
     * with the cell's state gradient not carried to the step before ({@link
     * dev.gradproof.network.graph.Layer#truncatedThroughTime}): each step's loss reaches only that step's
     * weights and inputs, so everything a step receives from the later ones is exactly 0.
     */
    static String truncatedRecurrence(GraphNetwork g, GraphNode n, List<ParameterResult> all,
                                      IntFunction<GraphCase> cases) {
        int i = n.inputs()[0];
        if ((i < 0 ? g.inputShape() : g.nodes().get(i).shape()).dim(0) < 2) {
            return null;
        }
        int[] explained = explained(g, n, n.layer().truncatedThroughTime(), true, all, cases);
        if (explained == null) {
            return null;
        }
        return String.format(Locale.ROOT, "%s: every compared gradient of the %d trial%s with a mismatch (%d entries)"
                + " equals, to rounding, that of the same network with %s's state gradient not carried to the step"
                + " before (what each step receives from the later ones exactly 0): backpropagation through time"
                + " truncated to one step by accident?", n.name(), explained[0], explained[0] == 1 ? "" : "s",
                explained[1], n.name());
    }

    /** The gates of each cell in PyTorch's row order, as a reader of its documentation names them. */
    private static final Map<RecurrentOptions.Cell, List<String>> GATES = Map.of(
            RecurrentOptions.Cell.LSTM, List.of("input gate i", "forget gate f", "cell candidate g", "output gate o"),
            RecurrentOptions.Cell.GRU, List.of("reset gate r", "update gate z", "candidate n"));

    /**
     * A gated cell in which one gate's rows (of weight_ih, weight_hh, bias_ih, bias_hh) point the opposite way
     * to the exact gradient at most of their mismatching entries, while the other gates' rows mostly keep the
     * sign: the gradient through that gate carries the wrong sign, as when a GRU's backward pass reads z where
     * its forward uses 1 - z. A wrong factor of the right sign (tanh' for sigmoid') reverses almost nothing, and
     * a bug that reaches every gate alike (a truncated or undamped state gradient) reverses them all about
     * equally (at most 30% in any gate on the bundled mutants, against 88% here), hence a majority and twice
     * every other gate's share.
     */
    static String reversedGate(GraphLayout layout, GraphNode n, RecurrentOptions o, List<ParameterResult> all) {
        List<String> names = GATES.get(o.cell());
        if (names == null) {
            return null;
        }
        int[] mismatching = new int[names.size()];
        int[] reversed = new int[names.size()];
        for (ParameterResult r : all) {
            if (r.layer() == 0 || r.status() != Status.MISMATCH
                    || !layout.tensorOf(r.index()).layerName().equals(n.name())) {
                continue;
            }
            int gate = layout.index(r.index())[0] / o.hidden();
            mismatching[gate]++;
            if (r.analytic() * r.exact() < 0) {
                reversed[gate]++;
            }
        }
        int worst = 0;
        double other = 0;
        for (int k = 1; k < names.size(); k++) {
            if (share(reversed, mismatching, k) > share(reversed, mismatching, worst)) {
                worst = k;
            }
        }
        for (int k = 0; k < names.size(); k++) {
            other = k == worst ? other : Math.max(other, share(reversed, mismatching, k));
        }
        double s = share(reversed, mismatching, worst);
        if (mismatching[worst] < MIN_GATE_ENTRIES || s <= 0.5 || s < 2 * other) {
            return null;
        }
        int h = o.hidden();
        return String.format(Locale.ROOT, "%s: the %s's rows (%d..%d of weight_ih, weight_hh%s) point the opposite way"
                + " to the exact gradient at %d of %d mismatching entries (%d%%), the other gates' at most %d%%: the"
                + " gradient through the %s carries the wrong sign (its local derivative negated, or a gate and its"
                + " complement 1 - gate swapped)?", n.name(), names.get(worst), worst * h, (worst + 1) * h - 1,
                o.bias() ? ", bias_ih, bias_hh" : "", reversed[worst], mismatching[worst], Math.round(100 * s),
                Math.round(100 * other), names.get(worst));
    }

    /** Fewer mismatching entries than this in a gate say nothing about its sign. */
    static final int MIN_GATE_ENTRIES = 4;

    private static double share(int[] reversed, int[] mismatching, int k) {
        return mismatching[k] == 0 ? 0 : (double) reversed[k] / mismatching[k];
    }

    /**
     * Whether the hypothesis, node n's layer replaced by {@code layer}, explains the run: every mismatch
     * lies strictly below n (or in n too, when {@code own}), and in every trial with a mismatch every
     * compared gradient equals the hypothesis network's to {@link #HYPOTHESIS}. Returns {trials, entries}
     * compared, or null.
     */
    private static int[] explained(GraphNetwork g, GraphNode n, Layer layer, boolean own, List<ParameterResult> all,
                                   IntFunction<GraphCase> cases) {
        GraphLayout layout = g.layout();
        Set<Integer> trials = new TreeSet<>();
        for (ParameterResult r : all) {
            if (r.layer() == 0 || r.status() != Status.MISMATCH) {
                continue;
            }
            String owner = layout.tensorOf(r.index()).layerName();
            GraphNode from = g.nodes().stream().filter(m -> m.name().equals(owner)).findFirst().orElse(null);
            if (from == null || !(upstream(g, from.index(), n) || own && from.index() == n.index())) {
                return null;
            }
            trials.add(r.trial());
        }
        if (trials.isEmpty()) {
            return null;
        }
        GraphNetwork hypothesis = g.withNodes(m -> m.index() != n.index() ? m : new GraphNode(m.index(), m.name(),
                m.options(), layer, m.inputs(), m.activation(), m.softmax(), m.frozen(), m.offset()));
        int matched = 0;
        for (int t : trials) {
            GraphCase c = cases.apply(t);
            double[] h = hypothesis.gradient(c.theta(), c.data(), g.forward(c.theta(), c.data()));
            for (ParameterResult r : all) {
                if (r.layer() == 0 || r.trial() != t) {
                    continue;
                }
                double want = h[r.index()];
                if (!(Math.abs(r.analytic() - want) <= HYPOTHESIS * Math.max(Math.abs(want), Math.abs(r.exact())))) {
                    return null;
                }
                matched++;
            }
        }
        return new int[] {trials.size(), matched};
    }

    /** How close to the hypothesis a gradient must be (relative): rounding, not a tolerance. */
    static final double HYPOTHESIS = 1e-9;

    /** Whether node a lies strictly upstream of node n (an input gradient of n reaches it). */
    private static boolean upstream(GraphNetwork g, int a, GraphNode n) {
        for (int i : n.inputs()) {
            if (i >= 0 && (i == a || upstream(g, a, g.nodes().get(i)))) {
                return true;
            }
        }
        return false;
    }
}
