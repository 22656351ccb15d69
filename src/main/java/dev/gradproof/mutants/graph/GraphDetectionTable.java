package dev.gradproof.mutants.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.DetectionTable;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * The graph zoo against the harness: every graph mutant on every layer-graph spec where it applies, in both
 * modes, over seeds 1..k (one trial each), through the engine any graph implementation goes through
 * ({@link GraphSpecChecker} with the mutant as the gradient under test). A column is a spec in one mode:
 * <em>exhaustive</em> judges every trainable parameter against the exact oracle (finite differences off:
 * they only corroborate it, and would make a LeNet-5 run a minute), <em>directional</em> the fast check along
 * the spec's directions (8 unless it says).
 */
@API(status = INTERNAL, since = "0.3")
public final class GraphDetectionTable {
    /** How many directions the directional columns use when the spec names none. */
    public static final int DIRECTIONS = 8;

    public enum Mode {
        EXHAUSTIVE, DIRECTIONAL;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** The spec as this mode checks it, at one seed, one trial. */
        Spec apply(Spec spec, long seed) {
            CheckSpec check = spec.check().withTrials(1);
            check = this == EXHAUSTIVE ? check.withDirections(0).withOracles(Set.of(CheckSpec.EXACT))
                    .withParameters(0)
                    : check.withDirections(check.directional() ? check.directions() : DIRECTIONS);
            return spec.withSeed(seed).withCheck(check);
        }
    }

    private GraphDetectionTable() {
    }

    /** The column name of a spec in a mode: {@code lenet5, directional}. */
    public static String column(Spec spec, Mode mode) {
        return spec.name() + ", " + mode.label();
    }

    /**
     * The table and what it left out: seeds where the reference itself did not pass in a column (nothing
     * there can be caught or falsely flagged), and trials where a bug changed only gradients that lie at a
     * kink or tie, whose allowance (any convention there is right) covers the change.
     */
    public record Result(DetectionTable.Result table, List<String> notes) {
        public boolean ok() {
            return table.ok();
        }

        public String text() {
            StringBuilder s = new StringBuilder(table.text());
            if (!notes.isEmpty()) {
                s.append('\n').append("Left out:\n");
                notes.forEach(n -> s.append("  ").append(n).append('\n'));
            }
            return s.toString();
        }
    }

