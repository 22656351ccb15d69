package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import dev.gradproof.spec.CsvTable;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

/** The bundled real data as the checks see it: the file read at load time, the same in every trial. */
class CsvDataTest {

    private static Spec load(String name) throws SpecException {
        return new SpecLoader().load(Path.of("specs", name + ".yaml"));
    }

    @Test
    void everyTrialGetsTheLoadedTableAsItsOwnCopy() throws SpecException {
        Spec spec = load("breast-cancer-real");
        CsvTable table = spec.data().table();
        Dataset first = TrialGenerator.draw(spec, 0).data();
        assertArrayEquals(table.x(), first.x());
        assertArrayEquals(table.y(), first.y());
        first.x()[0] = 1e9;
        assertArrayEquals(table.x(), TrialGenerator.draw(spec, 1).data().x(), "one trial cannot change another's data");
        assertEquals(569, TrialRecipe.exampleCount(spec));
        assertThrows(IllegalArgumentException.class, () -> CsvData.of(table, 29, 1));
    }

    @Test
    void breastCancerIsTheDataSetItsDescriptionStates() throws SpecException {
        CsvTable t = load("breast-cancer-real").data().table();
        assertEquals(569, t.examples());
        int benign = 0;
        for (double y : t.y()) {
            benign += (int) y;
        }
        assertEquals(357, benign, "sklearn's breast_cancer.rst: 212 malignant (0), 357 benign (1)");
        // Min and max of three features as breast_cancer.rst prints them (3 decimals), recovered from
        // the standardized values with the spec's own mean and std.
        double[][] described = {{0, 6.981, 28.11}, {23, 185.2, 4254.0}, {29, 0.055, 0.208}};
        for (double[] d : described) {
            int j = (int) d[0];
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            double squares = 0;
            for (int n = 0; n < 569; n++) {
                double z = t.x()[n * 30 + j];
                sum += z;
                squares += z * z;
                min = Math.min(min, z * t.std()[j] + t.mean()[j]);
                max = Math.max(max, z * t.std()[j] + t.mean()[j]);
            }
            assertEquals(d[1], min, 5e-4 + 1e-9 * d[1], "min of feature " + j);
            assertEquals(d[2], max, 5e-4 + 1e-9 * d[2], "max of feature " + j);
            assertEquals(0, sum / 569, 1e-13, "standardized mean of feature " + j);
            assertEquals(1, squares / 569, 1e-13, "standardized population variance of feature " + j);
        }
    }

    @Test
    void digitsAreTheUciTestSetWithOneHotLabels() throws SpecException {
        CsvTable t = load("digits-ex4").data().table();
        assertEquals(1797, t.examples());
        assertEquals(64, t.inputs());
        int[] perClass = new int[10];
        for (int n = 0; n < 1797; n++) {
            double ones = 0;
            for (int k = 0; k < 10; k++) {
                ones += t.y()[n * 10 + k];
                perClass[k] += (int) t.y()[n * 10 + k];
            }
            assertEquals(1, ones, "row " + n + " is one-hot");
        }
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, perClass);
        for (int j = 0; j < 64; j++) {
            for (int n = 0; n < 1797; n++) {
                double pixel = t.x()[n * 64 + j] * t.std()[j] + t.mean()[j];
                assertTrue(Math.abs(pixel - Math.rint(pixel)) < 1e-12 && pixel > -0.5 && pixel < 16.5,
                        "digits.rst: integer pixels in 0..16; pixel " + j + " of image " + n + " is " + pixel);
            }
        }
        assertEquals(0, t.mean()[0], "pixel 0 is blank in every image");
        assertEquals(1, t.std()[0], "a constant column is only centred");
    }
}
