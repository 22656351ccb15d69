package dev.gradproof.spec;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

/** A small valid spec whose lines the validation tests edit, so each message's line:column is easy to read off. */
final class SpecTexts {

    static final Path FILE = Path.of("specs/x.yaml");

    /** Line numbers: 1 network, 2 inputs, 3 layers, 4-5 first layer, 6-7 last layer, 8-9 loss, 10-11 data. */
    static final String BASE = """
            network:
              inputs: 2
              layers:
                - units: 3
                  activation: tanh
                - units: 1
                  activation: sigmoid
            loss:
              type: squared_error
            data:
              generator: xor
            """;

    private SpecTexts() {
    }

    static Spec parse(String yaml) throws SpecException {
        return new SpecLoader().parse(yaml, FILE);
    }

    /** The message of the SpecException that parsing {@code yaml} must throw. */
    static String error(String yaml) {
        return assertThrows(SpecException.class, () -> parse(yaml)).getMessage();
    }

    static String error(SpecLoader loader, String yaml) {
        return assertThrows(SpecException.class, () -> loader.parse(yaml, FILE)).getMessage();
    }

    /** BASE with {@code from} replaced by {@code to} exactly once. */
    static String edit(String from, String to) {
        return edit(BASE, from, to);
    }

    static String edit(String yaml, String from, String to) {
        int at = yaml.indexOf(from);
        if (at < 0 || yaml.indexOf(from, at + 1) >= 0) {
            throw new IllegalArgumentException("not exactly once: " + from);
        }
        return yaml.substring(0, at) + to + yaml.substring(at + from.length());
    }

    /** BASE with the {@code data} section replaced. */
    static String withData(String data) {
        return edit("data:\n  generator: xor\n", data);
    }
}