    public static Result run(List<Spec> specs, int seeds, List<GraphMutant> mutants, List<Mode> modes,
                             DetectionTable.Progress progress) {
        if (seeds < 1) {
            throw new IllegalArgumentException("seeds per spec must be at least 1, got " + seeds);
        }
        long start = System.nanoTime();
        List<String> notes = new ArrayList<>();
        List<Spec> kept = new ArrayList<>();
        List<GraphNetwork> graphs = new ArrayList<>();
        for (Spec s : specs) {
            GraphNetwork g = GraphFactory.build(s);
            if (mutants.stream().anyMatch(m -> m.applies(g).applicable())) {
                kept.add(s);
                graphs.add(g);
            } else {
                notes.add(s.name() + ": no graph mutant applies (no column)");
            }
        }
        specs = kept;
        int total = 0;
        for (GraphMutant m : mutants) {
            for (GraphNetwork g : graphs) {
                total += m.applies(g).applicable() ? seeds * modes.size() : 0;
            }
        }
        List<String> columns = new ArrayList<>();
        List<List<Long>> usable = new ArrayList<>();
        for (Spec s : specs) {
            for (Mode mode : modes) {
                columns.add(column(s, mode));
                List<Long> ok = new ArrayList<>();
                for (long seed = 1; seed <= seeds; seed++) {
                    SpecResult r = GraphSpecChecker.run(mode.apply(s, seed), GraphTrialCheck.Analytic.REFERENCE,
                            SpecChecker.Progress.NONE, Shard.ALL);
                    if (r.verdict() == Verdict.PASS) {
                        ok.add(seed);
                    } else {
                        notes.add(column(s, mode) + ", seed " + seed + ": the reference itself is not passed ("
                                + DetectionTable.problem(r) + ")");
                    }
                }
                usable.add(ok);
            }
        }
        int done = 0;
        List<DetectionTable.Row> rows = new ArrayList<>();
        for (GraphMutant m : mutants) {
            List<DetectionTable.Entry> entries = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                Spec spec = specs.get(i);
                Applicability a = m.applies(graphs.get(i));
                for (int k = 0; k < modes.size(); k++) {
                    Mode mode = modes.get(k);
                    String column = column(spec, mode);
                    List<Long> ok = usable.get(i * modes.size() + k);
                    if (!a.applicable() || ok.isEmpty()) {
                        entries.add(new DetectionTable.Entry(m.name(), column, false, a.applicable()
                                ? "the reference itself is not passed at any seed" : a.reason(), 0, 0, 0, List.of(),
                                null, 0));
                        continue;
                    }
                    entries.add(entry(m, spec, graphs.get(i).hasKinks(), mode, ok, notes));
                    done += seeds;
                    progress.update(done, total, m.name(), column);
                }
            }
            rows.add(new DetectionTable.Row(m.name(), m.correct(), m.summary(), List.copyOf(entries)));
        }
        return new Result(new DetectionTable.Result(columns, seeds, List.copyOf(rows), (System.nanoTime() - start) / 1e9),
                List.copyOf(notes));
    }

    /** One mutant on one spec in one mode, at the seeds where the reference passes. */
    static DetectionTable.Entry entry(GraphMutant m, Spec spec, boolean kinks, Mode mode, List<Long> seeds,
                                      List<String> notes) {
        long t0 = System.nanoTime();
        int trials = 0;
        int flagged = 0;
        int errors = 0;
        int unchanged = 0;
        List<Long> unexpected = new ArrayList<>();
        String first = null;
        for (long seed : seeds) {
            SpecResult r = GraphSpecChecker.run(mode.apply(spec, seed), m.implementation(), SpecChecker.Progress.NONE,
                    Shard.ALL);
            boolean caught = r.verdict() == Verdict.MISMATCH;
            if (!m.correct() && !caught && r.verdict() == Verdict.PASS && kinks && hiddenAtKinks(r)) {
                notes.add(m.name() + " on " + column(spec, mode) + ", seed " + seed + ": changed only gradients at a"
                        + " kink or tie, within their allowance (any convention there is right): not counted");
                continue;
            }
            if (GraphMutants.drawDependent(m) && !caught && r.verdict() == Verdict.PASS
                    && unchanged(r, mode.apply(spec, seed))) {
                notes.add(m.name() + " on " + column(spec, mode) + ", seed " + seed + ": left every compared gradient"
                        + " exactly as the reference's (its wrong line computes the same at this draw): not counted");
                unchanged++;
                continue;
            }
            trials++;
            flagged += caught ? 1 : 0;
            errors += r.verdict() == Verdict.ERROR ? 1 : 0;
            boolean expected = m.correct() ? r.verdict() == Verdict.PASS : caught;
            if (!expected) {
                unexpected.add(seed);
                if (first == null) {
                    first = DetectionTable.problem(r);
                }
            }
        }
        if (trials == 0) {
            return new DetectionTable.Entry(m.name(), column(spec, mode), false, unchanged == seeds.size()
                    ? "the gradient unchanged at every seed" : "hidden at kinks or ties at every seed",
                    0, 0, 0, List.of(), null, (System.nanoTime() - t0) / 1e9);
        }
        return new DetectionTable.Entry(m.name(), column(spec, mode), true, null, trials, flagged, errors,
                List.copyOf(unexpected), first, (System.nanoTime() - t0) / 1e9);
    }

    /**
     * Whether a bug's passed run computed exactly the reference's analytic values at every comparison: the
     * wrong line took the same value at this draw (a tie rule where nothing ties), so there was nothing to
     * catch. Bit-for-bit, not within a tolerance: any difference at all is the harness's to judge.
     */
    static boolean unchanged(SpecResult r, Spec spec) {
        SpecResult reference = GraphSpecChecker.run(spec, GraphTrialCheck.Analytic.REFERENCE, SpecChecker.Progress.NONE,
                Shard.ALL);
        List<ParameterResult> a = r.all();
        List<ParameterResult> b = reference.all();
        if (a.isEmpty() || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (Double.compare(a.get(i).analytic(), b.get(i).analytic()) != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a passed run holds a comparison (a parameter, or a direction) whose analytic value is far from
     * the exact one (beyond 1e-6 relative: more than rounding) and within its tolerance: on a graph with kinks
     * or ties only their allowance (any convention there is right) can take up such a difference.
     */
    static boolean hiddenAtKinks(SpecResult r) {
        return r.all().stream().anyMatch(p -> p.status() != Status.MISMATCH
                && Math.abs(p.analytic() - p.exact()) > 1e-6 * Math.max(Math.abs(p.exact()), Math.abs(p.analytic())));
    }
}
