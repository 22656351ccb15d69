package dev.gradproof.spec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * The keys of one YAML map. Duplicate and non-name keys are refused on construction; unknown keys when
 * the caller says which are allowed (which may depend on a value read first, e.g. an activation's name).
 */
final class Fields {

    private record Entry(Node key, Field value) {
    }

    private final Field self;
    private final Map<String, Entry> entries;
    /** Keys {@link #allow} refused, with their problem: a misspelt required key is reported once, as such. */
    private final Map<String, SpecException> refused = new LinkedHashMap<>();

    private Fields(Field self, Map<String, Entry> entries) {
        this.self = self;
        this.entries = entries;
    }

    static Fields of(Field self) throws SpecException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (NodeTuple tuple : ((MappingNode) self.node()).getValue()) {
            Node key = tuple.getKeyNode();
            if (!(key instanceof ScalarNode scalar)) {
                throw new Field(key, self.path(), self.file()).error(
                        "expected a key name, got " + new Field(key, "", null).describe());
            }
            String name = scalar.getValue();
            Entry first = entries.get(name);
            if (first != null) {
                int line = first.key().getStartMark().map(m -> m.getLine() + 1).orElse(0);
                throw self.errorAt(key.getStartMark(), "duplicate key " + Scalars.quote(name) + (line > 0 ? " (first at line " + line + ")" : ""));
            }
            entries.put(name, new Entry(key, self.child(name, tuple.getValueNode())));
        }
        return new Fields(self, entries);
    }

    /** Refuses every key not in {@code allowed}, each with the closest allowed key. */
    Fields allow(String... allowed) throws SpecException {
        List<String> names = List.of(allowed);
        List<SpecException> unknown = new ArrayList<>();
        for (Map.Entry<String, Entry> entry : entries.entrySet()) {
            String name = entry.getKey();
            if (!names.contains(name)) {
                Node key = entry.getValue().key();
                SpecException problem = self.errorAt(key.getStartMark(), "unknown key " + Scalars.quote(name)
                        + Scalars.didYouMean(name, names) + "; allowed: " + String.join(", ", allowed));
                refused.put(name, problem);
                unknown.add(problem);
            }
        }
        if (!unknown.isEmpty()) {
            throw SpecException.of(unknown);
        }
        return this;
    }

    Field self() {
        return self;
    }

    boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The value under {@code name}, or null when the key is absent (a key with an empty value is present). */
    Field get(String name) {
        Entry entry = entries.get(name);
        return entry == null ? null : entry.value();
    }

    Field require(String name) throws SpecException {
        Field value = get(name);
        if (value == null) {
            for (Map.Entry<String, SpecException> r : refused.entrySet()) {
                if (Scalars.close(r.getKey(), List.of(name)).contains(name)) {
                    throw r.getValue();
                }
            }
            throw self.error("missing required key " + Scalars.quote(name));
        }
        return value;
    }

    /** An error about the key itself (e.g. a key not allowed in this combination), at the key's position. */
    SpecException keyError(String name, String problem) {
        Entry entry = entries.get(name);
        return entry.value().errorAt(entry.key().getStartMark(), problem);
    }

    List<String> names() {
        return new ArrayList<>(entries.keySet());
    }
}
