package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.withData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue #11: csv input that could produce a false pass (a bad row skipped as a "header", no examples
 * checked) or that was read whole whatever its size. Every refusal is pinned to its exact message.
 */
class CsvInputTest {

    @TempDir
    Path dir;

    /** The base spec (2 inputs, 1 output, squared error) reading {@code name} from the spec's folder. */
    private String load(String name, String csv) throws IOException {
        return load(new SpecLoader(), name, csv);
    }

    private String load(SpecLoader loader, String name, String csv) throws IOException {
        Files.writeString(dir.resolve(name), csv);
        return error(loader, "data: {csv: " + name + "}\n");
    }

    private String error(SpecLoader loader, String data) {
        return assertThrows(SpecException.class, () -> loader.parse(withData(data), spec())).getMessage();
    }

    private Path spec() {
        return dir.resolve("x.yaml");
    }

    private String at() {
        return spec() + ":10:13: data.csv: ";
    }

    @Test
    void aNonNumericRowAfterTheHeaderIsAnErrorNotASkippedHeader() throws IOException {
        // The tanh tutorial network with the file and expect: pass used to pass with 0 examples.
        Files.writeString(dir.resolve("empty.csv"), "x1,x2,y\nn/a,n/a,n/a\n");
        String tanh = Files.readString(Path.of("specs/tanh-tutorial-bug.yaml"))
                .replace("  generator: xor", "  csv: empty.csv").replace("expect: mismatch", "expect: pass");
        SpecException e = assertThrows(SpecException.class, () -> new SpecLoader().parse(tanh, spec()));
        assertEquals(spec() + ":28:8: data.csv: " + dir.resolve("empty.csv")
                + " line 2, column 0 ('x1'): expected a number, got 'n/a'", e.getMessage());
    }

    @Test
    void onlyTheFirstRowMayBeAHeader() throws IOException {
        assertEquals(at() + dir.resolve("d.csv") + " line 3, column 0 ('x1'): expected a number, got 'x1'",
                load("d.csv", "x1,x2,y\n1,2,3\nx1,x2,y\n4,5,6\n"));
        assertEquals(at() + dir.resolve("d.csv") + " line 3, column 2: expected a number, got 'y'",
                load("d.csv", "1,2,3\n\n4,5,y\n"));
    }

    @Test
    void aFileWithoutExamplesIsRefusedAtLoadTime() throws IOException {
        assertEquals(at() + dir.resolve("d.csv") + " has no data rows", load("d.csv", "x1,x2,y\n"));
        assertEquals(at() + dir.resolve("d.csv") + " has no data rows", load("d.csv", "x1,x2,y\n\n  \n"));
        assertEquals(at() + dir.resolve("d.csv") + " has no data rows", load("d.csv", ""));
    }

    @Test
    void aFirstRowOfNumbersAndTextMustBeDeclared() throws IOException {
        // sklearn's breast_cancer.csv starts so: counts, then class names. A header? A bad data row?
        assertEquals(at() + dir.resolve("d.csv") + " line 1 mixes numbers ('569' in column 0) and text ('malignant' in "
                + "column 2): if it is a header, say 'header: 1'; if it is data, fix column 2",
                load("d.csv", "569,2,malignant\n1,2,0\n"));
        assertEquals(at() + dir.resolve("d.csv") + " line 1 mixes numbers ('1' in column 0) and text ('n/a' in "
                + "column 1): if it is a header, say 'header: 1'; if it is data, fix column 1", load("d.csv", "1,n/a,3\n"));
    }

    @Test
    void nonFiniteAndNonDecimalNumbersAreRefused() throws IOException {
        String file = dir.resolve("d.csv").toString();
        assertEquals(at() + file + " line 2, column 1 ('b'): expected a finite number, got 'NaN'",
                load("d.csv", "a,b,y\n1,NaN,0\n"));
        assertEquals(at() + file + " line 1, column 0: expected a finite number, got 'Infinity'",
                load("d.csv", "Infinity,1,0\n"));
        assertEquals(at() + file + " line 1, column 2: expected a finite number, got '-inf'", load("d.csv", "1,1,-inf\n"));
        assertEquals(at() + file + " line 2, column 2: '1e999' is beyond the range of a double",
                load("d.csv", "1,1,1\n1,1,1e999\n"));
        assertEquals(at() + file + " line 2, column 1: expected a number, got '1d'", load("d.csv", "1,1,1\n1,1d,0\n"));
        assertEquals(at() + file + " line 2, column 0: expected a number, got '0x1p3'", load("d.csv", "1,1,1\n0x1p3,1,0\n"));
        assertEquals(at() + file + " line 1, column 2: the cell is empty; expected a number", load("d.csv", "1,2,\n"));
        // A row of NaN is data, refused for it, never a header skipped in silence.
        assertEquals(at() + file + " line 1, column 0: expected a finite number, got 'nan'", load("d.csv", "nan,nan,nan\n"));
    }

    @Test
    void rowsPastTheExampleLimitAreNotRead() throws IOException {
        SpecLoader three = new SpecLoader(Limits.defaults().withMaxExamples(3));
        assertEquals(at() + dir.resolve("d.csv") + " has more than 3 data rows, the limit (raise it with --max-examples, "
                + "or read the first rows only with examples: N)", load(three, "d.csv", "1,2,3\n1,2,3\n1,2,3\n1,2,3\n"));
        assertEquals(3, new SpecLoaderTestAccess(three, spec()).examples("data: {csv: d.csv, examples: 3}\n"));
    }

