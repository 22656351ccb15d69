package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.SplittableRandom;
import org.apiguardian.api.API;

/**
 * Everything that makes one trial, in a form a property-testing library can shrink: the trial seed
 * (never shrunk: it is the draw), how many of the drawn examples are used, how many significant
 * digits weights and inputs keep, and the width of each hidden layer.
 *
 * <p>{@code TrialRecipe.full(spec, t).materialize(spec)} is exactly trial t of the spec, as the CLI
 * runs it. Text form: {@code seed=-42 examples=4 digits=17 units=4,3}.
 *
 * @param units widths of the hidden layers (the output layer's width is fixed by the loss and data)
 */
@API(status = INTERNAL, since = "0.2")
public record TrialRecipe(long seed, int examples, int digits, int[] units) {
    /** Digits at which no rounding happens. */
    public static final int FULL_PRECISION = 17;

    public TrialRecipe {
        units = units.clone();
    }

    public static TrialRecipe full(Spec spec, int t) {
        return new TrialRecipe(TrialGenerator.trialSeed(spec.seed(), t), exampleCount(spec), FULL_PRECISION,
                hiddenUnits(spec.network()));
    }

    /** How many examples the spec's data has before any shrinking. */
    public static int exampleCount(Spec spec) {
        DataSpec d = spec.data();
        if (d.table() != null) {
            return d.table().examples();
        }
        if (d.generator() != null) {
            return TrialGenerator.data(spec, new SplittableRandom(0)).examples();
        }
        return d.examples();
    }

    static int[] hiddenUnits(NetworkSpec n) {
        return n.layers().subList(0, n.layers().size() - 1).stream().mapToInt(LayerSpec::units).toArray();
    }

    @Override
    public int[] units() {
        return units.clone();
    }

    /** The network this recipe describes: the spec's, with hidden layers narrowed to {@link #units()}. */
    public NetworkSpec network(NetworkSpec original) {
        List<LayerSpec> layers = new ArrayList<>(original.layers());
        for (int l = 0; l < units.length; l++) {
            LayerSpec s = layers.get(l);
            layers.set(l, new LayerSpec(units[l], s.activation(), s.bias(), s.frozen()));
        }
        return new NetworkSpec(original.inputs(), layers);
    }

    /**
     * Draws the full trial from the seed, then keeps the first {@code examples} examples, the first
     * {@code units[l]} units of each hidden layer, and rounds weights and inputs to {@code digits}
     * significant digits.
     */
    public TrialCase materialize(Spec spec) {
        TrialData drawn = TrialGenerator.draw(spec, -1, seed);
        ParameterLayout full = NetworkFactory.layout(spec.network());
        NetworkSpec narrowed = network(spec.network());
        ParameterLayout small = NetworkFactory.layout(narrowed);
        double[] theta = new double[small.total()];
        for (int l = 0; l < small.layers(); l++) {
            int in = small.size(l);
            int fullIn = full.size(l);
            for (int i = 0; i < small.size(l + 1); i++) {
                for (int j = 0; j < in; j++) {
                    theta[small.weightOffset(l) + i * in + j] = round(drawn.theta()[full.weightOffset(l) + i * fullIn + j]);
                }
                if (small.biasOffset(l) >= 0) {
                    theta[small.biasOffset(l) + i] = round(drawn.theta()[full.biasOffset(l) + i]);
                }
            }
        }
        Dataset d = drawn.data();
        int n = Math.min(examples, d.examples());
        double[] x = Arrays.copyOf(d.x(), n * d.inputs());
        for (int p = 0; p < x.length; p++) {
            x[p] = round(x[p]);
        }
        double[] y = Arrays.copyOf(d.y(), n * d.outputs());
        Spec narrowedSpec = spec.withNetwork(narrowed);
        return new TrialCase(narrowedSpec, new TrialData(0, seed, theta, new Dataset(n, d.inputs(), d.outputs(), x, y)), this);
    }

    private double round(double v) {
        if (digits >= FULL_PRECISION || v == 0 || !Double.isFinite(v)) {
            return v;
        }
        return new BigDecimal(v).round(new MathContext(digits)).doubleValue();
    }

    @Override
    public String toString() {
        return "seed=" + seed + " examples=" + examples + " digits=" + digits + " units="
                + Arrays.stream(units).mapToObj(Integer::toString).collect(Collectors.joining(","));
    }

    /**
     * A recipe's {@code key=value} parts, split at the first {@code =}: a dense chain's and a layer
     * graph's recipes are written alike.
     */
    public static List<String[]> parts(String text) {
        List<String[]> out = new ArrayList<>();
        for (String part : text.trim().split("\\s+")) {
            String[] kv = part.split("=", 2);
            if (kv.length != 2) {
                throw new IllegalArgumentException("trial recipe: expected key=value, got '" + part + "'");
            }
            out.add(kv);
        }
        return out;
    }

    /** Parses {@link #toString()}'s form; units may be empty for a single-layer network. */
    public static TrialRecipe parse(String text) {
        Long seed = null;
        Integer examples = null;
        Integer digits = null;
        int[] units = null;
        for (String[] kv : parts(text)) {
            String part = kv[0] + "=" + kv[1];
            try {
                switch (kv[0]) {
                    case "seed" -> seed = Long.parseLong(kv[1]);
                    case "examples" -> examples = Integer.parseInt(kv[1]);
                    case "digits" -> digits = Integer.parseInt(kv[1]);
                    case "units" -> units = kv[1].isEmpty() ? new int[0]
                            : Arrays.stream(kv[1].split(",")).mapToInt(Integer::parseInt).toArray();
                    default -> throw new IllegalArgumentException("trial recipe: unknown key '" + kv[0]
                            + "' (expected seed, examples, digits, units)");
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("trial recipe: '" + kv[1] + "' is not a number in '" + part + "'");
            }
        }
        if (seed == null || examples == null || digits == null || units == null) {
            throw new IllegalArgumentException("trial recipe needs seed, examples, digits and units, got '" + text + "'");
        }
        return new TrialRecipe(seed, examples, digits, units);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrialRecipe r && r.seed == seed && r.examples == examples && r.digits == digits
                && Arrays.equals(r.units, units);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(seed) * 31 * 31 * 31 + examples * 31 * 31 + digits * 31 + Arrays.hashCode(units);
    }
}
