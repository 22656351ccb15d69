package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.withData;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue #18: header lines, the label column and its encoding, input columns and standardization. */
class CsvColumnsTest {

    private static final String BCE = "binary_cross_entropy";
    /** Two inputs, three softmax outputs. */
    private static final String THREE_CLASSES = edit(edit(edit("units: 1", "units: 3"), "activation: sigmoid", "activation: softmax"),
            "squared_error", "softmax_cross_entropy");

    @TempDir
    Path dir;

    private Path file;

    @BeforeEach
    void writeTheFile() throws IOException {
        file = dir.resolve("d.csv");
        // Like sklearn's files: a first line of counts and class names, then features and the class.
        Files.writeString(file, "4,3,setosa,versicolor,virginica\n"
                + "1.0,10,0.5,2\n"
                + "2.0,10,1.5,0\n"
                + "3.0,10,2.5,1\n"
                + "6.0,10,3.5,1\n");
    }

    private Spec parse(String yaml) throws SpecException {
        return new SpecLoader().parse(yaml, dir.resolve("x.yaml"));
    }

    private String error(String yaml) {
        return assertThrows(SpecException.class, () -> parse(yaml)).getMessage();
    }

    private String prefix(int line, int column, String field) {
        return dir.resolve("x.yaml") + ":" + line + ":" + column + ": " + field + ": ";
    }

    private static String data(String base, String data) {
        return edit(base, "data:\n  generator: xor\n", data);
    }