    @Test
    void twoMillionAndOneRowsStopAtTheDefaultLimit() throws IOException {
        Path big = dir.resolve("big.csv");
        try (Writer w = Files.newBufferedWriter(big)) {
            for (int i = 0; i < 2_000_001; i++) {
                w.write("1,2,3\n");
            }
        }
        assertEquals(at() + big + " has more than 1,000,000 data rows, the limit (raise it with --max-examples, "
                + "or read the first rows only with examples: N)", error(new SpecLoader(), "data: {csv: big.csv}\n"));
    }

    @Test
    void aThreeGigabyteLineIsRefusedAfterOneMebibyte() throws IOException {
        Path huge = dir.resolve("huge.csv");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: 3 GB of zero bytes without a line end, costing no disk
        }
        String message = assertTimeoutPreemptively(Duration.ofSeconds(20),
                () -> error(new SpecLoader(), "data: {csv: huge.csv}\n"));
        assertEquals(at() + huge + " line 1 is longer than 1,048,576 bytes; a csv row of numbers is far shorter", message);
    }

    @Test
    void badUtf8LateInTheFileNamesItsLine() throws IOException {
        Path bad = dir.resolve("bad.csv");
        StringBuilder good = new StringBuilder("x1,x2,y\n");
        for (int i = 0; i < 5000; i++) {
            good.append(i).append(",0.5,1\n");
        }
        byte[] head = good.toString().getBytes(StandardCharsets.UTF_8);
        byte[] tail = {'7', ',', 'x', (byte) 0xC3, '(', ',', '1', '\n'};
        byte[] all = new byte[head.length + tail.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(tail, 0, all, head.length, tail.length);
        Files.write(bad, all);
        assertEquals(at() + bad + " line 5002 is not valid UTF-8 (byte 4 of the line)",
                error(new SpecLoader(), "data: {csv: bad.csv}\n"));
    }

    @Test
    void onlyRegularFilesAreRead() throws Exception {
        Files.createDirectory(dir.resolve("folder.csv"));
        assertEquals(at() + dir.resolve("folder.csv") + " is a folder, not a csv file",
                error(new SpecLoader(), "data: {csv: folder.csv}\n"));
        assumeTrue(Files.exists(Path.of("/dev/zero")));
        assertEquals(at() + "/dev/zero is not a regular file (a device, FIFO or socket); give a csv file",
                error(new SpecLoader(), "data: {csv: /dev/zero}\n"));
        Path fifo = dir.resolve("fifo.csv");
        Process mkfifo;
        try {
            mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException noMkfifo) {
            assumeTrue(false, "mkfifo is not available");
            return;
        }
        assumeTrue(mkfifo.waitFor(10, TimeUnit.SECONDS) && mkfifo.exitValue() == 0, "mkfifo failed");
        // Reading a FIFO nobody writes to would block for ever; it must be refused without opening it.
        String message = assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> error(new SpecLoader(), "data: {csv: fifo.csv}\n"));
        assertEquals(at() + fifo + " is not a regular file (a device, FIFO or socket); give a csv file", message);
    }

    @Test
    void wrongColumnCountsNameTheLine() throws IOException {
        assertEquals(at() + dir.resolve("d.csv") + " line 4 has 2 columns; the network needs 3 (2 inputs + 1 output)",
                load("d.csv", "a,b,y\n1,2,3\n\n4,5\n"));
    }

    @Test
    void spreadsheetFormsAreRead() throws Exception {
        // A byte order mark, CRLF line ends, spaces around cells and a blank last line.
        Files.write(dir.resolve("d.csv"), "\uFEFFx1, x2 ,y\r\n 1.5,-2e-1, 3 \r\n.5,+4,0\r\n\r\n".getBytes(StandardCharsets.UTF_8));
        Spec spec = new SpecLoader().parse(withData("data: {csv: d.csv}\n"), spec());
        assertArrayEquals(new double[] {1.5, -0.2, 0.5, 4}, spec.data().table().x());
        assertArrayEquals(new double[] {3, 0}, spec.data().table().y());
        assertEquals(2, spec.data().examples());
    }

    @Test
    void examplesReadsTheFirstRowsAndNoMoreThanTheFileHas() throws IOException {
        Files.writeString(dir.resolve("d.csv"), "1,2,3\n4,5,6\nbroken row past the ones asked for\n");
        assertEquals(2, new SpecLoaderTestAccess(new SpecLoader(), spec()).examples("data: {csv: d.csv, examples: 2}\n"));
        Files.writeString(dir.resolve("two.csv"), "1,2,3\n4,5,6\n");
        assertEquals(spec() + ":12:13: data.examples: " + dir.resolve("two.csv") + " has 2 data rows; examples asks for 5",
                error(new SpecLoader(), "data:\n  csv: two.csv\n  examples: 5\n"));
    }

    /** Loads the base spec with a data section and tells how many examples it has. */
    private record SpecLoaderTestAccess(SpecLoader loader, Path file) {
        int examples(String data) {
            try {
                return loader.parse(withData(data), file).data().examples();
            } catch (SpecException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        }
    }
}
