package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.GraphConversions;
import dev.gradproof.external.RequestDump;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;
import org.apiguardian.api.API;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The bundled architectures (specs/architectures) as the benchmark checks them: the spec file with its
 * {@code check} section replaced by one of the three checks issue #17 times, as a {@link Spec} for a warm
 * run and as a YAML file for a cold {@code ./gradproof check}, and trial 0 as a protocol dump that
 * PyTorch's gradcheck rebuilds.
 */
@API(status = INTERNAL, since = "0.2")
public final class Architectures {
    /** The four, smallest first: gradcheck's full mode on LeNet-5 takes minutes. */
    public static final List<String> NAMES = List.of("resnet-block", "char-lstm", "transformer-block", "lenet5");

    /** The three checks, as a spec's {@code check} section (one trial, every parameter). */
    public enum Check {
        EXACT("exact oracle", "check: {trials: 1, oracles: [exact], parameters: all}"),
        EXACT_FD("exact + finite differences", "check: {trials: 1, oracles: [exact, finite_difference], parameters: all}"),
        DIRECTIONAL("directional, 8 directions", "check: {trials: 1, mode: directional, directions: 8}");

        public final String label;
        final String yaml;

        Check(String label, String yaml) {
            this.label = label;
            this.yaml = yaml;
        }
    }

    private static final Pattern CHECK_BLOCK = Pattern.compile("(?m)^check:.*\\n(?:[ \\t]+.*\\n|[ \\t]*#.*\\n)*");
    private static final Pattern NAME = Pattern.compile("(?m)^name:.*$");

    private Architectures() {
    }

    /** The spec file's text with its top-level check section replaced and its name suffixed by the check. */
    static String withCheck(String yaml, String name, Check check) {
        Matcher m = CHECK_BLOCK.matcher(yaml.endsWith("\n") ? yaml : yaml + "\n");
        if (!m.find()) {
            throw new IllegalArgumentException(name + " has no top-level check section to replace");
        }
        String replaced = m.replaceFirst(Matcher.quoteReplacement(check.yaml + "\n"));
        return NAME.matcher(replaced).replaceFirst(Matcher.quoteReplacement("name: " + name + "-"
                + check.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-')));
    }

    /** Writes {@code dir/NAME-CHECK.yaml} for architecture {@code name} and returns it. */
    static Path write(Path specDir, String name, Check check, Path dir) throws IOException {
        String yaml = Files.readString(specDir.resolve(name + ".yaml"));
        Path out = dir.resolve(name + "-" + check.name().toLowerCase(java.util.Locale.ROOT) + ".yaml");
        Files.writeString(out, withCheck(yaml, name, check));
        return out;
    }

    static Spec load(Path file) throws IOException {
        try {
            return new SpecLoader().load(file);
        } catch (SpecException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
    }

    /** Parameters, batch, and trial 0 written as a protocol 2 dump; returns gradproof's loss there. */
    static double dump(Spec spec, Path file) throws IOException {
        GraphNetwork g = GraphFactory.build(spec);
        GraphCase c = GraphFactory.draw(spec, g, 0);
        RequestDump.write(file, GraphConversions.describe(spec, g), GraphConversions.parameters(g.layout(), c.theta()),
                GraphConversions.batch(g, c.data()));
        return g.forward(c.theta(), c.data()).loss;
    }
}
