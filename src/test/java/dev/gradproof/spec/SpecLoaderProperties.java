package dev.gradproof.spec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random damage to a valid spec never makes {@link SpecLoader} throw anything but SpecException, and never
 * makes it slow. Any other throwable (NullPointerException, NumberFormatException, StackOverflowError...)
 * escapes the property and fails it with the shrunk input.
 */
class SpecLoaderProperties {

    private static final String VALID = """
            name: "mutated"
            description: >
              folded text
            network:
              inputs: 2
              layers:
                - units: 3
                  activation: {name: leaky_relu, slope: 0.2, derivative: "max(0.2*x, x) / x"}
                  frozen: false
                - units: 2
                  activation:
                    name: custom
                    value: x / (1 + abs(x))
                    derivative: '1 / (1 + abs(x))^2'
                - &last
                  units: 1
                  activation: sigmoid
                  bias: true
            loss:
              type: binary_cross_entropy
              reduction: sum
              l2: {lambda: 0.5, biases: true}
            data:
              examples: 12
              inputs: {distribution: uniform, low: -1, high: 1.5e0, zeros: 0.25}
              targets: {distribution: uniform, low: 0, high: 1}
            weights: {init: uniform, low: -0.3, high: 0.3, biases: zero}
            check:
              trials: 2
              oracles: [exact, finite_difference]
              tolerance: auto
              parameters: all
            seed: 0x1F
            expect: {verdict: error, message: "x"}
            """;

    private static final Path FILE = Path.of("specs/mutated.yaml");
    /** Generous: a parse takes about a millisecond; this catches only exponential blow-ups and hangs. */
    private static final long SLOW_NANOS = 2_000_000_000L;

    enum Kind { INSERT, DELETE, REPLACE, DUPLICATE_LINE, SWAP_LINES, REPEAT }

    record Edit(Kind kind, double where, int length, char c) {
    }

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Character> chars = Arbitraries.oneOf(
                Arbitraries.of(':', '-', ' ', '\n', '\t', '{', '}', '[', ']', ',', '&', '*', '!', '|', '>', '\'', '"',
                        '#', '%', '@', '`', '?', '<', '0', '9', '.', 'e', 'x', '^', '(', ')', '\\', '\r', '\u0000',
                        '\u0085', '\uFEFF', '\uD800', '\uDC00'),
                Arbitraries.chars());
        Arbitrary<Edit> edit = Combinators.combine(Arbitraries.of(Kind.class), Arbitraries.doubles().between(0, 1),
                Arbitraries.integers().between(1, 40), chars).as(Edit::new);
        return edit.list().ofMinSize(1).ofMaxSize(8);
    }

    @Property(tries = 2000)
    void textMutationsOnlyEverThrowSpecException(@ForAll("edits") List<Edit> edits) {
        String yaml = apply(VALID, edits);
        long start = System.nanoTime();
        try {
            new SpecLoader().parse(yaml, FILE);
        } catch (SpecException expected) {
            assertTrue(expected.getMessage().startsWith(FILE.toString()), expected.getMessage());
        }
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < SLOW_NANOS, () -> "took " + elapsed / 1_000_000 + " ms");
        SpecLoader.declaredExpectation(yaml);
        SpecLoader.declaredName(yaml, FILE);
    }

    @Provide
    Arbitrary<List<int[]>> byteEdits() {
        // {position in per-mille, byte value, 0 = overwrite / 1 = insert / 2 = delete}
        return Combinators.combine(Arbitraries.integers().between(0, 999), Arbitraries.integers().between(0, 255),
                Arbitraries.integers().between(0, 2)).as((at, value, op) -> new int[] {at, value, op})
                .list().ofMinSize(1).ofMaxSize(6);
    }

    @Property(tries = 500)
    void byteMutationsOnlyEverThrowSpecException(@ForAll("byteEdits") List<int[]> edits) throws IOException {
        List<Byte> bytes = new ArrayList<>();
        for (byte b : VALID.getBytes(StandardCharsets.UTF_8)) {
            bytes.add(b);
        }
        for (int[] edit : edits) {
            int at = Math.min(bytes.size() - 1, edit[0] * bytes.size() / 1000);
            switch (edit[2]) {
                case 0 -> bytes.set(at, (byte) edit[1]);
                case 1 -> bytes.add(at, (byte) edit[1]);
                default -> bytes.remove(at);
            }
        }
        byte[] raw = new byte[bytes.size()];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = bytes.get(i);
        }
        Path file = Files.createTempFile("mutated", ".yaml");
        try {
            Files.write(file, raw);
            new SpecLoader().load(file);
        } catch (SpecException expected) {
            assertTrue(expected.getMessage().startsWith(file.toString()), expected.getMessage());
        } finally {
            Files.delete(file);
        }
    }

    @Example
    void theUnmutatedSpecIsValid() throws SpecException {
        assertTrue(new SpecLoader().parse(VALID, FILE).check().uses(CheckSpec.EXACT));
    }

    static String apply(String text, List<Edit> edits) {
        String result = text;
        for (Edit edit : edits) {
            result = apply(result, edit);
        }
        return result;
    }

    private static String apply(String text, Edit edit) {
        int at = (int) (edit.where() * text.length());
        int end = Math.min(text.length(), at + edit.length());
        List<String> lines = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
        int line = Math.min(lines.size() - 1, (int) (edit.where() * lines.size()));
        switch (edit.kind()) {
            case INSERT:
                return text.substring(0, at) + edit.c() + text.substring(at);
            case DELETE:
                return text.substring(0, at) + text.substring(end);
            case REPLACE:
                return at == text.length() ? text : text.substring(0, at) + edit.c() + text.substring(at + 1);
            case DUPLICATE_LINE:
                lines.add(line, lines.get(line));
                return String.join("\n", lines);
            case SWAP_LINES:
                int other = (line + edit.length()) % lines.size();
                String moved = lines.get(line);
                lines.set(line, lines.get(other));
                lines.set(other, moved);
                return String.join("\n", lines);
            case REPEAT:
                String piece = text.substring(at, end);
                return text.substring(0, end) + piece.repeat(Math.min(edit.length(), 20)) + text.substring(end);
            default:
                throw new UncheckedIOException(new IOException("unknown edit " + edit));
        }
    }
}
