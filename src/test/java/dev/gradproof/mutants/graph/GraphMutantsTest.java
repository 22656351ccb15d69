package dev.gradproof.mutants.graph;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.mutants.Applicability;
import dev.gradproof.mutants.DetectionTable;
import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.spec.BundledSpecs;
import dev.gradproof.spec.Spec;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The graph zoo's bar: every bug caught on every bundled architecture (and the layer specs that hold the
 * layers no architecture has) where it applies, in both modes; every correct variant passes there. And the
 * table must be able to say otherwise: a harmless "bug" is reported as not caught, a wrong "correct
 * variant" as a false alarm.
 */
class GraphMutantsTest {
    static final List<String> SPECS = List.of("architectures/lenet5", "architectures/resnet-block",
            "architectures/char-lstm", "architectures/gru-huber", "architectures/transformer-block",
            "layers/avg-pool-padding", "layers/dropout", "layers/dropout-p0", "layers/max-pool-ties",
            "layers/batch-norm-relu-at-zero", "layers/conv1d-stride-dilation", "layers/loss-l1-at-zero",
            "layers/loss-hinge", "layers/layer-norm", "layers/attention-causal");
    /** A rule for ties: where no window ties (LeNet-5's tanh outputs) it computes what the reference computes. */
    static final String HIDDEN_AT_TIES = "max-pool-ties-double-counted";
    /** Judged in float32, the directional mode cannot compare LeNet-5's or the ResNet block's directions. */
    static final String FLOAT32 = "conv-float32";
    static final List<GraphDetectionTable.Mode> BOTH = List.of(GraphDetectionTable.Mode.values());

    static List<Spec> specs;
    static GraphDetectionTable.Result zoo;

    @BeforeAll
    static void runTheZoo() {
        specs = SPECS.stream().map(s -> BundledSpecs.load("specs/" + s + ".yaml")).toList();
        zoo = GraphDetectionTable.run(specs, 1, GraphMutants.all(), BOTH, DetectionTable.Progress.NONE);
    }

    @Test
    void everyApplicableBugIsCaughtInBothModesAndNoCorrectVariantIsFlagged() {
        for (DetectionTable.Row r : zoo.table().rows()) {
            for (DetectionTable.Entry e : r.entries()) {
                boolean knownGap = r.mutant().equals(FLOAT32) && e.spec().endsWith(", directional");
                assertTrue(e.unexpected().isEmpty() || knownGap, () -> r.mutant() + " on " + e.spec() + "\n"
                        + zoo.text());
            }
            assertTrue(r.applicableTrials() >= 2, () -> r.mutant() + " ran nowhere (in both modes):\n" + zoo.text());
            if (!r.correct()) {
                assertEquals(r.applicableTrials(), r.caught(), r.mutant());
            }
        }
    }

    @Test
    void noTrialIsLeftOutButWhereATieRuleFindsNoTie() {
        // max-pool-ties ties most windows. A tie's allowance once bounded both tied paths apart, and was
        // wider than a conv bias's whole gradient (conv-bias-mean passed there) and than every direction of
        // the fast mode (the reference had "nothing compared"); taken signed just below the tie, it leaves
        // the bias, whose two paths are equal, nothing to hide in (oracle/graph/TieSwitch).
        // LeNet-5's tanh outputs never tie: a double-counted tie computes what the reference computes there,
        // bit for bit, and only those trials are left out.
        assertTrue(zoo.notes().stream().allMatch(n -> n.startsWith(HIDDEN_AT_TIES + " on lenet5, ")), zoo::text);
        assertTrue(zoo.notes().contains(HIDDEN_AT_TIES + " on lenet5, exhaustive, seed 1: left every compared gradient"
                + " exactly as the reference's (its wrong line computes the same at this draw): not counted"), zoo::text);
    }

