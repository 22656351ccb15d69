package dev.gradproof.spec;

import java.time.Duration;

/**
 * {@code implementation: reference}, or a map with exactly one of {@code process: "python3 net.py"},
 * {@code java: com.example.MyNet}, {@code mutant: tanh-tan}, and for a process an optional
 * {@code timeout} in seconds per request.
 */
final class ImplementationSection {
    private ImplementationSection() {
    }

    static ImplementationSpec read(Field field) throws SpecException {
        if (!field.isMap()) {
            field.oneOf("reference");
            return ImplementationSpec.reference();
        }
        Fields map = field.map().allow("process", "java", "mutant", "timeout", "workers");
        String kind = null;
        for (String k : new String[] {"process", "java", "mutant"}) {
            if (map.has(k)) {
                if (kind != null) {
                    throw map.keyError(k, "give one of process, java or mutant, not both " + kind + " and " + k);
                }
                kind = k;
            }
        }
        if (kind == null) {
            throw field.error("expected one of process, java or mutant (or the word reference)");
        }
        String target = map.get(kind).text();
        if (target.isBlank()) {
            throw map.get(kind).error("expected a non-empty string");
        }
        Duration timeout = ImplementationSpec.DEFAULT_TIMEOUT;
        if (map.has("timeout")) {
            if (!kind.equals("process")) {
                throw map.keyError("timeout", "timeout applies only to process (this is " + kind + ")");
            }
            // Below a tenth of a second no child answers even a hello: refuse it here, not at the first request.
            double seconds = map.get("timeout").number("a number of seconds from 0.1 to 86400 (a day)",
                    x -> x >= 0.1 && x <= 86_400);
            timeout = Duration.ofMillis(Math.round(seconds * 1000));
        }
        int workers = 1;
        if (map.has("workers")) {
            if (!kind.equals("process")) {
                throw map.keyError("workers", "workers applies only to process (this is " + kind + ")");
            }
            workers = (int) map.get("workers").count(ImplementationSpec.MAX_WORKERS, n -> "expected at most "
                    + ImplementationSpec.MAX_WORKERS + " workers, got " + n);
        }
        var mark = map.get(kind).node().getStartMark();
        return new ImplementationSpec(kind, target, timeout, workers, mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0));
    }
}
