package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.time.Duration;
import org.apiguardian.api.API;

/**
 * What a spec checks: the built-in reference network (default), an external process speaking the
 * JSON Lines protocol (docs/PROTOCOL.md), a Java class implementing {@code NetworkUnderTest}, or a
 * built-in mutant from the bug zoo.
 *
 * @param kind    {@code reference}, {@code process}, {@code java} or {@code mutant}
 * @param target  the command line, class name or mutant name; null for the reference
 * @param timeout per-request timeout for a process
 * @param workers  how many copies of a process may answer perturbed losses side by side (1: one child)
 * @param line     where {@code target} is in the spec file (1-based), for messages; 0 when not from a file
 * @param column   its column (1-based); 0 when unknown
 */
@API(status = INTERNAL, since = "0.2")
public record ImplementationSpec(String kind, String target, Duration timeout, int workers, int line, int column) {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    /** The most copies of a process a spec may ask for. */
    public static final int MAX_WORKERS = 64;

    public ImplementationSpec(String kind, String target, Duration timeout, int workers) {
        this(kind, target, timeout, workers, 0, 0);
    }

    public ImplementationSpec(String kind, String target, Duration timeout) {
        this(kind, target, timeout, 1);
    }

    public static ImplementationSpec reference() {
        return new ImplementationSpec("reference", null, DEFAULT_TIMEOUT);
    }

    public boolean isReference() {
        return kind.equals("reference");
    }

    /**
     * The command-line form of {@code --impl}: {@code reference}, {@code java:CLASS},
     * {@code mutant:NAME}, or anything else as a process command line.
     */
    public static ImplementationSpec parseOption(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            throw new IllegalArgumentException("--impl is empty: give 'reference', 'java:CLASS', 'mutant:NAME' or a command");
        }
        if (t.equals("reference")) {
            return reference();
        }
        if (t.startsWith("java:")) {
            return new ImplementationSpec("java", t.substring(5), DEFAULT_TIMEOUT);
        }
        if (t.startsWith("mutant:")) {
            return new ImplementationSpec("mutant", t.substring(7), DEFAULT_TIMEOUT);
        }
        return new ImplementationSpec("process", t, DEFAULT_TIMEOUT);
    }

    public String describe() {
        return switch (kind) {
            case "reference" -> "reference network";
            case "process" -> "process '" + target + "'";
            case "java" -> "Java class " + target;
            default -> "mutant " + target;
        };
    }
}