    @Test
    void aFloat32ConvolutionPassesInBothModesWhereverItApplies() {
        // Under unit roundoff 2^-24 the bound of a direction through LeNet-5's 44,426 parameters exceeds the
        // directional derivative itself; such a trial is judged parameter by parameter instead of ending in
        // "nothing was compared" (docs/TOLERANCE.md), so the fast mode must not flag it either.
        assertEquals(Set.of("lenet5", "resnet-block", "max-pool-ties", "conv1d-stride-dilation", "avg-pool-padding"),
                where(FLOAT32));
        for (String spec : where(FLOAT32)) {
            for (String mode : List.of("exhaustive", "directional")) {
                DetectionTable.Entry e = zoo.table().entry(FLOAT32, spec + ", " + mode);
                assertEquals(List.of(), e.unexpected(), () -> spec + ", " + mode + ": " + zoo.text());
                assertEquals(0, e.flagged(), () -> spec + ", " + mode + ": " + zoo.text());
            }
        }
    }

    @Test
    void aTieCountedTwiceIsCaughtWhereWindowsTie() {
        DetectionTable.Row r = zoo.table().rows().stream().filter(x -> x.mutant().equals(HIDDEN_AT_TIES)).findFirst()
                .orElseThrow();
        assertEquals(2, r.applicableTrials(), zoo::text);
        assertEquals(2, r.caught(), zoo::text);
        assertEquals(Set.of("lenet5", "max-pool-ties"), where(HIDDEN_AT_TIES));
    }

    @Test
    void eachBugAppliesToTheArchitecturesThatHoldItsLayer() {
        assertEquals(Set.of("conv1d-stride-dilation"), where("conv-weight-stride-ignored"));
        assertEquals(Set.of("resnet-block", "conv1d-stride-dilation", "max-pool-ties"),
                where("conv-weight-padding-ignored"));
        assertEquals(Set.of("conv1d-stride-dilation"), where("conv-dilation-ignored"));
        assertEquals(Set.of("resnet-block"), where("batch-norm-unbiased-variance"));
        assertEquals(Set.of("transformer-block", "layer-norm"), where("layer-norm-wrong-axis"));
        assertEquals(Set.of("transformer-block", "attention-causal"), where("attention-causal-mask-forward-only"));
        assertEquals(Set.of("transformer-block", "attention-causal"), where("attention-value-unmasked"));
        assertEquals(Set.of("loss-l1-at-zero"), where("l1-sign-by-division"));
        assertEquals(Set.of("loss-hinge"), where("hinge-last-class-skipped"));
        assertEquals(Set.of("char-lstm"), where("lstm-per-step"));
        assertEquals(Set.of("lenet5", "resnet-block"), where("conv-input-no-flip"));
        assertEquals(Set.of("lenet5", "avg-pool-padding", "max-pool-ties", "conv1d-stride-dilation"), where("conv-bias-mean"));
        assertEquals(Set.of("lenet5", "max-pool-ties"), where("max-pool-to-every-cell"));
        assertEquals(Set.of("lenet5", "max-pool-ties"), where("max-pool-to-first-cell"));
        assertEquals(Set.of("resnet-block"), where("batch-norm-constant-statistics"));
        assertEquals(Set.of("resnet-block"), where("batch-norm-gamma-forgotten"));
        assertEquals(Set.of("dropout"), where("dropout-scale-forgotten"));
        assertEquals(Set.of("transformer-block", "attention-causal"), where("attention-softmax-diagonal"));
        assertEquals(Set.of("char-lstm", "transformer-block"), where("embedding-assigned"));
        assertEquals(Set.of("char-lstm", "gru-huber"), where("truncated-bptt"));
        assertEquals(Set.of("char-lstm"), where("lstm-forget-tanh-derivative"));
        assertEquals(Set.of("char-lstm"), where("lstm-cell-no-forget-product"));
        assertEquals(Set.of("gru-huber"), where("gru-update-gate-flipped"));
        assertEquals(Set.of("transformer-block", "attention-causal"), where("attention-no-scale"));
        assertEquals(Set.of("transformer-block"), where("residual-skip-dropped"));
        assertEquals(Set.of("gru-huber"), where("huber-slope-unclipped"));
        assertEquals(Set.of("avg-pool-padding"), where("avg-pool-undivided"));
        assertEquals(Set.of("dropout"), where("dropout-mask-forgotten"));
        assertEquals(Applicability.no("the output is not a relu: a residual is never exactly 0"),
                GraphMutants.byName("l1-sign-by-division").applies(GraphFactory.build(
                        BundledSpecs.load("specs/layers/loss-l1.yaml"))));
        assertEquals(Set.of("dropout-p0"), where("dropout-p0-identity"));
        assertEquals(Set.of("lenet5", "max-pool-ties"), where("max-pool-last-tie"));
        assertEquals(Set.of("resnet-block", "batch-norm-relu-at-zero"), where("batch-norm-relu-one-at-zero"));
    }

