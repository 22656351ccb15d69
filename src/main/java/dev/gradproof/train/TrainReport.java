package dev.gradproof.train;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.report.Numbers;
import dev.gradproof.report.Text;
import dev.gradproof.report.ReportWriter;
import dev.gradproof.spec.Spec;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * The outcome of training one spec's variants, and its renderings: a text table, results.md,
 * results.json and the loss-curve chart.
 */
@API(status = INTERNAL, since = "0.2")
public record TrainReport(TrainingPlan plan, Trainer.Options options, String learningRateSource, List<TrainingRun> runs,
                          double seconds) {
    public static final String PNG = "loss-curves.png";
    public static final String SVG = "loss-curves.svg";
    public static final String MARKDOWN = "results.md";
    public static final String JSON = "results.json";

    public TrainReport {
        runs = List.copyOf(runs);
    }

    /** Trains every variant of the plan. */
    public static TrainReport run(TrainingPlan plan, Defaults.Choice choice, Trainer.Progress progress) {
        long start = System.nanoTime();
        List<TrainingRun> runs = Comparison.run(plan, choice.options(), progress);
        return new TrainReport(plan, choice.options(), choice.how(), runs, (System.nanoTime() - start) / 1e9);
    }

    public Spec spec() {
        return plan.spec();
    }

    public TrainingRun correct() {
        return runs.stream().filter(r -> r.kind() == TrainingRun.Kind.CORRECT).findFirst().orElseThrow();
    }

    public TrainingRun run(String name) {
        return runs.stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
    }

    // ---- text ------------------------------------------------------------------------------------

    /** {@code η = 0.5, 2000 epochs, full batch of 4 examples, 9 parameters}. */
    public String setting() {
        return "learning rate " + Numbers.g(options.learningRate()) + " (" + learningRateSource + "), " + options.epochs() + " epochs, full batch of "
                + plan.data().examples() + (plan.data().examples() == 1 ? " example, " : " examples, ")
                + plan.model().parameters() + " parameters, start = trial 0 of seed " + spec().seed();
    }

    public String yAxisTitle() {
        return "loss (" + spec().loss().type().yamlName() + ", " + spec().loss().reduction().yamlName() + "; log scale)";
    }

    public String chartTitle() {
        return spec().name() + ": training loss per epoch, learning rate " + Numbers.g(options.learningRate());
    }

    /** Fixed-width table for the terminal, then how the training-set score was taken. */
    public String table() {
        String metric = abbreviated();
        StringBuilder sb = new StringBuilder();
        int w = Math.max(8, runs.stream().mapToInt(r -> r.name().length()).max().orElse(8));
        String row = "%-" + w + "s  %-19s %11s %11s %10s %11s %11s  %s%n";
        sb.append(String.format(Locale.ROOT, row, "variant", "gradient", "first loss", "final loss", "vs correct",
                "first " + metric, "final " + metric, "outcome"));
        double ref = correct().finalLoss();
        for (TrainingRun r : runs) {
            sb.append(String.format(Locale.ROOT, row, r.name(), r.kind().label(), Numbers.g(r.initialLoss()),
                    loss(r.finalLoss()), ratio(r.finalLoss(), ref), score(r.task(), r.initialScore()), score(r), r.outcome()));
        }
        sb.append(scoredOn()).append('\n');
        return sb.toString();
    }

    /** {@code acc.} or {@code RMSE}, short enough for a table column. */
    private String abbreviated() {
        return plan.task() == Task.CLASSIFICATION ? "acc." : plan.task().metric();
    }

    /** {@code accuracy on the training set (the 569 examples trained on): an output >= 0.5 predicts 1}. */
    public String scoredOn() {
        int n = plan.data().examples();
        return plan.task().metric() + " on the training set (the " + String.format(Locale.ROOT, "%,d", n)
                + (n == 1 ? " example" : " examples") + " trained on): " + plan.task().rule(plan.data());
    }

    /** The final score: accuracy as a percentage, RMSE as a number. */
    public static String score(TrainingRun r) {
        return score(r.task(), r.score());
    }

    static String score(Task task, double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return task == Task.CLASSIFICATION ? String.format(Locale.ROOT, "%.1f%%", 100 * value) : Numbers.g(value);
    }

    static String loss(double v) {
        return Double.isNaN(v) ? "NaN" : Double.isInfinite(v) ? "inf" : Numbers.g(v);
    }

    static String ratio(double v, double ref) {
        if (!Double.isFinite(v) || !(ref > 0)) {
            return "-";
        }
        double q = v / ref;
        return q >= 0.995 && q <= 1.005 ? "same" : Numbers.g(q) + "x";
    }

    public String markdown(boolean svgWritten) {
        StringBuilder sb = new StringBuilder();
        sb.append("# Training ").append(Text.markdown(spec().name())).append("\n\n");
        if (spec().file() != null) {
            sb.append("Spec: ").append(Text.codeSpan(spec().file().toString())).append(". ");
        }
        sb.append("Full-batch gradient descent, ").append(setting()).append(". Every run starts from the same weights ")
                .append("and data, and every loss is the spec's own loss, measured by the reference network, whatever ")
                .append("gradient the run follows. A run stops as diverged when the loss is NaN or infinite, exceeds ")
                .append("1e6 x its initial value, or the gradient is not finite.\n\n");
        if (TrainingPlan.overridesDerivative(spec())) {
            sb.append("The spec overrides an activation's derivative: `declared` follows the spec's own ")
                    .append("backpropagation (the declared derivative), `correct` the same network with the exact ")
                    .append("derivative. Mutants are applied to the corrected network.\n\n");
        }
        sb.append("![loss curves](").append(PNG).append(")");
        if (svgWritten) {
            sb.append(" ([SVG](").append(SVG).append("))");
        }
        sb.append("\n\n");
        sb.append("Every ").append(plan.task().metric()).append(" is measured on the training set (the ")
                .append(plan.data().examples()).append(" examples trained on): ").append(plan.task().rule(plan.data()))
                .append(".\n\n");
        String metric = plan.task().metric();
        sb.append("| variant | gradient | first loss | final loss | best loss | final / correct | first ").append(metric)
                .append(" | final ").append(metric).append(" | outcome | seconds |\n|---|---|---:|---:|---:|---:|---:|---:|---|---:|\n");
        double ref = correct().finalLoss();
        for (TrainingRun r : runs) {
            sb.append("| ").append(r.label()).append(" | ").append(r.kind().label()).append(" | ")
                    .append(Numbers.g(r.initialLoss())).append(" | ").append(loss(r.finalLoss())).append(" | ")
                    .append(loss(r.bestLoss())).append(" | ").append(ratio(r.finalLoss(), ref)).append(" | ")
                    .append(score(r.task(), r.initialScore())).append(" | ")
                    .append(score(r)).append(" | ").append(r.outcome()).append(" | ")
                    .append(String.format(Locale.ROOT, "%.2f", r.seconds())).append(" |\n");
        }
        if (!plan.skipped().isEmpty()) {
            sb.append("\nNot run (the mistake cannot show on this spec):\n\n");
            for (TrainingPlan.Skipped s : plan.skipped()) {
                sb.append("- `").append(s.mutant()).append("`: ").append(s.reason()).append('\n');
            }
        }
        StringBuilder command = new StringBuilder("./gradproof train ")
                .append(spec().file() == null ? spec().name() : spec().file())
                .append(" --lr ").append(Numbers.full(options.learningRate())).append(" --epochs ").append(options.epochs());
        runs.stream().filter(r -> r.kind() == TrainingRun.Kind.MUTANT || r.kind() == TrainingRun.Kind.CORRECT_VARIANT)
                .forEach(r -> command.append(" --mutant ").append(r.name()));
        sb.append("\nReproduce:\n\n").append(Text.codeBlock(command.toString()));
        return sb.toString();
    }

    public ObjectNode json() {
        ObjectMapper m = mapper();
        ObjectNode root = m.createObjectNode();
        root.put("spec", spec().name());
        root.put("file", spec().file() == null ? null : spec().file().toString());
        root.put("generator", spec().data().generator() == null ? null : spec().data().generator().yamlName());
        root.put("csv", spec().data().csv() == null ? null : spec().data().csv().toString());
        root.put("loss", spec().loss().type().yamlName());
        root.put("reduction", spec().loss().reduction().yamlName());
        root.put("task", plan.task().name().toLowerCase(Locale.ROOT));
        root.put("metric", plan.task() == Task.CLASSIFICATION ? "accuracy" : "rmse");
        root.put("scoredOn", "training set");
        root.put("scoreRule", plan.task().rule(plan.data()));
        root.put("learningRate", options.learningRate());
        root.put("learningRateSource", learningRateSource);
        root.put("epochs", options.epochs());
        root.put("examples", plan.data().examples());
        root.put("parameters", plan.model().parameters());
        root.put("seed", spec().seed());
        root.put("derivativeOverride", TrainingPlan.overridesDerivative(spec()));
        root.put("divergenceFactor", Trainer.BLOW_UP);
        root.put("seconds", seconds);
        ArrayNode list = root.putArray("runs");
        for (TrainingRun r : runs) {
            ObjectNode o = list.addObject();
            o.put("name", r.name());
            o.put("label", r.label());
            o.put("kind", r.kind().name().toLowerCase(Locale.ROOT));
            o.put("epochsRun", r.epochsRun());
            o.put("diverged", r.diverged());
            if (r.diverged()) {
                o.put("divergedAt", r.divergedAt());
                o.put("divergence", r.divergence());
            } else {
                o.putNull("divergedAt");
            }
            number(o, "initialLoss", r.initialLoss());
            number(o, "finalLoss", r.finalLoss());
            number(o, "bestLoss", r.bestLoss());
            number(o, plan.task() == Task.CLASSIFICATION ? "initialAccuracy" : "initialRmse", r.initialScore());
            number(o, plan.task() == Task.CLASSIFICATION ? "accuracy" : "rmse", r.score());
            o.put("seconds", r.seconds());
            ArrayNode curve = o.putArray("loss");
            for (double v : r.losses()) {
                if (Double.isFinite(v)) {
                    curve.add(v);
                } else {
                    curve.addNull();
                }
            }
        }
        ArrayNode skipped = root.putArray("skipped");
        for (TrainingPlan.Skipped s : plan.skipped()) {
            skipped.addObject().put("mutant", s.mutant()).put("reason", s.reason());
        }
        return root;
    }

    private static void number(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }

    static ObjectMapper mapper() {
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    }

    // ---- files -----------------------------------------------------------------------------------

    /**
     * Writes loss-curves.png (and .svg when the SVG backend is present), results.md and results.json
     * into {@code dir}, each atomically; problems that only cost the SVG go to {@code warn}.
     *
     * @return the files written
     */
    public List<Path> write(Path dir, Consumer<String> warn) throws IOException {
        Files.createDirectories(dir);
        List<Path> written = new ArrayList<>();
        var chart = LossCurveChart.build(chartTitle(), yAxisTitle(), runs);
        writeAtomically(dir.resolve(PNG), LossCurveChart.png(chart));
        written.add(dir.resolve(PNG));
        boolean svg = false;
        try {
            byte[] bytes = LossCurveChart.svg(chart);
            if (bytes == null) {
                warn.accept("warning: " + SVG + " not written: XChart's SVG backend "
                        + "(de.erichseifert.vectorgraphics2d:VectorGraphics2D) is not on the class path");
            } else {
                writeAtomically(dir.resolve(SVG), bytes);
                written.add(dir.resolve(SVG));
                svg = true;
            }
        } catch (IOException | RuntimeException e) {
            warn.accept("warning: " + SVG + " not written: " + e);
        }
        ReportWriter.writeAtomically(dir.resolve(MARKDOWN), markdown(svg));
        written.add(dir.resolve(MARKDOWN));
        ReportWriter.writeAtomically(dir.resolve(JSON), mapper().writeValueAsString(json()) + "\n");
        written.add(dir.resolve(JSON));
        return written;
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        ReportWriter.writeAtomically(target, content);
    }
}
