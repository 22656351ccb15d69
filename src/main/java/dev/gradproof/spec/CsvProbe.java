package dev.gradproof.spec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Checks that a spec's csv file exists and that its first data row has the network's width. The rows
 * themselves are read later, by whoever builds the data set; this only catches a wrong file early.
 */
final class CsvProbe {

    /** A longer line is not a data row of a network within the limits; refuse it rather than buffer it. */
    private static final int MAX_LINE = 1 << 20;

    private CsvProbe() {
    }

    static Path check(Field field, Path specFile, NetworkSpec network) throws SpecException {
        String text = field.text();
        if (text.isBlank()) {
            throw field.error("expected a file path, got " + field.describe());
        }
        Path resolved;
        try {
            Path given = Path.of(text);
            Path folder = specFile == null ? null : specFile.getParent();
            resolved = folder == null ? given : folder.resolve(given);
        } catch (InvalidPathException e) {
            throw field.error("not a valid path: " + Scalars.quote(text));
        }
        if (!Files.exists(resolved)) {
            throw field.error("file not found: " + resolved);
        }
        if (!Files.isRegularFile(resolved)) {
            throw field.error("not a file: " + resolved);
        }
        int inputs = network.inputs();
        int outputs = network.outputs();
        try (Reader reader = new BufferedReader(new InputStreamReader(Files.newInputStream(resolved),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            boolean headerSeen = false;
            for (int lineNumber = 1; ; lineNumber++) {
                String line = readLine(reader);
                if (line == null) {
                    throw field.error(resolved + " has no data rows");
                }
                if (line.length() > MAX_LINE) {
                    throw field.error(String.format(Locale.ROOT, "%s line %d is longer than %,d characters",
                            resolved, lineNumber, MAX_LINE));
                }
                line = line.replace("\uFEFF", "");
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",", -1);
                if (!headerSeen && !numeric(cells)) {
                    headerSeen = true;
                    continue;
                }
                if (cells.length != inputs + outputs) {
                    throw field.error(String.format(Locale.ROOT,
                            "%s line %d has %d columns; the network needs %d (%d input%s + %d output%s)",
                            resolved, lineNumber, cells.length, inputs + outputs, inputs, inputs == 1 ? "" : "s",
                            outputs, outputs == 1 ? "" : "s"));
                }
                return resolved;
            }
        } catch (CharacterCodingException e) {
            throw field.error(resolved + " is not valid UTF-8");
        } catch (IOException e) {
            throw field.error("cannot read " + resolved + ": " + e.getMessage());
        }
    }

    /** One line without its terminator, null at end of input; stops reading one char past {@link #MAX_LINE}. */
    private static String readLine(Reader reader) throws IOException {
        StringBuilder sb = new StringBuilder();
        int c = reader.read();
        if (c < 0) {
            return null;
        }
        while (c >= 0 && c != '\n' && sb.length() <= MAX_LINE) {
            if (c != '\r') {
                sb.append((char) c);
            }
            c = reader.read();
        }
        return sb.toString();
    }

    private static boolean numeric(String[] cells) {
        for (String cell : cells) {
            try {
                Double.parseDouble(cell.trim());
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return true;
    }
}
