package dev.gradproof.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

import dev.gradproof.spec.DataSpec.Generator;
import dev.gradproof.spec.DataSpec.Targets;
import dev.gradproof.spec.LossSpec.LossType;

/** {@code data}: exactly one of random draws, a named generator, or a csv file ({@link CsvSection}). */
final class DataSection {

    private static final List<String> KEYS = List.of("examples", "inputs", "targets", "generator", "noise", "csv", "header",
            "label", "input_columns", "standardize");
    private static final String[] GENERATORS = {"xor", "two_moons", "sine", "normal_regression"};

    private DataSection() {
    }

    static DataSpec read(Field field, NetworkSpec network, LossSpec loss, Limits limits, Path specFile)
            throws SpecException {
        Fields map = keys(field);
        if (map.has("generator") && map.has("csv")) {
            throw map.keyError("csv", "give one source, not both 'generator' and 'csv'");
        }
        if (!map.has("csv")) {
            for (String key : CsvSection.KEYS) {
                if (map.has(key)) {
                    throw map.keyError(key, "'" + key + "' applies only to a csv file");
                }
            }
        }
        if (map.has("generator")) {
            return generator(map, network, loss, limits);
        }
        if (map.has("noise")) {
            throw map.keyError("noise", "noise applies only to a generator");
        }
        if (map.has("csv")) {
            int examples = map.has("examples") ? examples(map.get("examples"), limits) : 0;
            return CsvSection.read(map, network, loss, limits, specFile, examples);
        }
        if (!map.has("examples")) {
            throw field.error("missing required key 'examples' (or give a 'generator' or a 'csv' file)");
        }
        int examples = examples(map.get("examples"), limits);
        Distribution inputs = map.has("inputs") ? DistributionSection.inputs(map.get("inputs")) : Distribution.normal(0, 1);
        Targets targets = DistributionSection.defaultTargets(loss.type());
        if (map.has("targets")) {
            targets = DistributionSection.targets(map.get("targets"));
            DistributionSection.checkSuits(map.get("targets"), targets, loss.type());
        }
        return new DataSpec(examples, inputs, targets, null, 0, null);
    }

    /** The section's keys, checked on their own when the network or the loss is broken. */
    static Fields keys(Field field) throws SpecException {
        String text = field.scalarText();
        return (text != null && text.endsWith(".csv") ? field.map("csv", List.of(text), KEYS)
                : field.map("generator", List.of(GENERATORS), KEYS)).allow(KEYS.toArray(String[]::new));
    }

    private static DataSpec generator(Fields map, NetworkSpec network, LossSpec loss, Limits limits)
            throws SpecException {
        Field field = map.get("generator");
        Generator generator = switch (field.oneOf(GENERATORS)) {
            case "xor" -> Generator.XOR;
            case "two_moons" -> Generator.TWO_MOONS;
            case "sine" -> Generator.SINE;
            default -> Generator.NORMAL_REGRESSION;
        };
        String name = generator.yamlName();
        for (String key : new String[] {"inputs", "targets"}) {
            if (map.has(key)) {
                throw map.keyError(key, "the " + name + " generator makes its own " + key + "; remove '" + key + "'");
            }
        }
        int inputs = generator == Generator.SINE || generator == Generator.NORMAL_REGRESSION ? 1 : 2;
        int outputs = switch (generator) {
            case XOR, NORMAL_REGRESSION -> 1;
            case SINE -> 2;
            case TWO_MOONS -> network.outputs() == 1 ? 1 : 2;
        };
        if (network.inputs() != inputs || network.outputs() != outputs) {
            String makes = generator == Generator.TWO_MOONS ? "2 inputs and 1 or 2 outputs" : plural(inputs, "input")
                    + " and " + plural(outputs, "output");
            throw field.error(name + " makes " + makes + "; the network has " + plural(network.inputs(), "input")
                    + " and " + plural(network.outputs(), "output"));
        }
        String made = switch (generator) {
            case XOR -> "binary targets (x1 xor x2)";
            case TWO_MOONS -> outputs == 2 ? "one_hot targets" : "binary targets (the class)";
            case SINE -> "real targets (sin x, 1)";
            case NORMAL_REGRESSION -> "real targets (10)";
        };
        if (loss.type() == LossType.SOFTMAX_CROSS_ENTROPY && !made.startsWith("one_hot")) {
            throw field.error("softmax_cross_entropy needs one_hot targets; " + name + " makes " + made
                    + (generator == Generator.TWO_MOONS ? " with 1 output; use 2 outputs" : ""));
        }
        if (loss.type() == LossType.BINARY_CROSS_ENTROPY && made.startsWith("real")) {
            throw field.error("binary_cross_entropy needs targets in [0, 1]; " + name + " makes " + made
                    + " that fall outside it");
        }
        int examples;
        if (map.has("examples")) {
            examples = examples(map.get("examples"), limits);
        } else {
            examples = switch (generator) {
                case XOR -> 4;
                case TWO_MOONS -> 200;
                default -> 100;
            };
            if (examples > limits.maxExamples()) {
                throw map.self().error(tooMany(String.format(Locale.ROOT, "%,d", examples), limits));
            }
        }
        double noise = generator == Generator.TWO_MOONS ? 0.1 : 0;
        if (map.has("noise")) {
            noise = map.get("noise").number("a number >= 0", x -> x >= 0);
        }
        return new DataSpec(examples, null, null, generator, noise, null);
    }

    private static int examples(Field field, Limits limits) throws SpecException {
        return (int) field.count(limits.maxExamples(), n -> tooMany(n, limits));
    }

    private static String tooMany(String examples, Limits limits) {
        return String.format(Locale.ROOT, "%s examples exceed the limit of %,d (raise it with --max-examples)",
                examples, limits.maxExamples());
    }

    private static String plural(int n, String word) {
        return n + " " + word + (n == 1 ? "" : "s");
    }
}
