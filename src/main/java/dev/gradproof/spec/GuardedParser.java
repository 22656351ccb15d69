package dev.gradproof.spec;

import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.parser.Parser;

/**
 * Sits between snakeyaml-engine's parser and composer and stops hostile input at the event that makes
 * it hostile, with that event's position. The composer recurses once per nesting level (10,000 `[`
 * overflow the stack), has no depth setting, and reports its own alias limit without a position, so
 * both are counted here; tags are refused here so no tag ever reaches anything that could act on it.
 */
final class GuardedParser implements Parser {

    /** Far above what a spec needs (about 6) and far below what overflows the composer's recursion. */
    static final int MAX_DEPTH = 64;

    private static final String CORE_PREFIX = "tag:yaml.org,2002:";
    private static final Set<String> CORE_TAGS = Set.of("str", "int", "float", "bool", "null", "seq", "map");

    /** Unchecked so it can cross the composer; {@link YamlReader} turns it into a SpecException. */
    static final class Tripped extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient Optional<Mark> mark;
        final String problem;

        Tripped(Optional<Mark> mark, String problem) {
            super(problem, null, false, false);
            this.mark = mark;
            this.problem = problem;
        }
    }

    private final Parser delegate;
    private final int maxAliases;
    private final Set<Anchor> collectionAnchors = new HashSet<>();
    private int depth;
    private int aliases;

    GuardedParser(Parser delegate, int maxAliases) {
        this.delegate = delegate;
        this.maxAliases = maxAliases;
    }

    @Override
    public boolean checkEvent(Event.ID id) {
        return delegate.checkEvent(id);
    }

    @Override
    public Event peekEvent() {
        return delegate.peekEvent();
    }

    @Override
    public boolean hasNext() {
        return delegate.hasNext();
    }

    @Override
    public Event next() {
        Event event = delegate.next();
        inspect(event);
        return event;
    }

    private void inspect(Event event) {
        switch (event.getEventId()) {
            case MappingStart, SequenceStart -> {
                CollectionStartEvent start = (CollectionStartEvent) event;
                checkTag(event, start.getTag());
                if (++depth > MAX_DEPTH) {
                    throw new Tripped(event.getStartMark(), "YAML nesting deeper than " + MAX_DEPTH + " levels is not allowed");
                }
                start.getAnchor().ifPresent(collectionAnchors::add);
            }
            case MappingEnd, SequenceEnd -> depth--;
            case Scalar -> {
                ScalarEvent scalar = (ScalarEvent) event;
                checkTag(event, scalar.getTag());
                // An anchor may be redefined; only the latest definition counts.
                scalar.getAnchor().ifPresent(collectionAnchors::remove);
            }
            case Alias -> {
                if (collectionAnchors.contains(((AliasEvent) event).getAlias()) && ++aliases > maxAliases) {
                    throw new Tripped(event.getStartMark(), "more than " + maxAliases
                            + " aliases to lists or maps; a spec needs few, and many can expand exponentially (a billion-laughs attack)");
                }
            }
            default -> {
                // stream and document events carry nothing to check
            }
        }
    }

    private static void checkTag(Event event, Optional<String> tag) {
        if (tag.isEmpty()) {
            return;
        }
        String value = tag.get();
        if (value.startsWith(CORE_PREFIX) && CORE_TAGS.contains(value.substring(CORE_PREFIX.length()))) {
            return;
        }
        String shown = value.startsWith(CORE_PREFIX) ? "!!" + value.substring(CORE_PREFIX.length()) : value;
        throw new Tripped(event.getStartMark(), "tags are not allowed (found " + Scalars.quote(shown) + ")");
    }
}
