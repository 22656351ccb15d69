package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.GraphSpecChecker;
import dev.gradproof.compare.GraphTrialCheck;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.report.Medium;
import dev.gradproof.report.Messages;
import dev.gradproof.report.Numbers;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.report.plot.Plots;
import dev.gradproof.spec.CheckSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.Shape;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.apiguardian.api.API;

/**
 * One teaching page per layer-graph mutant, driven by the graph zoo's catalogue (a mutant added there gets
 * its page with no code here): its wrong line, what the check prints about it, the evidence (errors per
 * layer; a convolution's error per output channel and kernel position; a recurrent layer's gradient per
 * time step), and what it does to training next to the correct gradient from the same start.
 *
 * <p>Each mutant is shown on the cheapest bundled layer-graph spec it applies to (parameters × examples),
 * preferring one whose output is one vector per example, so the training section can score it.
 */
@API(status = INTERNAL, since = "0.3")
public final class GraphTeachingPages {
    /**
     * Epochs of each teaching run: fewer than {@code train}'s 300 for a graph, so that every page is made
     * in seconds; the page says so.
     */
    public static final int EPOCHS = 100;
    /**
     * Above this many parameters × examples a page checks against the exact oracle alone: finite differences
     * only corroborate it, and on the bundled architectures they take 7 to 30 s a page.
     */
    public static final long FINITE_DIFFERENCES_UP_TO = 5_000;
    /**
     * Above this many parameters × examples a spec is large for a page: it is trained for {@link #LARGE_EPOCHS}
     * with a learning rate tuned over {@link #LARGE_TUNING} epochs (a full-batch step of the ResNet block
     * takes about 0.15 s).
     */
    public static final long LARGE = 10_000;
    public static final int LARGE_EPOCHS = 50;
    public static final int LARGE_TUNING = 5;
    /** Heat maps drawn per page at most (LeNet-5 has two convolutions). */
    static final int MAX_HEAT_MAPS = 3;

    private GraphTeachingPages() {
    }

    /** The bundled layer-graph specs a mutant can be shown on: loadable, expected to pass, the reference. */
    public record Catalogue(List<Candidate> candidates) {
        public Catalogue {
            candidates = List.copyOf(candidates);
        }

        /** The specs of {@code dir}, {@code dir/architectures} and {@code dir/layers}; unreadable ones are left out. */
        public static Catalogue load(Path dir) throws IOException {
            List<Candidate> found = new ArrayList<>();
            SpecLoader loader = new SpecLoader();
            for (Path d : List.of(dir, dir.resolve("architectures"), dir.resolve("layers"))) {
                if (!Files.isDirectory(d)) {
                    continue;
                }
                List<Path> files;
                try (var s = Files.list(d)) {
                    files = s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted()
                            .toList();
                }
                for (Path f : files) {
                    try {
                        Spec spec = loader.load(f);
                        if (spec.network().isGraph() && spec.expect().verdict() == Verdict.PASS
                                && spec.implementation().isReference() && !TrainingPlan.overridesDerivative(spec)) {
                            GraphNetwork g = GraphFactory.build(spec);
                            long examples = GraphFactory.draw(spec, g, 0).data().examples();
                            found.add(new Candidate(spec, g, (long) g.layout().total() * examples));
                        }
                    } catch (SpecException | RuntimeException e) {
                        // not usable for teaching; `gradproof check` reports it
                    }
                }
            }
            return new Catalogue(found);
        }

        /** One vector out per example first (trainable with a score), then the cheapest; null if none applies. */
        public Candidate choose(GraphMutant m) {
            return candidates.stream().filter(c -> m.applies(c.graph()).applicable())
                    .min(Comparator.comparing((Candidate c) -> !c.scored()).thenComparingLong(Candidate::cost))
                    .orElse(null);
        }
    }

    /** A spec, its graph, and parameters × examples. */
    public record Candidate(Spec spec, GraphNetwork graph, long cost) {
        /** Whether its output is one vector per example, which {@code train} scores. */
        public boolean scored() {
            return graph.outputShape().kind() == Shape.Kind.FEATURES;
        }
    }