    @Test
    void whereABugCannotShowTheReasonSaysWhy() {
        GraphNetwork resnet = GraphFactory.build(spec("resnet-block"));
        assertEquals(Applicability.no("every convolution bias feeds a batch norm: its gradient is exactly 0, and so is"
                + " any multiple of it"), GraphMutants.byName("conv-bias-mean").applies(resnet));
        assertEquals(Applicability.no("every skip comes from the network's input or frozen layers: its gradient reaches"
                + " no checked parameter"), GraphMutants.byName("residual-skip-dropped").applies(resnet));
        GraphNetwork bnRelu = GraphFactory.build(spec("batch-norm-relu-at-zero"));
        assertEquals(Applicability.no("no trainable layer below the batch norm: its input gradient reaches no checked"
                + " parameter"), GraphMutants.byName("batch-norm-constant-statistics").applies(bnRelu));
        assertEquals(Applicability.no("no dropout with p > 0"),
                GraphMutants.byName("dropout-mask-forgotten").applies(GraphFactory.build(spec("dropout-p0"))));
    }

    @Test
    void whereABugIsNotApplicableTheHarnessIndeedDoesNotFlagIt() {
        // n/a must be true, not convenient: resnet-block's conv biases feed batch norms, its skip the input.
        Spec resnet = spec("resnet-block");
        for (String name : List.of("conv-bias-mean", "residual-skip-dropped")) {
            DetectionTable.Entry e = GraphDetectionTable.entry(GraphMutants.byName(name), resnet, false,
                    GraphDetectionTable.Mode.EXHAUSTIVE, List.of(1L), new java.util.ArrayList<>());
            assertEquals(0, e.flagged(), name);
        }
    }

    @Test
    void aHarmlessBugIsReportedAsNotCaughtAndAWrongCorrectVariantAsAFalseAlarm() {
        GraphMutant harmless = new GraphMutant("harmless", false, "lstm", "the reference's own backward pass",
                "dh = below   (reference: dh = below)", "", "an lstm", g -> Applicability.yes(),
                GraphMutants.planted(n -> true, Delegating::new));
        GraphMutant notCorrect = new GraphMutant("not-correct", true, "lstm", "truncated BPTT called correct",
                "", "", "an lstm", g -> Applicability.yes(), GraphMutants.byName("truncated-bptt").implementation());
        List<Spec> lstm = List.of(spec("char-lstm"));
        GraphDetectionTable.Result r = GraphDetectionTable.run(lstm, 1, List.of(harmless, notCorrect), BOTH,
                DetectionTable.Progress.NONE);
        assertFalse(r.ok());
        for (GraphDetectionTable.Mode mode : BOTH) {
            String column = "char-lstm, " + mode.label();
            DetectionTable.Entry h = r.table().entry("harmless", column);
            assertEquals(0, h.flagged(), column);
            assertEquals(List.of(1L), h.unexpected(), column);
            DetectionTable.Entry n = r.table().entry("not-correct", column);
            assertEquals(1, n.flagged(), column);
            assertEquals(List.of(1L), n.unexpected(), column);
        }
        assertTrue(r.text().contains("harmless on char-lstm, exhaustive: not caught at seed 1 (pass; "), r::text);
        assertTrue(r.text().contains("not-correct on char-lstm, directional: flagged at seed 1 (mismatch; "), r::text);
    }

    /** A wrapped layer whose backward pass is the reference's: planted, but nothing wrong. */
    static final class Delegating extends WrongBackward {
        Delegating(GraphNetwork g, GraphNode node) {
            super(g, node);
        }

        @Override
        public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                             double[] grad, Batch b) {
            reference.backward(theta, base, x, y, saved, dy, dx, grad, b);
        }
    }

    private static Set<String> where(String mutant) {
        GraphMutant m = GraphMutants.byName(mutant);
        return specs.stream().filter(s -> m.applies(GraphFactory.build(s)).applicable()).map(Spec::name)
                .collect(Collectors.toSet());
    }

    private static Spec spec(String name) {
        return specs.stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow();
    }
}
