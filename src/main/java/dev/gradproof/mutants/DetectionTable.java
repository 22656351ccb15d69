package dev.gradproof.mutants;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * How well the harness does against the zoo: every mutant on every spec over seeds 1..k, one trial
 * each, through the same engine and SPI as any other implementation. A bug must be caught (verdict
 * mismatch) in every trial where it applies; a correct variant must never be flagged.
 */
@API(status = INTERNAL, since = "0.2")
public final class DetectionTable {
    private DetectionTable() {
    }

    /** Told after each run, for a progress display; called from one thread. */
    @FunctionalInterface
    public interface Progress {
        void update(int done, int total, String mutant, String spec);

        Progress NONE = (done, total, mutant, spec) -> { };
    }

    /**
     * One mutant on one spec.
     *
     * @param reason     why not applicable, else null
     * @param flagged    trials with verdict mismatch
     * @param errors     trials with verdict error (the engine or the mutant failed; never counts as caught)
     * @param unexpected seeds where a bug was not caught, or a correct variant was flagged
     * @param firstProblem the first error message, or the first false alarm's headline; null if none
     * @param seconds    wall time of its runs
     */
    public record Entry(String mutant, String spec, boolean applicable, String reason, int trials, int flagged,
                        int errors, List<Long> unexpected, String firstProblem, double seconds) {
    }

    /** One mutant's entries, one per spec. */
    public record Row(String mutant, boolean correct, String summary, List<Entry> entries) {
        public int applicableTrials() {
            return entries.stream().filter(Entry::applicable).mapToInt(Entry::trials).sum();
        }

        public int applicableSpecs() {
            return (int) entries.stream().filter(Entry::applicable).count();
        }

        public int falseAlarms() {
            return correct ? entries.stream().mapToInt(e -> e.unexpected().size()).sum() : 0;
        }

        public int caught() {
            return correct ? 0 : entries.stream().filter(Entry::applicable).mapToInt(Entry::flagged).sum();
        }

        public boolean ok() {
            return entries.stream().allMatch(e -> e.unexpected().isEmpty());
        }

        /** e.g. {@code caught in 100% of 180 applicable trials (9 specs)}. */
        public String summaryLine() {
            int trials = applicableTrials();
            if (trials == 0) {
                return "not applicable to any spec";
            }
            int specs = applicableSpecs();
            String where = " (" + specs + (specs == 1 ? " spec)" : " specs)");
            if (correct) {
                int fa = falseAlarms();
                return fa + (fa == 1 ? " false alarm" : " false alarms") + " in " + trials + " trials" + where;
            }
            return "caught in " + percent(caught(), trials) + " of " + trials + " applicable trials" + where;
        }
    }

    /** The whole table. */
    public record Result(List<String> specs, int seeds, List<Row> rows, double seconds) {
        /** Every applicable bug caught in every trial and no false alarm. */
        public boolean ok() {
            return rows.stream().allMatch(Row::ok);
        }

        public int runs() {
            return rows.stream().mapToInt(Row::applicableTrials).sum();
        }