    /** Writes {@code <mutant>.md}, {@code <mutant>.html} and the Markdown's PNGs into {@code out}. */
    public static TeachingPages.Page write(GraphMutant m, Catalogue catalogue, Path out) throws IOException {
        Files.createDirectories(out);
        Candidate chosen = catalogue.choose(m);
        Doc doc = new Doc(m.name() + ": " + Doc.plain(m.summary()));
        if (m.correct()) {
            doc.p("**Not a bug.** This is a correct variant: it computes the gradient differently but legitimately, "
                    + "and gradproof must never flag it. It is in the zoo to show that the check has no false alarms.");
        }
        doc.h2(m.correct() ? "The variant" : "The bug");
        doc.p("In the backward pass of `" + m.layer() + "`, " + (m.correct() ? "the line reads:" : "the wrong line:"));
        doc.code(m.wrongLine());
        doc.p(Doc.plain(m.explanation()));
        doc.p("Applies to: " + Doc.plain(m.requires()) + ".");
        Verdict verdict = null;
        String effect = null;
        if (chosen == null) {
            doc.h2("Evidence");
            doc.p("No bundled layer-graph spec has what this mistake needs, so there is nothing to check or train here.");
        } else {
            Spec spec = chosen.spec();
            String file = spec.file() == null ? spec.name() : TeachingPages.display(spec.file());
            boolean exactOnly = chosen.cost() > FINITE_DIFFERENCES_UP_TO && spec.check().uses(CheckSpec.FINITE_DIFFERENCE);
            Spec checked = exactOnly ? spec.withCheck(spec.check().withOracles(Set.of(CheckSpec.EXACT))) : spec;
            SpecResult r = GraphSpecChecker.run(checked, m.implementation(), SpecChecker.Progress.NONE, Shard.ALL);
            verdict = r.verdict();
            evidence(doc, m, file, r, exactOnly ? chosen : null);
            plots(doc, m, chosen, r);
            effect = training(doc, m, chosen, file);
        }
        doc.h2(m.correct() ? "Nothing to fix" : "The fix");
        doc.p(fix(m));
        doc.p("[All mutants](index.md)");
        for (Doc.Image i : doc.images()) {
            TrainReport.writeAtomically(out.resolve(i.file()), i.png());
        }
        ReportWriter.writeAtomically(out.resolve(m.name() + ".md"), doc.markdown());
        ReportWriter.writeAtomically(out.resolve(m.name() + ".html"), doc.html(true));
        return new TeachingPages.Page(m.name(), m.summary(), m.correct(), chosen == null ? null : chosen.spec().name(),
                verdict, effect, m.name() + ".md", m.name() + ".html");
    }

    /** The reference line the wrong line names, when it names one. */
    static String fix(GraphMutant m) {
        if (m.correct()) {
            return "Both ways are right; keep whichever is clearer. A gradient check with the exact oracle tells "
                    + "the two apart from a real bug.";
        }
        String line = m.wrongLine();
        int at = line.indexOf("(reference:");
        String reference = at < 0 ? null : line.substring(at + "(reference:".length(), line.lastIndexOf(')')).strip();
        return (reference == null ? "Write the backward pass the forward pass implies."
                : "Write the reference line instead: `" + reference + "`.")
                + " Then run the gradient check again on a spec where the mistake applies (" + Doc.plain(m.requires())
                + "): it must pass.";
    }

