package dev.gradproof.compare;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The "where:" line names tensors as their parameters are named, in a dense chain and in a layer graph. */
class DiagnosisWhereTest {

    private static ParameterResult result(String name, int layer, boolean bias, boolean mismatch) {
        return new ParameterResult(name, 0, layer, bias, 0, mismatch ? 1.0 : 0.5, 0.5, 0.5, mismatch ? 1.0 : 0.0,
                1e-14, mismatch ? 0.5 : 0.0, 1e-14, mismatch ? Status.MISMATCH : Status.OK, null);
    }

    @Test
    void aDenseChainsTensorsAreWAndB() {
        List<ParameterResult> all = new ArrayList<>();
        for (int r = 0; r < 3; r++) {
            for (int c = 0; c < 2; c++) {
                all.add(result("W1[" + r + "," + c + "]", 1, false, r == 1));
            }
            all.add(result("b1[" + r + "]", 1, true, false));
        }
        List<ParameterResult> bad = all.stream().filter(p -> p.status() == Status.MISMATCH).toList();
        assertEquals("where: W1 (2 of 6, rows 1) (weights only)", Diagnosis.where(all, bad));
    }

    @Test
    void aLayerGraphsTensorsKeepTheirNames() {
        List<ParameterResult> all = new ArrayList<>();
        for (int o = 0; o < 2; o++) {
            for (int k = 0; k < 4; k++) {
                all.add(result("conv1.weight[" + o + ",0," + (k / 2) + "," + (k % 2) + "]", 1, false, o == 0));
            }
            all.add(result("conv1.bias[" + o + "]", 1, true, o == 1));
        }
        List<ParameterResult> bad = all.stream().filter(p -> p.status() == Status.MISMATCH).toList();
        assertEquals("where: conv1.bias (1 of 2, rows 1), conv1.weight (4 of 8, rows 0)", Diagnosis.where(all, bad));
    }

    @Test
    void entriesOfOneOutputChannelStayApart() {
        // Without the remaining indices every conv1.weight entry of a channel would share one key.
        assertEquals(List.of(1, 2_000_003), List.of(Diagnosis.rowColumn("conv1.weight[1,2,0,3]")[0],
                Diagnosis.rowColumn("conv1.weight[1,2,0,3]")[1]));
        assertEquals(List.of(4, 7), List.of(Diagnosis.rowColumn("W2[4,7]")[0], Diagnosis.rowColumn("W2[4,7]")[1]));
        assertEquals(List.of(4, -1), List.of(Diagnosis.rowColumn("b2[4]")[0], Diagnosis.rowColumn("b2[4]")[1]));
    }
}
