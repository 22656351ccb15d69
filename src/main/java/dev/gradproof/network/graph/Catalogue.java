package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;
import dev.gradproof.network.Activations;
import dev.gradproof.spec.layers.LayerOptions;
import dev.gradproof.spec.layers.LayerType;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;
import org.apache.commons.math3.analysis.differentiation.DerivativeStructure;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * Every layer type, loss and activation, one entry each: how a layer is created from its options, what
 * it is (flags), and the samples every check iterates. Adding a layer type is adding its class (three
 * forms side by side) and one line to {@link #LAYERS}; every test picks it up.
 */
@API(status = INTERNAL, since = "0.2")
public final class Catalogue {
    private Catalogue() {
    }

    /** What a layer type is, for tests that need to know (which data to draw, what to expect). */
    public enum Flag {
        /** Has kinks or ties where derivatives are conventions (max-pool). */
        KINKS,
        /** Reads integer token ids. */
        INTEGER_INPUT,
        /** Reads or makes a sequence [T, F]. */
        SEQUENCE,
        /** Joins two or more layers. */
        JOINS,
        /** Couples the examples of a batch (batch statistics). */
        BATCH_COUPLED,
        /** Draws a fixed random mask from the trial's seed. */
        RANDOM_MASK
    }

    /**
     * One layer type.
     *
     * @param create  the layer from its options and input shapes
     * @param samples fixed cases, the awkward ones included
     * @param random  a case with random shapes and options
     */
    public record Entry(LayerType type, Set<Flag> flags, BiFunction<LayerOptions, List<Shape>, Layer> create,
                        List<Sample> samples, Function<SplittableRandom, Sample> random) {

        public Entry {
            flags = flags.isEmpty() ? EnumSet.noneOf(Flag.class) : EnumSet.copyOf(flags);
        }

        public boolean has(Flag f) {
            return flags.contains(f);
        }

        @Override
        public String toString() {
            return type.yamlName();
        }
    }

    static final List<Entry> LAYERS = List.of(
            Dense.ENTRY,
            Convolution.ENTRY_1D,
            Convolution.ENTRY_2D,
            MaxPool2d.ENTRY,
            AvgPool2d.ENTRY,
            GlobalAvgPool.ENTRY,
            BatchNorm.ENTRY,
            LayerNorm.ENTRY,
            Dropout.ENTRY,
            Embedding.ENTRY,
            PositionEmbedding.ENTRY,
            Rnn.ENTRY,
            Lstm.ENTRY,
            Gru.ENTRY,
            SelfAttention.ENTRY,
            Flatten.ENTRY,
            Add.ENTRY,
            Concat.ENTRY);

    public static List<Entry> layers() {
        return LAYERS;
    }

    public static Entry entry(LayerType type) {
        for (Entry e : LAYERS) {
            if (e.type() == type) {
                return e;
            }
        }
        throw new UnsupportedOperationException(type.yamlName() + " has no catalogue entry");
    }

    static Layer create(LayerOptions o, List<Shape> inputs) {
        return entry(o.type()).create().apply(o, inputs);
    }

    /** Every built-in activation (with non-default options too), for checks that iterate them. */
    public static List<Activation> activations() {
        return List.of(Activations.identity(), Activations.sigmoid(), Activations.tanh(), Activations.relu(),
                Activations.leakyRelu(0.2), Activations.elu(1.0), Activations.elu(0.5), Activations.softplus());
    }

    /**
     * One loss as a check runs it: options, the last layer's nonlinearity (softmax, sigmoid or none) and
     * whether the output is a sequence (per-step losses).
     */
    public record LossCase(String name, LossOptions options, String last, boolean sequence) {

        /** A dense layer (per step for a sequence) into the loss. */
        public Sample sample() {
            Shape in = sequence ? Shape.sequence(3, 4) : Shape.features(4);
            return Sample.of(name, in, 3, b -> {
                b.dense("out", 5);
                switch (last) {
                    case "softmax" -> b.softmax();
                    case "sigmoid" -> b.activation(Activations.sigmoid());
                    case "logistic" -> b.activation(LOGISTIC);
                    default -> { }
                }
            });
        }

        @Override
        public String toString() {
            return name;
        }
    }

    /**
     * The sigmoid under another name: binary cross-entropy then reads its probabilities instead of
     * absorbing it, which is the form a last layer other than a plain sigmoid gets.
     */
    private static final Activation LOGISTIC = new Activation() {
        private final Activation s = Activations.sigmoid();
        public String name() { return "logistic"; }
        public double value(double x) { return s.value(x); }
        public double derivative(double x) { return s.derivative(x); }
        public DerivativeStructure value(
                DerivativeStructure x) { return s.value(x); }
        public double declaredDerivativeError(double x) { return s.declaredDerivativeError(x); }
        public double exactDerivativeError(double x) { return s.exactDerivativeError(x); }
    };

    public static List<LossCase> losses() {
        List<LossCase> out = new ArrayList<>();
        for (boolean seq : new boolean[] {false, true}) {
            String suffix = seq ? " per step" : "";
            for (LossOptions.Steps steps : seq ? LossOptions.Steps.values() : new LossOptions.Steps[] {LossOptions.Steps.MEAN}) {
                String s = suffix + (seq ? " (" + steps.name().toLowerCase(Locale.ROOT) + ")" : "");
                out.add(new LossCase("squared_error" + s, LossOptions.of(LossOptions.Kind.SQUARED_ERROR).steps(steps), "none", seq));
                out.add(new LossCase("mse" + s, LossOptions.of(LossOptions.Kind.MSE).steps(steps), "none", seq));
                out.add(new LossCase("binary_cross_entropy (sigmoid)" + s,
                        LossOptions.of(LossOptions.Kind.BINARY_CROSS_ENTROPY).steps(steps), "sigmoid", seq));
                out.add(new LossCase("softmax_cross_entropy" + s,
                        LossOptions.of(LossOptions.Kind.SOFTMAX_CROSS_ENTROPY).steps(steps), "softmax", seq));
                out.add(new LossCase("l1" + s, LossOptions.of(LossOptions.Kind.L1).steps(steps), "none", seq));
                out.add(new LossCase("huber" + s, LossOptions.huber(0.7).steps(steps), "none", seq));
                out.add(new LossCase("hinge" + s, LossOptions.of(LossOptions.Kind.HINGE).steps(steps), "none", seq));
                out.add(new LossCase("kl_divergence (softmax)" + s,
                        LossOptions.of(LossOptions.Kind.KL_DIVERGENCE).steps(steps), "softmax", seq));
            }
        }
        out.add(new LossCase("binary_cross_entropy (probabilities)", LossOptions.of(LossOptions.Kind.BINARY_CROSS_ENTROPY),
                "logistic", false));
        out.add(new LossCase("kl_divergence (log-probabilities)", LossOptions.of(LossOptions.Kind.KL_DIVERGENCE), "none",
                false));
        return out;
    }
}
