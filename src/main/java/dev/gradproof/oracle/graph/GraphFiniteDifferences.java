package dev.gradproof.oracle.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphData;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.IndexSets;
import dev.gradproof.network.graph.Layer;
import dev.gradproof.oracle.CentralDifferenceOracle;
import dev.gradproof.oracle.FiniteDifference;
import dev.gradproof.oracle.RichardsonStencil;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.apiguardian.api.API;

/**
 * Finite differences of a graph's loss: the shared Richardson stencil ({@link RichardsonStencil}) on
 * loss <em>changes</em> Σ_n (ℓ_n(θ + δ) − ℓ_n(θ)), recomputing only what a perturbation reaches: in the
 * perturbed layer only the outputs the parameter feeds (a dense weight's unit, a kernel entry's channel,
 * an embedding row's examples), then only the layers below it in the graph, and only for the examples
 * it reaches until a batch norm couples them.
 *
 * <p>Below the perturbed layer, a layer whose inputs changed at a few places only updates what they
 * reach ({@code Layer.forwardChanged}: a dense layer adds W·Δx for the changed inputs, a pooling or
 * normalisation recomputes the channels or positions they touch); such an update rounds differently
 * from a full pass by no more than the forward rounding bound the error estimate already carries.
 *
 * <p>Each moved forward pass is compared with the unmoved one on every branch it recomputes (the side
 * of each kink of an activation, each max-pool window's argmax, each L1/Huber/hinge term's side): if
 * one changed within the stencil, the difference straddles a kink or tie and is flagged unreliable,
 * never taken as evidence against the implementation.
 *
 * <p>Thread-safe: {@link #estimate} may be called from several threads (each has its own buffers).
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphFiniteDifferences {
    private final GraphNetwork g;
    private final double[] theta;
    private final GraphData data;
    private final GraphForward base;
    private final double lossRounding;
    private final double baseStep;
    private final int[][] downstream;
    private final long[] baseBranch;
    private final double[][] kinks;
    private final ThreadLocal<Work> work;

    /** With the loss's rounding bound from the exact oracle (costs one tape recording). */
    public GraphFiniteDifferences(GraphNetwork g, double[] theta, GraphData data) {
        this(g, theta, data, TapeOracle.compute(g, theta, data).lossRounding());
    }

    public GraphFiniteDifferences(GraphNetwork g, double[] theta, GraphData data, double lossRounding) {
        this.g = g;
        this.theta = theta.clone();
        this.data = data;
        this.base = g.forward(this.theta, data);
        this.lossRounding = lossRounding;
        this.baseStep = g.hasKinks() ? CentralDifferenceOracle.KINK_STEP : CentralDifferenceOracle.SMOOTH_STEP;
        List<GraphNode> nodes = g.nodes();
        downstream = new int[nodes.size()][];
        for (int k = 0; k < nodes.size(); k++) {
            boolean[] reach = new boolean[nodes.size()];
            reach[k] = true;
            List<Integer> list = new ArrayList<>(List.of(k));
            for (int j = k + 1; j < nodes.size(); j++) {
                for (int in : nodes.get(j).inputs()) {
                    if (in >= 0 && reach[in]) {
                        reach[j] = true;
                    }
                }
                if (reach[j]) {
                    list.add(j);
                }
            }
            downstream[k] = list.stream().mapToInt(Integer::intValue).toArray();
        }
        kinks = new double[nodes.size()][];
        for (int k = 0; k < nodes.size(); k++) {
            var act = nodes.get(k).activation();
            if (act != null && act.kinks().length > 0) {
                kinks[k] = act.kinks().clone();
            }
        }
        int last = nodes.size() - 1;
        baseBranch = new long[data.examples()];
        for (int e = 0; e < data.examples(); e++) {
            baseBranch[e] = g.head().branch(base.z[last], base.a[last], data.y(), e);
        }
        work = ThreadLocal.withInitial(Work::new);
    }

    /** A thread's copy of θ and of every layer's z and a, equal to the unmoved pass between evaluations. */
    private final class Work {
        final double[] th = theta.clone();
        final double[][] z = new double[base.z.length][];
        final double[][] a = new double[base.a.length][];

        Work() {
            for (int k = 0; k < z.length; k++) {
                z[k] = base.z[k].clone();
                a[k] = base.a[k] == base.z[k] ? z[k] : base.a[k].clone();
            }
        }
    }

    /** The step for parameter p: the small one when the network has kinks or ties (as for dense chains). */
    public double step(int p) {
        return RichardsonStencil.step(theta[p], baseStep);
    }

    public GraphFiniteDifference estimate(int p) {
        double h = step(p);
        double[] moves = RichardsonStencil.moves(h);
        double[] c = new double[4];
        boolean crossed = false;
        Work w = work.get();
        for (int q = 0; q < 4; q++) {
            Change change = change(w, p, moves[q]);
            c[q] = change.delta;
            crossed |= change.crossed;
        }
        FiniteDifference fd = RichardsonStencil.estimate(c, 0, h, lossRounding);
        return new GraphFiniteDifference(fd.value(), fd.error(), h, crossed);
    }

    /** Every listed parameter's estimate, over the cores. */
    public GraphFiniteDifference[] estimateAll(int[] params) {
        GraphFiniteDifference[] out = new GraphFiniteDifference[params.length];
        IntStream.range(0, params.length).parallel().forEach(i -> out[i] = estimate(params[i]));
        return out;
    }

    private record Change(double delta, boolean crossed) {
    }

    /** L(θ + δ·e_p) − L(θ), as a sum of per-example changes, and whether a branch changed. */
    private Change change(Work w, int p, double delta) {
        GraphLayout.Tensor tensor = g.layout().tensorOf(p);
        int k = tensor.layer() - 1;
        GraphNode node = g.nodes().get(k);
        Layer layer = node.layer();
        int local = p - node.offset();
        int n = data.examples();
        int[] rows = layer.examplesReached(local, g.inputs(k, data.x(), w.a), n);
        boolean crossed = false;
        w.th[p] = theta[p] + delta;
        int[] done = downstream[k];
        int[][] rowsAt = new int[done.length][];
        // What changed in each recomputed layer, as indices within one example (null: everything).
        int[][] changedAt = new int[g.nodes().size()][];
        boolean[] recomputed = new boolean[g.nodes().size()];
        try {
            for (int i = 0; i < done.length; i++) {
                int j = done[i];
                GraphNode nj = g.nodes().get(j);
                if (!nj.layer().perExample()) {
                    rows = null;
                }
                rowsAt[i] = rows;
                Batch b = new Batch(n, rows, data.seed(), j + 1);
                double[][] x = g.inputs(j, data.x(), w.a);
                Object saved;
                if (j == k) {
                    saved = g.forwardNodeMoved(j, local, w.th, x, w.z[j], w.a[j], base.saved[j], b);
                    changedAt[j] = g.outputsReached(j, local);
                } else {
                    int[][] changed = inputChanges(nj, changedAt, recomputed);
                    saved = changed == null ? Layer.UNHANDLED
                            : g.forwardNodeChanged(j, w.th, x, g.inputs(j, data.x(), base.a), changed, w.z[j], w.a[j],
                            base.saved[j], b);
                    if (saved == Layer.UNHANDLED) {
                        saved = g.forwardNodeOwnUnmoved(j, w.th, x, w.z[j], w.a[j], base.saved[j], b);
                        changedAt[j] = null;
                    } else {
                        changedAt[j] = g.outputsChanged(j, changed);
                    }
                }
                recomputed[j] = true;
                crossed |= !nj.layer().sameBranches(base.saved[j], saved, b) || kinkCrossed(j, w.z[j], b);
            }
            int last = g.nodes().size() - 1;
            double sum = 0;
            Batch b = new Batch(n, rows, data.seed(), last + 1);
            for (int r = 0; r < b.count(); r++) {
                int e = b.row(r);
                sum += g.head().value(w.z[last], w.a[last], data.y(), e) - base.exampleLoss[e];
                crossed |= g.head().branch(w.z[last], w.a[last], data.y(), e) != baseBranch[e];
            }
            double change = g.reductionScale(n) * sum;
            if (g.penalised(p)) {
                change += 0.5 * g.l2Scale(n) * ((2 * theta[p] + delta) * delta);
            }
            return new Change(change, crossed);
        } finally {
            w.th[p] = theta[p];
            for (int i = 0; i < done.length; i++) {
                restore(w, done[i], rowsAt[i]);
            }
        }
    }

    /** What changed in each of node's inputs (empty: nothing), or null when one changed everywhere. */
    private static int[][] inputChanges(GraphNode node, int[][] changedAt, boolean[] recomputed) {
        int[] from = node.inputs();
        int[][] out = new int[from.length][];
        for (int q = 0; q < from.length; q++) {
            if (from[q] < 0 || !recomputed[from[q]]) {
                out[q] = IndexSets.EMPTY;
            } else if (changedAt[from[q]] == null) {
                return null;
            } else {
                out[q] = changedAt[from[q]];
            }
        }
        return out;
    }

    /** Whether a kinked activation's input changed sides (or left or reached a kink) at one of the batch's rows. */
    private boolean kinkCrossed(int k, double[] z, Batch b) {
        double[] at = kinks[k];
        if (at == null) {
            return false;
        }
        int size = g.nodes().get(k).shape().size();
        double[] z0 = base.z[k];
        for (int r = 0; r < b.count(); r++) {
            int e = b.row(r);
            for (double kink : at) {
                if (sidesDiffer(z, z0, e * size, (e + 1) * size, kink)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Whether z[i] and z0[i] lie on different sides of the kink (above, below, at it, or NaN) at some i of
     * [from, to): the sign of z − kink compared, without a branch per entry (this runs over every
     * recomputed unit of a kinked layer, four times per parameter).
     */
    static boolean sidesDiffer(double[] z, double[] z0, int from, int to, double kink) {
        if (sameStrictSides(z, z0, from, to, kink)) {
            return false;
        }
        boolean differ = false;
        for (int i = from; i < to; i++) {
            double v = z[i];
            double v0 = z0[i];
            differ |= ((v > kink) ^ (v0 > kink)) | ((v < kink) ^ (v0 < kink)) | ((v != v) ^ (v0 != v0));
        }
        return differ;
    }

    /**
     * A sufficient test, four times faster (a min reduction C2 vectorises): if every (z[i] − kink)·(z0[i] −
     * kink) is positive, each pair lies strictly on one side (a difference of distinct doubles is never
     * rounded to 0, and a NaN makes the minimum NaN). An underflowing product only sends the caller to
     * the exact test.
     */
    private static boolean sameStrictSides(double[] z, double[] z0, int from, int to, double kink) {
        double m = Double.POSITIVE_INFINITY;
        for (int i = from; i < to; i++) {
            m = Math.min(m, (z[i] - kink) * (z0[i] - kink));
        }
        return m > 0;
    }

    private void restore(Work w, int k, int[] rows) {
        if (rows == null) {
            System.arraycopy(base.z[k], 0, w.z[k], 0, w.z[k].length);
            if (w.a[k] != w.z[k]) {
                System.arraycopy(base.a[k], 0, w.a[k], 0, w.a[k].length);
            }
            return;
        }
        int size = g.nodes().get(k).shape().size();
        for (int e : rows) {
            System.arraycopy(base.z[k], e * size, w.z[k], e * size, size);
            if (w.a[k] != w.z[k]) {
                System.arraycopy(base.a[k], e * size, w.a[k], e * size, size);
            }
        }
    }
}
