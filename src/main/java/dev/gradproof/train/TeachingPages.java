package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.api.Verdict;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.network.Activation;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.Numbers;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.report.plot.Plots;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * One teaching page per mutant (Markdown, and self-contained HTML with the pictures embedded), and
 * an index: the bug, the gradient check's evidence against it, the derivative it uses (for an
 * activation bug), what it does to training next to the correct gradient, and the fix.
 *
 * <p>Each mutant is shown on the first seed problem it applies to (XOR, then sine, then two moons);
 * a mutant that applies to none is shown on the cheapest bundled spec it applies to.
 */
@API(status = INTERNAL, since = "0.2")
public final class TeachingPages {
    /** Seed problems, by spec name, in order of preference. */
    public static final List<String> SEED_PROBLEMS = List.of("bpnn-xor", "sine-regression", "two-moons-4-layer");

    private TeachingPages() {
    }

    /** The bundled specs a mutant can be shown on: loadable, expected to pass, no derivative override. */
    public record Catalogue(List<Spec> specs) {
        public Catalogue {
            specs = List.copyOf(specs);
        }

        /** Loads every *.yaml / *.yml directly in {@code dir}; specs that fail to load are left out. */
        public static Catalogue load(Path dir) throws IOException {
            List<Spec> specs = new ArrayList<>();
            List<Path> files;
            try (var s = Files.list(dir)) {
                files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
            }
            SpecLoader loader = new SpecLoader();
            for (Path f : files) {
                try {
                    Spec spec = loader.load(f);
                    if (spec.expect().verdict() == Verdict.PASS && !TrainingPlan.overridesDerivative(spec)
                            && spec.implementation().isReference()) {
                        specs.add(spec);
                    }
                } catch (SpecException | RuntimeException e) {
                    // not usable for teaching; `gradproof check` reports it
                }
            }
            return new Catalogue(specs);
        }

        /** The seed problem, else the cheapest spec (parameters x examples) the mutant applies to; null if none. */
        public Spec choose(Mutant m) {
            for (String name : SEED_PROBLEMS) {
                for (Spec s : specs) {
                    if (s.name().equals(name) && m.applies(s).applicable()) {
                        return s;
                    }
                }
            }
            return specs.stream().filter(s -> m.applies(s).applicable()).min(Comparator.comparingLong(Catalogue::cost))
                    .orElse(null);
        }

        static long cost(Spec s) {
            try {
                return (long) NetworkFactory.layout(s.network()).total() * TrialRecipe.exampleCount(s);
            } catch (RuntimeException e) {
                return Long.MAX_VALUE;
            }
        }
    }

    /** One page written. */
    public record Page(String mutant, String summary, boolean correctVariant, String spec, Verdict verdict,
                       String effect, String markdown, String html) {
    }

    /** Writes every mutant's page, then the index; {@code log} hears one line per page. */
    public static List<Page> writeAll(List<Mutant> mutants, Catalogue catalogue, Path out, Consumer<String> log)
            throws IOException {
        return writeAll(mutants, catalogue, List.of(), null, out, log);
    }

    /**
     * Writes every dense mutant's page, then every layer-graph mutant's, then the index of both;
     * {@code log} hears one line per page.
     */
    public static List<Page> writeAll(List<Mutant> mutants, Catalogue catalogue, List<GraphMutant> graphMutants,
                                      GraphTeachingPages.Catalogue graphs, Path out, Consumer<String> log)
            throws IOException {
        Files.createDirectories(out);
        List<Page> pages = new ArrayList<>();
        for (Mutant m : mutants) {
            long start = System.nanoTime();
            Page p;
            try {
                p = write(m, catalogue, out);
            } catch (RuntimeException e) {
                throw pageFailed(m.name(), e);
            }
            pages.add(p);
            log.accept(logLine(p, start));
        }
        List<Page> graphPages = new ArrayList<>();
        for (GraphMutant m : graphMutants) {
            long start = System.nanoTime();
            Page p;
            try {
                p = GraphTeachingPages.write(m, graphs, out);
            } catch (RuntimeException e) {
                throw pageFailed(m.name(), e);
            }
            graphPages.add(p);
            log.accept(logLine(p, start));
        }
        writeIndex(pages, graphPages, out);
        List<Page> all = new ArrayList<>(pages);
        all.addAll(graphPages);
        return all;
    }

