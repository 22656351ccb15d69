package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphTrialCase;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.layers.LayerOptionException;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

import org.apiguardian.api.API;

/**
 * A layer-graph spec, checked as a dense chain's is: every trial drawn from the spec's seed, every
 * selected parameter judged ({@link GraphTrialCheck}), the same summary, verdict and findings.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphSpecChecker {
    private GraphSpecChecker() {
    }

    /** Against an implementation of the public API, which sees the graph's parameters as named tensors. */
    public static SpecResult run(Spec spec, NetworkUnderTest implementation, SpecChecker.Progress progress, Shard shard) {
        GraphNetwork g;
        try {
            g = GraphFactory.build(spec);
        } catch (IllegalArgumentException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), e.getMessage(), spec.seed(), 0);
        }
        return run(spec, UnderTest.graph(implementation, spec, g), progress, shard);
    }

    /** One trial exactly as a recipe drew it (a jqwik trial, a shrunk counterexample), every parameter checked. */
    public static SpecResult runCase(GraphTrialCase c, NetworkUnderTest implementation) {
        return runCase(c, UnderTest.graph(implementation, c.spec(), c.drawn().network()));
    }

    public static SpecResult runCase(GraphTrialCase c, GraphTrialCheck.Analytic implementation) {
        long start = System.nanoTime();
        Spec spec = c.spec();
        try {
            CheckSpec check = spec.check();
            GraphLayout layout = c.drawn().network().layout();
            int[] params = layout.trainable().stream().filter(p -> check.checks(layout.layer(p)))
                    .mapToInt(Integer::intValue).toArray();
            TrialCheck.Options options = new TrialCheck.Options(true, check.uses(CheckSpec.FINITE_DIFFERENCE),
                    check.tolerance(), Activations.U, check.directions(), Shard.ALL);
            GraphTrialCheck.Outcome o = GraphTrialCheck.run(c.drawn(), 0, implementation, params, options, null);
            SpecResult r = withGraphFindings(c.drawn().network(), t -> c.drawn(), SpecChecker.summarize(spec,
                    Structure.of(spec, c.drawn().network()), params, o.results(), List.of(o.consistency()), c.examples(),
                    (System.nanoTime() - start) / 1e9, Shard.ALL));
            return r.toBuilder().trials(1).build();
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), SpecChecker.message(e), spec.seed(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    public static SpecResult run(Spec spec, GraphTrialCheck.Analytic implementation, SpecChecker.Progress progress,
                                 Shard shard) {
        long start = System.nanoTime();
        try {
            CheckSpec check = spec.check();
            GraphNetwork g = GraphFactory.build(spec);
            GraphLayout layout = g.layout();
            int[] params = (check.directional() ? Shard.ALL : shard).of(TrialCheck.select(layout.trainable().stream()
                            .filter(p -> check.checks(layout.layer(p))).toList(), layout::group,
                    p -> layout.isBias(p) ? 0 : layout.index(p)[0], check.parameters(), spec.seed()));
            if (params.length == 0) {
                return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), shard == Shard.ALL
                        ? "no trainable parameter to check" : "shard " + shard + " holds none of the "
                        + layout.trainable().size() + " trainable parameters: nothing to check (use fewer shards)",
                        spec.seed(), 0);
            }
            TrialCheck.Options options = new TrialCheck.Options(check.uses(CheckSpec.EXACT),
                    check.uses(CheckSpec.FINITE_DIFFERENCE), check.tolerance(), Activations.U, check.directions(), shard);
            if (!options.exact()) {
                return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), "a layer graph is checked"
                        + " against the exact oracle: check.oracles must include exact", spec.seed(), 0);
            }
            long total = (long) (check.directional() ? check.directions() : params.length) * check.trials();
            AtomicLong done = new AtomicLong();
            List<ParameterResult> results = new ArrayList<>();
            List<Consistency> consistency = new ArrayList<>();
            int examples = 0;
            for (int t = 0; t < check.trials(); t++) {
                GraphCase c = GraphFactory.draw(spec, g, t);
                examples = c.data().examples();
                if (examples == 0) {
                    throw new IllegalStateException("trial " + t + " has no examples: nothing to check");
                }
                GraphTrialCheck.Outcome o = GraphTrialCheck.run(c, t, implementation, params, options,
                        n -> progress.update(done.addAndGet(n), total));
                results.addAll(o.results());
                if (check.directional()) {
                    progress.update(done.addAndGet(check.directions()), total);
                }
                consistency.add(o.consistency());
            }
            return withGraphFindings(g, t -> GraphFactory.draw(spec, g, t), SpecChecker.summarize(spec,
                    Structure.of(spec, g), params, results, consistency,
                    examples, (System.nanoTime() - start) / 1e9, shard));
        } catch (LayerOptionException e) {
            String where = e.layer() > 0 ? "layer " + e.layer() + " (" + e.layerName() + "), " + e.key() + ": " : "";
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), where + e.getMessage(), spec.seed(),
                    (System.nanoTime() - start) / 1e9);
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), SpecChecker.message(e), spec.seed(),
                    (System.nanoTime() - start) / 1e9);
        }
    }

    /** The result with the findings only the graph's structure can name ({@link GraphFindings}) added. */
    static SpecResult withGraphFindings(GraphNetwork g, IntFunction<GraphCase> cases, SpecResult r) {
        List<String> more = GraphFindings.describe(g, r.all(), cases);
        if (more.isEmpty()) {
            return r;
        }
        SpecResult.Evidence e = r.evidence();
        List<String> findings = new ArrayList<>(e.findings());
        findings.addAll(more);
        return r.toBuilder().evidence(new SpecResult.Evidence(e.layers(), e.mismatches(), e.inconclusiveResults(),
                e.activationChecks(), e.all(), findings, e.consistency())).build();
    }
}
