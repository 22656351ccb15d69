package dev.gradproof.spec;

import dev.gradproof.api.Verdict;

/** {@code expect: pass | mismatch | forward-differs | error} or {@code {verdict: error, message: "..."}}. */
final class ExpectSection {

    private ExpectSection() {
    }

    static Expectation read(Field field) throws SpecException {
        if (!field.isMap()) {
            return new Expectation(verdict(field), null);
        }
        Fields map = field.map().allow("verdict", "message");
        Verdict verdict = verdict(map.require("verdict"));
        String message = null;
        if (map.has("message")) {
            if (verdict != Verdict.ERROR) {
                throw map.keyError("message", "message applies only to verdict: error (verdict is "
                        + verdict.label() + ")");
            }
            message = map.get("message").text();
        }
        return new Expectation(verdict, message);
    }

    private static Verdict verdict(Field field) throws SpecException {
        return switch (field.oneOf("pass", "mismatch", "forward-differs", "error")) {
            case "pass" -> Verdict.PASS;
            case "mismatch" -> Verdict.MISMATCH;
            case "forward-differs" -> Verdict.FORWARD_DIFFERS;
            default -> Verdict.ERROR;
        };
    }
}