    /** Which page could not be made, and why: a catalogue entry added elsewhere may break one page. */
    static IllegalStateException pageFailed(String mutant, RuntimeException e) {
        return new IllegalStateException("the page of " + mutant + " could not be made: "
                + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()), e);
    }

    private static String logLine(Page p, long start) {
        return String.format(Locale.ROOT, "%-34s %-33s %-9s %-37s %5.1f s", p.mutant(),
                p.spec() == null ? "-" : p.spec(), p.verdict() == null ? "-" : p.verdict().label(),
                p.effect() == null ? "-" : p.effect(), (System.nanoTime() - start) / 1e9);
    }

    /** Writes {@code <mutant>.md}, {@code <mutant>.html} and the Markdown's PNGs into {@code out}. */
    public static Page write(Mutant m, Catalogue catalogue, Path out) throws IOException {
        Files.createDirectories(out);
        Spec spec = catalogue.choose(m);
        Doc doc = new Doc(m.name() + ": " + Doc.plain(m.summary()));
        if (m.correct()) {
            doc.p("**Not a bug.** This is a correct variant: it computes the gradient differently but legitimately, "
                    + "and gradproof must never flag it. It is in the zoo to show that the check has no false alarms.");
        }
        doc.h2(m.correct() ? "The variant" : "The bug");
        doc.p(Doc.plain(m.explanation()));
        doc.p("Applies to: " + Doc.plain(m.requires()) + ".");
        Verdict verdict = null;
        String effectLabel = null;
        if (spec == null) {
            doc.h2("Evidence");
            doc.p("No bundled spec has what this mistake needs, so there is nothing to check or train here.");
        } else {
            String file = spec.file() == null ? spec.name() : display(spec.file());
            SpecResult r = SpecChecker.run(spec, UnderTest.of(m.implementation(spec)), SpecChecker.Progress.NONE);
            verdict = r.verdict();
            evidence(doc, m, spec, file, r);
            derivative(doc, m, spec);
            effectLabel = training(doc, m, spec, file);
        }
        doc.h2(m.correct() ? "Nothing to fix" : "The fix");
        doc.p(Lessons.fix(m.name()));
        doc.p("[All mutants](index.md)");
        String base = m.name();
        for (Doc.Image i : doc.images()) {
            TrainReport.writeAtomically(out.resolve(i.file()), i.png());
        }
        ReportWriter.writeAtomically(out.resolve(base + ".md"), doc.markdown());
        ReportWriter.writeAtomically(out.resolve(base + ".html"), doc.html(true));
        return new Page(m.name(), m.summary(), m.correct(), spec == null ? null : spec.name(), verdict, effectLabel,
                base + ".md", base + ".html");
    }

    private static void evidence(Doc doc, Mutant m, Spec spec, String file, SpecResult r) {
        doc.h2("What the gradient check says");
        boolean caught = r.verdict() == Verdict.MISMATCH;
        String outcome = switch (r.verdict()) {
            case MISMATCH -> m.correct() ? "flagged it (a false alarm: this is a correct variant)" : "caught it";
            case PASS -> m.correct() ? "passed it, as it should" : "did not catch it";
            case FORWARD_DIFFERS -> "found its loss differs from the spec's, with a gradient consistent with that loss";
            case ERROR -> "could not run: " + r.error();
        };
        doc.p("Checked on `" + file + "` (" + r.trials() + (r.trials() == 1 ? " trial" : " trials") + " x "
                + r.parametersChecked() + " parameters, exact forward-mode derivatives and finite differences against "
                + "the mutant's backprop): verdict **" + r.verdict().label() + "**; gradproof " + outcome + ".");
        doc.p("Reproduce: `./gradproof check " + file + " --impl mutant:" + m.name() + "`");
        if (caught || !r.findings().isEmpty()) {
            String details = Messages.details(r, Medium.TEACHING_PAGE);
            if (!details.isBlank()) {
                doc.code(details);
            }
        }
        if (!r.findings().isEmpty()) {
            doc.p("What the evidence points at:");
            doc.bullets(r.findings().stream().map(f -> f.strip()).toList());
        }
    }

    /** For an activation bug: declared vs exact derivative on the first affected layer. */
    private static void derivative(Doc doc, Mutant m, Spec spec) {
        if (!Lessons.derivativeBug(m.name())) {
            return;
        }
        List<LayerSpec> layers = spec.network().layers();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec ls = layers.get(l);
            Lessons.Declared d = Lessons.declared(m.name(), ls.activation(), l < layers.size() - 1);
            Activation base = d == null ? null : NetworkFactory.activation(ls.activation());
            if (base == null) {
                continue;
            }
            DeclaredActivation f = new DeclaredActivation(base, d);
            String description = ls.activation().describe() + " with declared f'(x) = " + d.formula();
            byte[] png;
            try {
                png = Plots.derivativePng(spec.name() + " with " + m.name(), l + 1, f, description);
            } catch (RuntimeException | LinkageError e) {
                doc.p("(The derivative plot could not be drawn: " + e + ".)");
                return;
            }
            doc.h2("The derivative it uses");
            doc.p("Layer " + (l + 1) + " (" + ls.activation().describe() + "): backpropagation uses f'(x) = `"
                    + d.formula() + "` instead of the exact derivative of the function the forward pass computes.");
            doc.image("declared vs exact derivative", m.name() + "-derivative.png", png);
            return;
        }
    }

    /** Correct vs mutant from the same start; returns the effect's label. */
    private static String training(Doc doc, Mutant m, Spec spec, String file) {
        TrainingPlan plan = TrainingPlan.of(spec, List.of(m));
        Defaults.Choice choice = Defaults.choose(plan, null, null);
        TrainReport report = TrainReport.run(plan, choice, Trainer.Progress.NONE);
        TrainingRun correct = report.correct();
        TrainingRun mutant = report.run(m.name());
        doc.h2("What it does to training");
        boolean seed = SEED_PROBLEMS.contains(spec.name());
        doc.p("Full-batch gradient descent on `" + file + "`" + (seed ? "" : " (no seed problem has what this mistake "
                + "needs)") + ", " + report.setting() + ": once with the correct gradient, once with the mutant's. "
                + "Both start from the same weights, and both losses are the spec's true loss.");
        String title = m.name() + " on " + spec.name() + ": training loss, learning rate "
                + Numbers.g(choice.options().learningRate());
        doc.image("training loss, correct vs " + m.name(), m.name() + "-training.png",
                LossCurveChart.png(LossCurveChart.build(title, report.yAxisTitle(), report.runs())));
        doc.p(Effect.describe(correct, mutant));
        doc.table(List.of("gradient", "first loss", "final loss", correct.task().metric(), "outcome"),
                report.runs().stream().map(r -> List.of(r.label(), Numbers.g(r.initialLoss()), TrainReport.loss(r.finalLoss()),
                        TrainReport.score(r), r.outcome())).toList(), "lrrrl");
        doc.p("Reproduce: `./gradproof train " + file + " --mutant " + m.name() + "`");
        return Effect.of(correct, mutant).label();
    }

    /** index.md and index.html: one row per page. */
    public static void writeIndex(List<Page> pages, Path out) throws IOException {
        writeIndex(pages, List.of(), out);
    }

    /** index.md and index.html: one row per page, the dense chains' zoo first, then the layer graphs'. */
    public static void writeIndex(List<Page> pages, List<Page> graphPages, Path out) throws IOException {
        Doc doc = new Doc("The bug zoo, one page per mutant");
        doc.p("Each page shows one backpropagation mistake (or a correct variant): the gradient check's evidence "
                + "against it, the derivative it uses when it is an activation bug, what it does to training next "
                + "to the correct gradient from the same start, and the fix. Generated by `./gradproof teach`; "
                + "docs/TEACHING.md walks through the tanh tutorial bug by hand.");
        List<String> header = List.of("mutant", "kind", "what it computes", "shown on", "check verdict",
                "effect on training");
        if (!pages.isEmpty()) {
            if (!graphPages.isEmpty()) {
                doc.h2("Dense chains");
            }
            doc.table(header, rows(pages), "llllll");
        }
        if (!graphPages.isEmpty()) {
            doc.h2("Layer graphs");
            doc.p("Bugs in the backward passes of convolutions, pooling, normalisation, dropout, embeddings, recurrent "
                    + "cells, attention, residual joins and losses (the layer-graph zoo, "
                    + "`./gradproof mutants list`). Each page quotes the wrong line, shows what the check prints, "
                    + "draws the error per layer (per channel and kernel position for a convolution, per time step "
                    + "for a recurrent layer) and trains with and without the bug. docs/TEACHING.md has a lesson plan "
                    + "for a CNN session and one for an RNN session built on them.");
            doc.table(header, rows(graphPages), "llllll");
        }
        ReportWriter.writeAtomically(out.resolve("index.md"), doc.markdown());
        ReportWriter.writeAtomically(out.resolve("index.html"), doc.html(true));
    }

    private static List<List<String>> rows(List<Page> pages) {
        List<List<String>> rows = new ArrayList<>();
        for (Page p : pages) {
            rows.add(List.of("[" + p.mutant() + "](" + p.markdown() + ")", p.correctVariant() ? "correct variant" : "bug",
                    Doc.plain(p.summary()), p.spec() == null ? "-" : "`" + p.spec() + "`",
                    p.verdict() == null ? "-" : p.verdict().label(), p.effect() == null ? "-" : p.effect()));
        }
        return rows;
    }

    /** A spec path as a reader types it: relative to the working folder when inside it. */
    static String display(Path file) {
        Path abs = file.toAbsolutePath().normalize();
        Path cwd = Path.of("").toAbsolutePath().normalize();
        return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : file.toString();
    }
}