    /** @param exactOnly the spec when its finite differences were left out, else null */
    private static void evidence(Doc doc, GraphMutant m, String file, SpecResult r, Candidate exactOnly) {
        doc.h2("What the gradient check says");
        String outcome = switch (r.verdict()) {
            case MISMATCH -> m.correct() ? "flagged it (a false alarm: this is a correct variant)" : "caught it";
            case PASS -> m.correct() ? "passed it, as it should" : "did not catch it";
            case FORWARD_DIFFERS -> "found its loss differs from the spec's, with a gradient consistent with that loss";
            case ERROR -> "could not run: " + r.error();
        };
        doc.p("Checked on `" + file + "` with the mutant's backward pass as the gradient under test ("
                + r.trials() + (r.trials() == 1 ? " trial" : " trials") + " x " + r.parametersChecked()
                + " parameters, against exact forward-mode derivatives): verdict **" + r.verdict().label()
                + "**; gradproof " + outcome + ". The check prints" + (r.verdict() == Verdict.PASS ? ""
                : ", as for any implementation that fails the spec's `expect: pass`") + (exactOnly == null ? ":" : " (finite differences left out: this spec has "
                + exactOnly.graph().layout().total() + " parameters and " + exactOnly.cost()
                / exactOnly.graph().layout().total() + " examples, where they take many seconds and only corroborate "
                + "the exact oracle; `gradproof check` runs both):"));
        doc.code(Messages.specLine(r) + "\n" + Messages.details(r, Medium.CONSOLE_WITHOUT_REPORT));
        if (!r.findings().isEmpty()) {
            doc.p("What the evidence points at:");
            doc.bullets(r.findings().stream().map(String::strip).toList());
        }
        doc.p("Reproduce (the detection table's row for this mutant on this spec, three seeds, both modes): "
                + "`./gradproof mutants table --graphs --mutant " + m.name() + " " + file + "`");
    }

    private static void plots(Doc doc, GraphMutant m, Candidate chosen, SpecResult r) {
        if (r.verdict() == Verdict.ERROR) {
            return;
        }
        GraphNetwork g = chosen.graph();
        doc.h2("The evidence, drawn");
        doc.p("Every compared parameter's relative error (analytic against exact), grouped by layer in spec order, "
                + "against its tolerance: " + (r.verdict() == Verdict.PASS ? "every point stays below its layer's line."
                : "the layers whose gradient the mistake reaches stand out above the line."));
        doc.image("relative error per layer", m.name() + "-layer-errors.png", Plots.layerErrorsPng(r));
        int drawn = 0;
        for (GraphNode n : g.nodes()) {
            if (!(n.options() instanceof ConvOptions) || drawn >= MAX_HEAT_MAPS) {
                continue;
            }
            List<GraphCharts.Cell> cells = GraphCharts.convErrors(r, g, n);
            if (cells.isEmpty()) {
                continue;
            }
            drawn++;
            int[] shape = GraphCharts.weight(g, n).tensor().shape();
            int positions = GraphCharts.positions(shape);
            long wrong = cells.stream().filter(c -> c.value() > 1e-6).count();
            doc.p("Convolution `" + n.name() + "`: per output channel (row) and kernel position (column; the last column "
                    + "is the channel's bias), the largest error of its gradient, |analytic - exact|, over its " + shape[1] + " input channel"
                    + (shape[1] == 1 ? "" : "s") + " and the trials, as a fraction of the layer's largest exact "
                    + "gradient entry (white: none; 1: as large as the largest gradient). " + wrong + " of "
                    + cells.size() + " cells are above 1e-6.");
            doc.image("weight-gradient error of " + n.name() + " per channel and kernel position",
                    m.name() + "-" + n.name() + "-heatmap.png", GraphCharts.convHeatMap(m.name() + " on "
                            + chosen.spec().name() + ": " + n.name() + " gradient error", n, cells, shape[0],
                            positions));
        }
        GraphCase start = GraphFactory.draw(chosen.spec(), g, 0);
        StepProbe correct = StepProbe.of(chosen.spec(), g, start);
        StepProbe mutant = StepProbe.of(chosen.spec(), g, start);
        if (correct == null || mutant == null) {
            return;
        }
        correct.gradient(GraphTrialCheck.Analytic.REFERENCE, start.theta(), start);
        mutant.gradient(m.implementation(), start.theta(), start);
        double[] c = correct.norms();
        double[] w = mutant.norms();
        double[] d = correct.norms(mutant.recorded(), correct.recorded());
        doc.p("Per time step t, the size of the gradient the recurrent layer sends back to its input x_t (summed "
                + "over the batch, at trial 0's weights): with the correct backward pass and with the mutant's, and "
                + "the size of their difference. " + stepsSentence(c, w, d));
        doc.image("gradient per time step, correct vs " + m.name(), m.name() + "-steps.png",
                GraphCharts.stepsAtStart(m.name() + " on " + chosen.spec().name()
                        + ": gradient into the recurrent layer's input, per time step", c, w, d));
    }