    @Test
    void aOneHotLabelWithChosenInputColumns() throws SpecException {
        Spec spec = parse(data(THREE_CLASSES,
                "data:\n  csv: d.csv\n  header: 1\n  label: {column: last, one_hot: 3}\n  input_columns: [0, 2]\n"));
        CsvTable t = spec.data().table();
        assertEquals(4, spec.data().examples());
        assertArrayEquals(new double[] {1, 0.5, 2, 1.5, 3, 2.5, 6, 3.5}, t.x());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 0}, t.y());
        assertArrayEquals(new int[] {0, 2}, t.inputColumns());
        assertEquals(3, t.labelColumn());
        assertFalse(t.standardized());
    }

    @Test
    void standardizationUsesTheRowsOwnMeanAndPopulationStd() throws SpecException {
        Spec spec = parse(data(THREE_CLASSES, "data:\n  csv: d.csv\n  header: 1\n  label: {column: 3, one_hot: 3}\n"
                + "  input_columns: \"0-1\"\n  standardize: true\n"));
        CsvTable t = spec.data().table();
        // column 0: 1, 2, 3, 6: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5
        double s = Math.sqrt(3.5);
        assertArrayEquals(new double[] {3, 10}, t.mean());
        assertArrayEquals(new double[] {s, 1}, t.std(), "a constant column keeps std 1: centred, never divided by noise");
        assertArrayEquals(new double[] {-2 / s, 0, -1 / s, 0, 0, 0, 3 / s, 0}, t.x(), 1e-15);
        double sum = 0;
        double squares = 0;
        for (int n = 0; n < 4; n++) {
            sum += t.x()[2 * n];
            squares += t.x()[2 * n] * t.x()[2 * n];
        }
        assertEquals(0, sum, 1e-15);
        assertEquals(4, squares, 1e-14, "unit population variance");
    }

    @Test
    void aConstantColumnWithRoundingNoiseStaysExactlyZero() throws Exception {
        Files.writeString(file, "0.1,0.1,0\n0.7,0.1,1\n0.3,0.1,1\n");
        Spec spec = parse(edit(data(SpecTexts.BASE, "data: {csv: d.csv, label: {column: 2, binary: true}, standardize: true}\n"),
                "squared_error", BCE));
        double[] x = spec.data().table().x();
        assertEquals(0, x[1]);
        assertEquals(0, x[3]);
        assertEquals(0, x[5]);
    }

    @Test
    void aBinaryLabelAndAnAutomaticHeader() throws Exception {
        Files.writeString(file, "a,label,b\n1,0,2\n3,1,4\n");
        Spec spec = parse(edit(data(SpecTexts.BASE, "data: {csv: d.csv, label: {column: 1, binary: true}}\n"),
                "squared_error", BCE));
        assertArrayEquals(new double[] {1, 2, 3, 4}, spec.data().table().x());
        assertArrayEquals(new double[] {0, 1}, spec.data().table().y());
        assertNull(spec.data().table().mean());
    }

    @Test
    void theLabelMustFitItsEncoding() throws Exception {
        String oneHot = data(THREE_CLASSES, "data:\n  csv: d.csv\n  header: 1\n  label: {column: 3, one_hot: 3}\n"
                + "  input_columns: [0, 1]\n");
        Files.writeString(file, "x\n1,2,3,2\n1,2,3,3\n");
        assertEquals(prefix(11, 8, "data.csv") + file + " line 3, column 3: label 3 is not one of the 3 classes 0 to 2",
                error(oneHot));
        Files.writeString(file, "x\n1,2,3,1.5\n");
        assertEquals(prefix(11, 8, "data.csv") + file + " line 2, column 3: label 1.5 is not one of the 3 classes 0 to 2",
                error(oneHot));
        Files.writeString(file, "x\n1,2,3,-1\n");
        assertEquals(prefix(11, 8, "data.csv") + file + " line 2, column 3: label -1 is not one of the 3 classes 0 to 2",
                error(oneHot));
        Files.writeString(file, "a,b,y\n1,2,0\n1,2,2\n");
        assertEquals(prefix(10, 13, "data.csv") + file + " line 3, column 2 ('y'): label 2 is not binary (0 or 1)",
                error(edit(data(SpecTexts.BASE, "data: {csv: d.csv, label: {column: last, binary: true}}\n"), "squared_error", BCE)));
    }

    @Test
    void theLayoutMustMatchTheNetwork() throws Exception {
        String base = "data:\n  csv: d.csv\n  header: 1\n  label: {column: %s, one_hot: 3}\n";
        assertEquals(prefix(13, 19, "data.label.column") + "column 4 is beyond the last column (3) of " + file
                + " (line 2 has 4 columns)", error(data(THREE_CLASSES, String.format(base, 4))));
        assertEquals(prefix(11, 8, "data.csv") + file + " line 2 has 4 columns: 3 inputs besides the label (column 3); "
                + "the network has 2 inputs (choose them with input_columns)", error(data(THREE_CLASSES, String.format(base, 3))));
        assertEquals(prefix(14, 18, "data.input_columns") + "column 3 is the label's; an input cannot be its own target",
                error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: [0, 3]\n")));
        assertEquals(prefix(14, 18, "data.input_columns") + "column 7 is beyond the last column (3) of " + file
                + " (line 2 has 4 columns)", error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: [0, 7]\n")));
        assertEquals(prefix(14, 18, "data.input_columns") + "lists 1 column; the network has 2 inputs",
                error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: [0]\n")));
        assertEquals(prefix(14, 18, "data.input_columns") + "lists more than 2 columns; the network has 2 inputs",
                error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: \"0-999999999\"\n")));
        assertEquals(prefix(14, 22, "data.input_columns[1]") + "column 1 is listed twice",
                error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: [1, 1]\n")));
        assertEquals(prefix(14, 19, "data.input_columns[0]") + "the range '2-1' ends before it starts",
                error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: [\"2-1\"]\n")));
        Files.writeString(file, "x\n1,2,3,0\n1,2,0\n");
        assertEquals(prefix(11, 8, "data.csv") + file + " line 3 has 3 columns; line 2, the first data row, has 4",
                error(data(THREE_CLASSES, String.format(base, 3) + "  input_columns: [0, 1]\n")));
    }

    @Test
    void theLabelMustSuitTheNetworkAndTheLoss() {
        assertEquals(prefix(13, 31, "data.label.one_hot") + "3 classes need 3 outputs; the network has 1 output",
                error(data(SpecTexts.BASE, "data:\n  csv: d.csv\n  header: 1\n  label: {column: 3, one_hot: 3}\n")));
        assertEquals(prefix(13, 10, "data.label") + "softmax_cross_entropy needs one_hot targets; give the number of "
                + "classes as one_hot", error(data(THREE_CLASSES, "data:\n  csv: d.csv\n  header: 1\n  label: {column: 3}\n")));
        assertEquals(prefix(12, 10, "data.label") + "a binary label makes 1 output; the network has 3 outputs "
                + "(one_hot: 3 makes 3)", error(edit(data(THREE_CLASSES, "data:\n  csv: d.csv\n  label: {column: 3, binary: true}\n"),
                        "softmax_cross_entropy", "squared_error")));
        assertEquals(prefix(12, 34, "data.label.binary") + "give one encoding, not both 'one_hot' and 'binary'",
                error(data(THREE_CLASSES, "data:\n  csv: d.csv\n  label: {column: 3, one_hot: 3, binary: true}\n")));
        assertEquals(prefix(12, 31, "data.label.one_hot") + "expected a number of classes >= 2, got 1",
                error(data(SpecTexts.BASE, "data:\n  csv: d.csv\n  label: {column: 3, one_hot: 1}\n")));
        assertEquals(prefix(12, 19, "data.label.column") + "expected last or a column number (from 0), got -1",
                error(data(SpecTexts.BASE, "data:\n  csv: d.csv\n  label: {column: -1}\n")));
        assertEquals(prefix(12, 10, "data.label") + "missing required key 'column'",
                error(data(SpecTexts.BASE, "data:\n  csv: d.csv\n  label: {binary: true}\n")));
        assertEquals(prefix(12, 11, "data.header") + "expected the number of header lines, 0 to 1000, got -1",
                error(data(SpecTexts.BASE, "data:\n  csv: d.csv\n  header: -1\n")));
    }

    @Test
    void csvKeysNeedACsvFile() {
        assertEquals(prefix(12, 3, "data.label") + "'label' applies only to a csv file",
                error(SpecTexts.withData("data:\n  examples: 3\n  label: {column: 0}\n")));
        assertEquals(prefix(12, 3, "data.standardize") + "'standardize' applies only to a csv file",
                error(SpecTexts.withData("data:\n  generator: xor\n  standardize: true\n")));
        assertEquals(prefix(12, 3, "data.input_columns") + "input_columns needs a label; without one the file's first 2 "
                + "columns are the inputs and the rest the targets",
                error(SpecTexts.withData("data:\n  csv: d.csv\n  input_columns: [0, 1]\n")));
    }

    @Test
    void explicitHeaderLinesAreSkippedWhateverTheySay() throws Exception {
        Files.writeString(file, "1,2,3\n# any text, even numbers\n4,5,6\n");
        Spec spec = parse(withData("data: {csv: d.csv, header: 2}\n"));
        assertArrayEquals(new double[] {4, 5}, spec.data().table().x());
        Path named = dir.resolve("h.csv");
        Files.writeString(named, "x,y,z\n1,2,3\n");
        assertEquals(prefix(10, 13, "data.csv") + named + " line 1, column 0: expected a number, got 'x'",
                error(withData("data: {csv: h.csv, header: 0}\n")), "header: 0 says there is none");
        assertEquals(prefix(10, 13, "data.csv") + file + " has no data rows after its 5 header lines",
                error(withData("data: {csv: d.csv, header: 5}\n")));
    }

    @Test
    void targetsMustSuitTheLoss() throws Exception {
        Files.writeString(file, "1,2,0.5\n1,2,1.5\n");
        assertEquals(prefix(10, 13, "data.csv") + file + " line 2, column 2: target 1.5 is outside [0, 1], which "
                + "binary_cross_entropy needs", error(edit(withData("data: {csv: d.csv}\n"), "squared_error", BCE)));
        Files.writeString(file, "1,2,0.2,0.3,0.5\n1,2,0.2,0.3,0.4\n");
        assertEquals(prefix(10, 13, "data.csv") + file + " line 2: the targets (columns 2-4) sum to 0.9; "
                + "softmax_cross_entropy needs each row to sum to 1", error(data(THREE_CLASSES, "data: {csv: d.csv}\n")));
        Files.writeString(file, "1,2,0.1,0.2,0.7\n1,2,-0.5,0.5,1\n");
        assertEquals(prefix(10, 13, "data.csv") + file + " line 2, column 2: target -0.5 is negative; "
                + "softmax_cross_entropy needs targets that are probabilities", error(data(THREE_CLASSES, "data: {csv: d.csv}\n")));
        Files.writeString(file, "1,2,0.1,0.2,0.7\n");
        assertTrue(parse(data(THREE_CLASSES, "data: {csv: d.csv}\n")).data().table().examples() == 1,
                "0.1 + 0.2 + 0.7 is 1 within the rounding of three decimal conversions and two additions");
    }
}
