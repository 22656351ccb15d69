package dev.gradproof.spec;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The one parser of the csv files specs name: reads a file line by line, streaming, and never holds
 * more than one line. Lines end at '\n' (a '\r' before it is dropped); blank lines are skipped;
 * cells are separated by commas and trimmed of spaces and tabs; there is no quoting and no comment
 * syntax. Each line is decoded as UTF-8 on its own, so an encoding error names its line.
 *
 * <p>Every problem is a {@link SpecException} on the spec's {@code data.csv} field whose text names
 * the csv file and, where there is one, its line and column.
 */
final class CsvReader implements Closeable {

    /** A longer line is no data row of a network within the limits; it is refused, never buffered. */
    static final int MAX_LINE_BYTES = 1 << 20;
    /** A longer cell is no number: a double needs at most 17 significant digits. */
    static final int MAX_NUMBER_CHARS = 200;

    private final Field field;
    private final Path file;
    private final InputStream in;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private byte[] buffer = new byte[256];
    private int line;
    private boolean ended;

    private CsvReader(Field field, Path file, InputStream in) {
        this.field = field;
        this.file = file;
        this.in = in;
    }

    /** Opens {@code file} for reading, refusing anything but an existing regular file. */
    static CsvReader open(Field field, Path file) throws SpecException {
        if (!Files.exists(file)) {
            throw field.error("file not found: " + file);
        }
        if (Files.isDirectory(file)) {
            throw field.error(file + " is a folder, not a csv file");
        }
        if (!Files.isRegularFile(file)) {
            // A FIFO, a device such as /dev/zero or a socket may never end: never read from one.
            throw field.error(file + " is not a regular file (a device, FIFO or socket); give a csv file");
        }
        try {
            return new CsvReader(field, file, Files.newInputStream(file));
        } catch (AccessDeniedException e) {
            throw field.error("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw field.error("cannot read " + file + ": " + describe(e));
        }
    }

    /** The number of the line read last (from 1). */
    int line() {
        return line;
    }

    /** The next physical line, decoded, without its end; null at the end of the file. */
    String nextLine() throws SpecException {
        if (ended) {
            return null;
        }
        int length = 0;
        try {
            int b = read();
            if (b < 0) {
                ended = true;
                return null;
            }
            line++;
            while (b >= 0 && b != '\n') {
                if (length == MAX_LINE_BYTES) {
                    throw field.error(String.format(Locale.ROOT, "%s line %d is longer than %,d bytes; a csv row of "
                            + "numbers is far shorter", file, line, MAX_LINE_BYTES));
                }
                if (length == buffer.length) {
                    buffer = Arrays.copyOf(buffer, (int) Math.min(MAX_LINE_BYTES, 2L * length));
                }
                buffer[length++] = (byte) b;
                b = read();
            }
            ended = b < 0;
        } catch (IOException e) {
            throw field.error("cannot read " + file + " at line " + line + ": " + describe(e));
        }
        if (length > 0 && buffer[length - 1] == '\r') {
            length--;
        }
        int start = 0;
        if (line == 1 && length >= 3 && buffer[0] == (byte) 0xEF && buffer[1] == (byte) 0xBB && buffer[2] == (byte) 0xBF) {
            start = 3; // a UTF-8 byte order mark, as spreadsheet programs write
        }
        return decode(start, length);
    }

    private int read() throws IOException {
        if (chunkPos == chunkEnd) {
            chunkEnd = in.read(chunk, 0, chunk.length);
            chunkPos = 0;
            if (chunkEnd <= 0) {
                chunkEnd = 0;
                return -1;
            }
        }
        return chunk[chunkPos++] & 0xFF;
    }

    /** The cells of the next non-blank line, or null at the end of the file. */
    String[] next() throws SpecException {
        String text;
        do {
            text = nextLine();
            if (text == null) {
                return null;
            }
        } while (text.isBlank());
        return cells(text);
    }

    private String decode(int start, int end) throws SpecException {
        ByteBuffer bytes = ByteBuffer.wrap(buffer, start, end - start);
        CharBuffer chars = CharBuffer.allocate(end - start);
        decoder.reset();
        CoderResult r = decoder.decode(bytes, chars, true);
        if (!r.isError()) {
            r = decoder.flush(chars);
        }
        if (r.isError()) {
            throw field.error(String.format(Locale.ROOT, "%s line %d is not valid UTF-8 (byte %d of the line)", file,
                    line, bytes.position() + 1));
        }
        return chars.flip().toString();
    }

    private static String[] cells(String text) {
        List<String> cells = new ArrayList<>();
        int from = 0;
        for (int comma = text.indexOf(','); comma >= 0; comma = text.indexOf(',', from)) {
            cells.add(trim(text, from, comma));
            from = comma + 1;
        }
        cells.add(trim(text, from, text.length()));
        return cells.toArray(String[]::new);
    }

    private static String trim(String text, int from, int to) {
        while (from < to && (text.charAt(from) == ' ' || text.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (text.charAt(to - 1) == ' ' || text.charAt(to - 1) == '\t')) {
            to--;
        }
        return text.substring(from, to);
    }

    /** Whether the cell is written as a number, finite or not (NaN and inf count): never a header cell. */
    static boolean looksNumeric(String cell) {
        return decimal(cell) || nonFinite(cell);
    }

    /** The problem with a cell that is not a finite number, e.g. {@code expected a number, got 'n/a'}. */
    static String notANumber(String cell) {
        if (cell.isEmpty()) {
            return "the cell is empty; expected a number";
        }
        if (nonFinite(cell)) {
            return "expected a finite number, got " + Scalars.quote(cell);
        }
        if (decimal(cell)) {
            return Scalars.quote(cell) + " is beyond the range of a double";
        }
        return "expected a number, got " + Scalars.quote(cell);
    }

    /**
     * The cell as a finite double, or NaN for any cell that is not one ({@link #notANumber} says why).
     * Only plain decimal numbers count ({@code -1.5}, {@code .5}, {@code 2e-3}): no NaN or infinity, no
     * number that overflows a double, no hexadecimal, no Java suffix such as {@code 1d}.
     */
    static double finite(String cell) {
        if (!decimal(cell)) {
            return Double.NaN;
        }
        double v = Double.parseDouble(cell);
        return Double.isInfinite(v) ? Double.NaN : v;
    }

    private static boolean nonFinite(String cell) {
        String s = cell.toLowerCase(Locale.ROOT);
        if (s.startsWith("+") || s.startsWith("-")) {
            s = s.substring(1);
        }
        return s.equals("nan") || s.equals("inf") || s.equals("infinity") || s.equals(".inf") || s.equals(".nan");
    }

    /** [+-] digits [. digits] [e [+-] digits], with at least one digit before the exponent. */
    private static boolean decimal(String s) {
        int n = s.length();
        if (n == 0 || n > MAX_NUMBER_CHARS) {
            return false;
        }
        int i = s.charAt(0) == '+' || s.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        while (i < n && isDigit(s.charAt(i))) {
            i++;
            digits++;
        }
        if (i < n && s.charAt(i) == '.') {
            i++;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int exponent = 0;
            while (i < n && isDigit(s.charAt(i))) {
                i++;
                exponent++;
            }
            if (exponent == 0) {
                return false;
            }
        }
        return i == n;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException ignored) {
            // nothing was written; a failed close loses nothing
        }
    }
}