    /** What the per-step numbers say, in words. */
    static String stepsSentence(double[] correct, double[] mutant, double[] difference) {
        int steps = correct.length;
        int zeroMutant = 0;
        int differ = 0;
        for (int t = 0; t < steps; t++) {
            zeroMutant += mutant[t] == 0 && correct[t] != 0 ? 1 : 0;
            differ += difference[t] > 1e-9 * Math.max(correct[t], 1e-300) ? 1 : 0;
        }
        StringBuilder s = new StringBuilder();
        s.append("They differ at ").append(differ).append(" of ").append(steps).append(" steps");
        if (zeroMutant > 0) {
            s.append("; the mutant's gradient is exactly 0 at ").append(zeroMutant)
                    .append(zeroMutant == 1 ? " step" : " steps").append(" where the correct one is not");
        }
        s.append(" (step 1: correct ").append(Numbers.g(correct[0])).append(", mutant ").append(Numbers.g(mutant[0]))
                .append("; step ").append(steps).append(": correct ").append(Numbers.g(correct[steps - 1]))
                .append(", mutant ").append(Numbers.g(mutant[steps - 1])).append(").");
        return s.toString();
    }

    /** Correct vs mutant from the same start; returns the effect's label. */
    private static String training(Doc doc, GraphMutant m, Candidate chosen, String file) {
        Spec spec = chosen.spec();
        GraphNetwork reference = chosen.graph();
        GraphCase start = GraphFactory.draw(spec, reference, 0);
        var d = start.data();
        Dataset data = new Dataset(d.examples(), reference.inputShape().size(), reference.outputShape().size(), d.x(),
                d.y());
        boolean steps = StepProbe.of(spec, reference, start) != null;
        AtomicReference<Recording> correctRun = new AtomicReference<>();
        AtomicReference<Recording> mutantRun = new AtomicReference<>();
        List<TrainingPlan.Variant> variants = List.of(
                new TrainingPlan.Variant("correct", "correct gradient", TrainingRun.Kind.CORRECT,
                        () -> gradient(GraphTrialCheck.Analytic.REFERENCE, spec, reference, start, steps, correctRun)),
                new TrainingPlan.Variant(m.name(), m.name() + (m.correct() ? " (correct variant)" : ""),
                        m.correct() ? TrainingRun.Kind.CORRECT_VARIANT : TrainingRun.Kind.MUTANT,
                        () -> gradient(m.implementation(), spec, reference, start, steps, mutantRun)));
        TrainingPlan plan = new TrainingPlan(spec, spec, null, Model.of(reference, d), start.theta(), data,
                Task.of(spec, data), variants, List.of());
        boolean large = chosen.cost() > LARGE;
        int epochs = large ? LARGE_EPOCHS : EPOCHS;
        Defaults.Choice choice = large ? new Defaults.Choice(new Trainer.Options(Defaults.tune(plan, LARGE_TUNING),
                epochs), "tuned: lowest loss of the correct run after " + LARGE_TUNING + " epochs among 1, 0.3, 0.1, "
                + "0.03, 0.01, 0.003, 0.001") : Defaults.choose(plan, null, epochs);
        TrainReport report = TrainReport.run(plan, choice, Trainer.Progress.NONE);
        TrainingRun correct = report.correct();
        TrainingRun mutant = report.run(m.name());
        doc.h2("What it does to training");
        doc.p("Full-batch gradient descent on `" + file + "`, " + report.setting() + ": once with the correct "
                + "gradient, once with the mutant's. Both start from the same weights on the same data, and both "
                + "losses are the spec's true loss. " + epochs + " epochs, fewer than `gradproof train` gives a layer "
                + "graph (" + Defaults.GRAPH_EPOCHS + "), so that all pages are made in a couple of minutes"
                + (large ? " (this spec is one of the larger ones: " + LARGE_EPOCHS + " epochs instead of " + EPOCHS
                + ", and a learning rate tuned over " + LARGE_TUNING + " epochs instead of "
                + Defaults.GRAPH_TUNING_EPOCHS + ")." : "."));
        String title = m.name() + " on " + spec.name() + ": training loss, learning rate "
                + Numbers.g(choice.options().learningRate());
        doc.image("training loss, correct vs " + m.name(), m.name() + "-training.png",
                LossCurveChart.png(LossCurveChart.build(title, report.yAxisTitle(), report.runs())));
        doc.p(Effect.describe(correct, mutant));
        if (chosen.scored()) {
            doc.table(List.of("gradient", "first loss", "final loss", correct.task().metric(), "outcome"),
                    report.runs().stream().map(r -> List.of(r.label(), Numbers.g(r.initialLoss()),
                            TrainReport.loss(r.finalLoss()), TrainReport.score(r), r.outcome())).toList(), "lrrrl");
        } else {
            doc.p("(The output is one vector per time step, which `train` does not score: the table gives losses only.)");
            doc.table(List.of("gradient", "first loss", "final loss", "outcome"),
                    report.runs().stream().map(r -> List.of(r.label(), Numbers.g(r.initialLoss()),
                            TrainReport.loss(r.finalLoss()), r.outcome())).toList(), "lrrl");
        }
        if (steps && correctRun.get() != null && mutantRun.get() != null) {
            int[] at = Recording.epochsDrawn(epochs);
            doc.p("For a sequence model, the size of the gradient each run follows per time step (into the recurrent "
                    + "layer's input), at epochs " + at[0] + ", " + at[1] + " and " + at[2] + ": whether the early "
                    + "steps still get a learning signal as training goes on.");
            doc.image("gradient norm per time step during training", m.name() + "-training-steps.png",
                    GraphCharts.stepsDuringTraining(m.name() + " on " + spec.name()
                            + ": gradient per time step during training", at, correctRun.get().norms(at),
                            mutantRun.get().norms(at)));
        }
        doc.p("Reproduce: `./gradproof teach --mutant " + m.name() + "`");
        return Effect.of(correct, mutant).label();
    }