        public Row row(String mutant) {
            return rows.stream().filter(r -> r.mutant().equals(mutant)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no row " + mutant));
        }

        public Entry entry(String mutant, String spec) {
            return row(mutant).entries().stream().filter(e -> e.spec().equals(spec)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no column " + spec));
        }

        /** The fixed-width table, a summary line per mutant, and every miss or false alarm. */
        public String text() {
            StringBuilder s = new StringBuilder();
            s.append("Specs (columns), ").append(seeds).append(seeds == 1 ? " seed" : " seeds")
                    .append(" each, one trial per seed:\n");
            for (int c = 0; c < specs.size(); c++) {
                s.append(String.format(Locale.ROOT, "  %2d  %s%n", c + 1, specs.get(c)));
            }
            s.append('\n');
            int label = rows.stream().mapToInt(r -> r.mutant().length()).max().orElse(6);
            int cell = Math.max(5, (seeds + "/" + seeds).length());
            for (Row r : rows) {
                for (Entry e : r.entries()) {
                    cell = Math.max(cell, cell(r, e).length());
                }
            }
            s.append(pad("", label));
            for (int c = 0; c < specs.size(); c++) {
                s.append(' ').append(left(String.valueOf(c + 1), cell));
            }
            s.append('\n');
            boolean correctShown = false;
            for (Row r : rows) {
                if (r.correct() && !correctShown) {
                    s.append(pad("correct variants:", label)).append('\n');
                    correctShown = true;
                }
                s.append(pad(r.mutant(), label));
                for (Entry e : r.entries()) {
                    s.append(' ').append(left(cell(r, e), cell));
                }
                s.append('\n');
            }
            s.append('\n');
            for (Row r : rows) {
                s.append(pad(r.mutant(), label)).append("  ").append(r.summaryLine()).append('\n');
            }
            List<String> problems = new ArrayList<>();
            for (Row r : rows) {
                for (Entry e : r.entries()) {
                    if (!e.unexpected().isEmpty()) {
                        problems.add(r.mutant() + " on " + e.spec() + ": "
                                + (r.correct() ? "flagged" : "not caught") + " at seed" + (e.unexpected().size() == 1 ? " " : "s ")
                                + e.unexpected().stream().map(String::valueOf).collect(Collectors.joining(", "))
                                + (e.firstProblem() == null ? "" : " (" + e.firstProblem() + ")"));
                    }
                }
            }
            if (!problems.isEmpty()) {
                s.append('\n');
                problems.forEach(p -> s.append(p).append('\n'));
            }
            s.append('\n').append(ok() ? "OK: every applicable bug caught in every trial, no false alarm"
                            : "NOT OK: " + problems.size() + (problems.size() == 1 ? " entry" : " entries") + " above")
                    .append(String.format(Locale.ROOT, " (%d runs in %.1f s)%n", runs(), seconds));
            return s.toString();
        }

        /** Machine-readable form (snake_case keys, as report.json). */
        public ObjectNode json() {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("seeds", seeds);
            root.put("trials_per_seed", 1);
            root.put("ok", ok());
            root.put("runs", runs());
            root.put("seconds", seconds);
            ArrayNode sp = root.putArray("specs");
            specs.forEach(sp::add);
            ArrayNode ms = root.putArray("mutants");
            for (Row r : rows) {
                ObjectNode m = ms.addObject();
                m.put("name", r.mutant());
                m.put("correct", r.correct());
                m.put("summary", r.summary());
                m.put("applicable_trials", r.applicableTrials());
                if (r.correct()) {
                    m.put("false_alarms", r.falseAlarms());
                } else {
                    m.put("caught", r.caught());
                }
                m.put("ok", r.ok());
                m.put("result", r.summaryLine());
                ArrayNode es = m.putArray("entries");
                for (Entry e : r.entries()) {
                    ObjectNode n = es.addObject();
                    n.put("spec", e.spec());
                    n.put("applicable", e.applicable());
                    if (!e.applicable()) {
                        n.put("reason", e.reason());
                        continue;
                    }
                    n.put("trials", e.trials());
                    n.put("flagged", e.flagged());
                    n.put("errors", e.errors());
                    ArrayNode u = n.putArray(r.correct() ? "false_alarm_seeds" : "missed_seeds");
                    e.unexpected().forEach(u::add);
                    if (e.firstProblem() != null) {
                        n.put("first_problem", e.firstProblem());
                    }
                    n.put("seconds", e.seconds());
                }
            }
            return root;
        }

        private static String cell(Row r, Entry e) {
            if (!e.applicable()) {
                return "n/a";
            }
            if (r.correct()) {
                return e.unexpected().size() + " FA";
            }
            return e.flagged() + "/" + e.trials() + (e.errors() > 0 ? "!" : "");
        }
    }

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static Result run(List<Spec> specs, int seedsPerSpec, List<Mutant> mutants) {
        return run(specs, seedsPerSpec, mutants, Progress.NONE);
    }

    /**
     * Runs every applicable (mutant, spec) pair on seeds 1..{@code seedsPerSpec}, one trial per seed.
     * Parallelism is the engine's (over parameters within a trial).
     */
    public static Result run(List<Spec> specs, int seedsPerSpec, List<Mutant> mutants, Progress progress) {
        if (seedsPerSpec < 1) {
            throw new IllegalArgumentException("seeds per spec must be at least 1, got " + seedsPerSpec);
        }
        long start = System.nanoTime();
        int total = 0;
        for (Mutant m : mutants) {
            for (Spec s : specs) {
                total += m.applies(s).applicable() ? seedsPerSpec : 0;
            }
        }
        int done = 0;
        List<Row> rows = new ArrayList<>();
        for (Mutant m : mutants) {
            List<Entry> entries = new ArrayList<>();
            for (Spec spec : specs) {
                Applicability a = m.applies(spec);
                if (!a.applicable()) {
                    entries.add(new Entry(m.name(), spec.name(), false, a.reason(), 0, 0, 0, List.of(), null, 0));
                    continue;
                }
                long t0 = System.nanoTime();
                int flagged = 0;
                int errors = 0;
                List<Long> unexpected = new ArrayList<>();
                String first = null;
                for (long seed = 1; seed <= seedsPerSpec; seed++) {
                    Spec s = spec.withSeed(seed).withCheck(spec.check().withTrials(1));
                    SpecResult r = SpecChecker.run(s, UnderTest.of(m.implementation(s)), SpecChecker.Progress.NONE);
                    boolean caught = r.verdict() == Verdict.MISMATCH;
                    flagged += caught ? 1 : 0;
                    errors += r.verdict() == Verdict.ERROR ? 1 : 0;
                    boolean expected = m.correct() ? r.verdict() == Verdict.PASS : caught;
                    if (!expected) {
                        unexpected.add(seed);
                        if (first == null) {
                            first = problem(r);
                        }
                    }
                    progress.update(++done, total, m.name(), spec.name());
                }
                entries.add(new Entry(m.name(), spec.name(), true, null, seedsPerSpec, flagged, errors,
                        List.copyOf(unexpected), first, (System.nanoTime() - t0) / 1e9));
            }
            rows.add(new Row(m.name(), m.correct(), m.summary(), List.copyOf(entries)));
        }
        return new Result(specs.stream().map(Spec::name).toList(), seedsPerSpec, List.copyOf(rows),
                (System.nanoTime() - start) / 1e9);
    }

    /** A run's problem in one line: the error, or the verdict with its worst mismatch. */
    public static String problem(SpecResult r) {
        if (r.verdict() == Verdict.ERROR) {
            return "error: " + r.error();
        }
        if (r.mismatches().isEmpty()) {
            return String.format(Locale.ROOT, "%s; largest relative error %.3g", r.verdict().label(), r.maxRelativeError());
        }
        var worst = r.mismatches().get(0);
        return String.format(Locale.ROOT, "%s; %d mismatches, worst %s: %.17g vs %.17g", r.verdict().label(),
                r.mismatches().size(), worst.parameter(), worst.analytic(), worst.reference());
    }

    /** Rounded down, so that anything short of every trial never reads 100%. */
    static String percent(int part, int whole) {
        if (part == whole) {
            return "100%";
        }
        return String.format(Locale.ROOT, "%.1f%%", Math.floor(1000.0 * part / whole) / 10);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    private static String left(String s, int width) {
        return pad(s, width);
    }
}
