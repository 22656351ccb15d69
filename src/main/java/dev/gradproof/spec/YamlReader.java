package dev.gradproof.spec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/** Bytes to text to one YAML node tree, refusing anything oversized, malformed or hostile on the way. */
final class YamlReader {

    private YamlReader() {
    }

    static String decode(byte[] bytes, Path file) throws SpecException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int bad = bytes[Math.min(in.position(), bytes.length - 1)] & 0xFF;
            int[] at = lineAndColumn(out.flip(), Integer.MAX_VALUE);
            throw new SpecException(file, at[0], at[1], "",
                    String.format(Locale.ROOT, "not valid UTF-8 (byte 0x%02X); save the file as UTF-8", bad));
        }
        return out.flip().toString();
    }

    static void checkSize(long bytes, long max, Path file) throws SpecException {
        if (bytes > max) {
            throw new SpecException(file, 0, 0, "",
                    String.format(Locale.ROOT, "%,d bytes exceed the limit of %,d bytes for a spec file", bytes, max));
        }
    }

    /** UTF-8 size of {@code text}, counted without encoding it. */
    static long utf8Length(String text) {
        long bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    /** The single document of {@code yaml}, or a SpecException; nothing else escapes. */
    static Node compose(String yaml, Path file, Limits limits) throws SpecException {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file == null ? "<spec>" : file.toString())
                .setSchema(new CoreSchema())
                .setAllowDuplicateKeys(false)
                .setAllowRecursiveKeys(false)
                // Complex keys are refused by Fields, with a position; the engine's own refusal has none.
                .setAllowNonScalarKeys(true)
                .setMaxAliasesForCollections(Math.max(limits.maxAliases(), 1) + 1)
                .setCodePointLimit(Math.max(limits.maxFileBytes(), 1) + 1)
                .setEnvConfig(Optional.empty())
                .setUseMarks(true)
                .build();
        try {
            GuardedParser parser = new GuardedParser(new ParserImpl(settings, new StreamReader(settings, yaml)),
                    limits.maxAliases());
            Composer composer = new Composer(settings, parser);
            if (!composer.hasNext()) {
                throw new SpecException(file, 0, 0, "", "the spec is empty");
            }
            Node document = composer.next();
            if (composer.hasNext()) {
                throw at(file, parser.peekEvent().getStartMark(), "expected one YAML document, found a second one");
            }
            return document;
        } catch (GuardedParser.Tripped e) {
            throw at(file, e.mark, e.problem);
        } catch (MarkedYamlEngineException e) {
            Optional<SpecException> hint = SyntaxHint.of(yaml, file, e);
            if (hint.isPresent()) {
                throw hint.get();
            }
            String context = e.getContext();
            String problem = "invalid YAML: " + e.getProblem() + (context == null || context.isEmpty() ? "" : " (" + context + ")");
            throw at(file, e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark(), problem);
        } catch (ReaderException e) {
            int[] at = lineAndColumn(yaml, e.getPosition());
            throw new SpecException(file, at[0], at[1], "", String.format(Locale.ROOT,
                    "invalid YAML: character U+%04X is not allowed (YAML allows only printable characters)", e.getCodePoint()));
        } catch (StackOverflowError e) {
            // GuardedParser's depth limit should make this unreachable; kept so a crash can never escape.
            throw new SpecException(file, 0, 0, "", "YAML nesting is too deep");
        } catch (RuntimeException e) {
            // snakeyaml-engine signals some problems (e.g. code point limit) without a position.
            throw new SpecException(file, 0, 0, "", "invalid YAML: " + e.getMessage());
        }
    }

    static SpecException at(Path file, Optional<Mark> mark, String problem) {
        return new SpecException(file, mark.map(m -> m.getLine() + 1).orElse(0),
                mark.map(m -> m.getColumn() + 1).orElse(0), "", problem);
    }

    /** 1-based line and column of code point {@code position} in {@code text}. */
    static int[] lineAndColumn(CharSequence text, int position) {
        int line = 1;
        int column = 1;
        int codePoints = 0;
        for (int i = 0; i < text.length() && codePoints < position; i++, codePoints++) {
            char c = text.charAt(i);
            if (c == '\n' || (c == '\r' && (i + 1 == text.length() || text.charAt(i + 1) != '\n'))) {
                line++;
                column = 1;
            } else {
                if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                }
                column++;
            }
        }
        return new int[] {line, column};
    }
}
