package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

import org.snakeyaml.engine.v2.common.ScalarStyle;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.apiguardian.api.API;

/**
 * Reads and validates spec files (format: {@code specs/README.md}). Every problem is a
 * {@link SpecException} naming file, line, column and field; no other exception escapes {@link #parse},
 * and no Java object is ever built from YAML (tags are refused).
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecLoader {

    private static final String[] TOP_KEYS = {
        "name", "description", "network", "loss", "data", "weights", "check", "seed", "expect", "implementation"};

    /** {@link #declared} found a readable document without the key. */
    private static final Field ABSENT = new Field(new ScalarNode(Tag.NULL, "", ScalarStyle.PLAIN), "", null);

    private final Limits limits;

    public SpecLoader() {
        this(Limits.defaults());
    }

    public SpecLoader(Limits limits) {
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    public Limits limits() {
        return limits;
    }

    public Spec load(Path file) throws SpecException {
        return parse(YamlReader.decode(read(file, limits.maxFileBytes()), file), file);
    }

    /**
     * The bytes of a spec file, refusing what is not a regular file (a folder, a FIFO that would block,
     * /dev/zero that never ends) and never reading more than {@code max} + 1 bytes, whatever the file
     * claims its size is.
     */
    static byte[] read(Path file, int max) throws SpecException {
        try {
            if (!Files.exists(file)) {
                throw new SpecException(file, 0, 0, "", "cannot read the file: it does not exist");
            }
            if (!Files.isRegularFile(file)) {
                throw new SpecException(file, 0, 0, "", Files.isDirectory(file) ? "is a folder, not a spec file"
                        : "is not a regular file (a device, a pipe or a socket): spec files are read from disk only");
            }
            YamlReader.checkSize(Files.size(file), max, file);
            try (InputStream in = Files.newInputStream(file)) {
                byte[] bytes = in.readNBytes(max + 1);
                YamlReader.checkSize(bytes.length, max, file);
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new SpecException(file, 0, 0, "", "cannot read the file: it does not exist");
        } catch (IOException e) {
            throw new SpecException(file, 0, 0, "", "cannot read the file: " + e);
        }
    }

    /** What a spec file declares about itself, read even when the spec is invalid. */
    public record Declared(String name, Expectation expect) {
    }

    /**
     * The name and {@code expect} a spec file declares, for the report of a spec that could not be loaded:
     * read with the same bounds as {@link #load}; the default name and a null expectation when the file
     * cannot be read at all.
     */
    public static Declared declared(Path file) {
        String source;
        try {
            byte[] bytes = read(file, Limits.defaults().maxFileBytes());
            source = new String(bytes, StandardCharsets.UTF_8);
        } catch (SpecException e) {
            return new Declared(defaultName(file), null);
        }
        return new Declared(declaredName(source, file), declaredExpectation(source));
    }

    /**
     * Validates {@code yaml}. {@code file} is used for messages and to resolve {@code data.csv}; when it is
     * null, a csv path is resolved against the working directory.
     */
    public Spec parse(String yaml, Path file) throws SpecException {
        Objects.requireNonNull(yaml, "yaml");
        YamlReader.checkSize(YamlReader.utf8Length(yaml), limits.maxFileBytes(), file);
        Field top = new Field(YamlReader.compose(yaml, file, limits), "", file);
        if (top.isNull() && ((ScalarNode) top.node()).getValue().isEmpty()) {
            throw new SpecException(file, 0, 0, "", "the spec is empty");
        }
        if (!top.isMap()) {
            throw top.error("expected a map at the top level, got " + top.describe());
        }
        Fields map = top.map();
        Problems problems = new Problems();
        problems.check(() -> map.allow(TOP_KEYS));
        for (String key : List.of("network", "loss", "data")) {
            problems.check(() -> map.require(key));
        }
        // Each section is read even when another is broken; one that depends on a broken one is skipped.
        Model model = model(map, problems);
        NetworkSpec network = model.network();
        LossSpec loss = model.loss();
        DataSpec data = network != null && loss != null && map.has("data")
                ? problems.read(() -> DataSection.read(map.get("data"), network, loss, limits, file)) : null;
        if (map.has("data") && (network == null || loss == null)) {
            problems.check(() -> DataSection.keys(map.get("data")));
        }
        WeightSpec weights = map.has("weights") ? problems.read(() -> WeightsSection.read(map.get("weights")))
                : WeightsSection.defaults();
        CheckSpec check = map.has("check") ? problems.read(() -> CheckSection.read(map.get("check"), limits))
                : CheckSpec.defaults();
        if (network != null && data != null && check != null) {
            problems.check(() -> Footprint.check(network, data, check, limits, map));
            problems.check(() -> checkLayersExist(check, network, map));
        }
        Long seed = map.has("seed") ? problems.read(() -> map.get("seed").anyLong()) : Long.valueOf(1);
        String name = map.has("name") ? problems.read(() -> name(map.get("name"))) : defaultName(file);
        String description = map.has("description") ? problems.read(() -> map.get("description").text()) : "";
        Expectation expect = map.has("expect") ? problems.read(() -> ExpectSection.read(map.get("expect"))) : Expectation.pass();
        ImplementationSpec implementation = map.has("implementation")
                ? problems.read(() -> ImplementationSection.read(map.get("implementation"))) : ImplementationSpec.reference();
        problems.throwIfAny();
        return new Spec(name, file, description, network, loss, data, weights, check, expect, seed, yaml, implementation);
    }

    /** The network and the loss, each null when it is broken (the loss is checked against a valid network only). */
    private record Model(NetworkSpec network, LossSpec loss) {
    }

    private Model model(Fields map, Problems problems) {
        NetworkSpec network = map.has("network") ? problems.read(() -> NetworkSection.read(map.get("network"), limits)) : null;
        LossSpec loss = map.has("loss") ? problems.read(() -> LossSection.read(map.get("loss"), network)) : null;
        if (network == null || loss == null || network.isGraph() || loss.type().dense()) {
            return new Model(network, loss);
        }
        // l1, huber, hinge and kl_divergence live in the layer-graph engine: the chain is checked there.
        NetworkSpec graph = NetworkSpec.of(GraphSection.fromChain(network));
        return new Model(graph, problems.read(() -> LossSection.read(map.get("loss"), graph)));
    }

    private static String name(Field field) throws SpecException {
        String name = field.text();
        if (name.isBlank()) {
            throw field.error("expected a non-empty string, got " + field.describe());
        }
        return name;
    }

    /** {@code check.layers} names layers of this network, none of them frozen. */
    private static void checkLayersExist(CheckSpec check, NetworkSpec network, Fields top) throws SpecException {
        if (check.layers().isEmpty()) {
            return;
        }
        List<Field> items = top.get("check").map().get("layers").list("");
        for (Field item : items) {
            int layer = item.positiveInt();
            if (layer > network.layers().size()) {
                throw item.error("the network has " + network.layers().size() + " layers; there is no layer " + layer);
            }
            if (network.layers().get(layer - 1).frozen()) {
                throw item.error("layer " + layer + " is frozen: its parameters are not checked");
            }
        }
    }

    /**
     * The {@code expect} a YAML text declares, even when the rest of it is invalid (so a spec expecting an
     * error still counts as met when its error is a spec error); {@link Expectation#pass()} when it
     * declares none, null when it cannot be read.
     */
    public static Expectation declaredExpectation(String yaml) {
        try {
            Field value = declared(yaml, "expect");
            if (value == ABSENT) {
                return Expectation.pass();
            }
            return value == null ? null : ExpectSection.read(value);
        } catch (SpecException | RuntimeException e) {
            return null;
        }
    }

    /** The {@code name} a YAML text declares, even when the rest of it is invalid; else the default name. */
    public static String declaredName(String yaml, Path file) {
        try {
            Field value = declared(yaml, "name");
            if (value != null && value != ABSENT) {
                String name = value.text();
                if (!name.isBlank()) {
                    return name;
                }
            }
        } catch (SpecException | RuntimeException e) {
            // fall back to the default
        }
        return defaultName(file);
    }

    /** The file name without its extension; {@code spec} when there is no file. */
    static String defaultName(Path file) {
        Path name = file == null ? null : file.getFileName();
        if (name == null) {
            return "spec";
        }
        String text = name.toString();
        int dot = text.lastIndexOf('.');
        return dot > 0 ? text.substring(0, dot) : text;
    }

    /**
     * The top-level value under {@code key}: from the whole document when it parses, else from just the
     * lines of that key (so a syntax error elsewhere does not hide it). ABSENT when the document parses
     * without the key; null when nothing can be read.
     */
    private static Field declared(String yaml, String key) {
        Node root;
        try {
            root = YamlReader.compose(yaml, null, Limits.defaults());
        } catch (SpecException e) {
            root = null;
        }
        if (root != null) {
            Field found = find(root, key);
            return found == null && root instanceof MappingNode ? ABSENT : found;
        }
        String fragment = fragment(yaml, key);
        if (fragment == null) {
            return null;
        }
        try {
            return find(YamlReader.compose(fragment, null, Limits.defaults()), key);
        } catch (SpecException e) {
            return null;
        }
    }

    private static Field find(Node root, String key) {
        if (root instanceof MappingNode map) {
            for (NodeTuple tuple : map.getValue()) {
                if (tuple.getKeyNode() instanceof ScalarNode k && k.getValue().equals(key)) {
                    return new Field(tuple.getValueNode(), key, null);
                }
            }
        }
        return null;
    }

    /** The line {@code key: ...} at column 0 and the indented, blank or comment lines after it. */
    private static String fragment(String yaml, String key) {
        String[] lines = yaml.split("\r\n|\r|\n", -1);
        StringBuilder sb = null;
        for (String line : lines) {
            if (sb == null) {
                if (line.startsWith(key) && line.substring(key.length()).stripLeading().startsWith(":")) {
                    sb = new StringBuilder(line).append('\n');
                }
            } else if (line.isBlank() || line.startsWith(" ") || line.startsWith("\t") || line.startsWith("#")) {
                sb.append(line).append('\n');
            } else {
                break;
            }
        }
        return sb == null ? null : sb.toString();
    }
}