    /** The gradient a run follows; on a sequence model, through a probe that keeps its per-step norms. */
    private static GradientFunction gradient(GraphTrialCheck.Analytic analytic, Spec spec, GraphNetwork reference,
                                             GraphCase start, boolean steps, AtomicReference<Recording> last) {
        if (!steps) {
            return theta -> analytic.gradient(reference, theta, new GraphCase(start.name(), reference, theta,
                    start.data()), reference.forward(theta, start.data()));
        }
        Recording recording = new Recording(StepProbe.of(spec, reference, start), analytic, start);
        last.set(recording); // the trainer's run is the last one built: tuning runs come first
        return recording;
    }

    /** A gradient function on a probed copy that keeps the per-step norms of every epoch. */
    private static final class Recording implements GradientFunction {
        private final StepProbe probe;
        private final GraphTrialCheck.Analytic analytic;
        private final GraphCase start;
        private final List<double[]> perEpoch = new ArrayList<>();

        Recording(StepProbe probe, GraphTrialCheck.Analytic analytic, GraphCase start) {
            this.probe = probe;
            this.analytic = analytic;
            this.start = start;
        }

        static int[] epochsDrawn(int epochs) {
            return new int[] {0, epochs / 2, epochs - 1};
        }

        @Override
        public double[] gradient(double[] theta) {
            double[] g = probe.gradient(analytic, theta, start);
            perEpoch.add(probe.norms());
            return g;
        }

        double[][] norms(int[] epochs) {
            double[][] out = new double[epochs.length][];
            for (int i = 0; i < epochs.length; i++) {
                out[i] = epochs[i] < perEpoch.size() ? perEpoch.get(epochs[i]) : null;
            }
            return out;
        }
    }
}
