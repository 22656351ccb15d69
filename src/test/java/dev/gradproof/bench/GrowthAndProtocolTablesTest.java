package dev.gradproof.bench;

import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The growth table's networks and the two tables' rows, as {@code bench --growth} and {@code bench --protocol} print them. */
class GrowthAndProtocolTablesTest {

    @Test
    void doublingTheWidthAtLeastDoublesTheParametersOfEveryLayerType() {
        for (GrowthTable.Type t : GrowthTable.TYPES) {
            Spec base = GrowthTable.spec(t, t.width(), GrowthTable.EXAMPLES);
            Spec wide = GrowthTable.spec(t, 2 * t.width(), GrowthTable.EXAMPLES);
            int p = GraphFactory.build(base).layout().total();
            int q = GraphFactory.build(wide).layout().total();
            assertTrue(q >= 2 * p - 8, () -> t.name() + ": " + p + " -> " + q + " parameters");
            assertEquals(GrowthTable.EXAMPLES, base.data().examples(), t.name());
            assertTrue(base.check().uses("exact") && base.check().uses("finite_difference"), t.name());
        }
    }

    @Test
    void aGrowthRowGivesMicrosecondsPerParameterTimesExample() {
        Benchmarks.Row r = new Benchmarks.Row("growth-lstm-w8-n16", "exact + FD", 420, 16, 0.672, 625, 31.4, Double.NaN,
                "pass");
        assertEquals("| lstm | 8 | 420 | 16 | 0.672 | 100.00 | 31 | pass |", GrowthTable.row("lstm", 8, r));
        assertEquals(GrowthTable.HEADER.lines().findFirst().orElseThrow().split("\\|").length,
                GrowthTable.row("lstm", 8, r).split("\\|").length, "one cell per column");
    }

    @Test
    void aProtocolRowMarksTheOverheadBoundAndTheSpeedUp() {
        assertEquals("| LeNet-5, batch 16 | 4,136 | 1 | 12.100 | 11.000 | 1.10 met (≤ 1.2) | 1 (reference) |",
                ProtocolOverhead.row("LeNet-5, batch 16", 4136, 1, 12.1, 11.0, 1));
        assertEquals("| LeNet-5, batch 16 | 4,136 | 1 | 14.000 | 11.000 | 1.27 **missed** (≤ 1.2) | 1 (reference) |",
                ProtocolOverhead.row("LeNet-5, batch 16", 4136, 1, 14.0, 11.0, 1));
        assertEquals("| LeNet-5, batch 16 | 4,136 | 2 | 7.000 | - | - | ×1.73 |",
                ProtocolOverhead.row("LeNet-5, batch 16", 4136, 2, 7.0, Double.NaN, 12.1 / 7.0));
        assertEquals(ProtocolOverhead.HEADER.lines().findFirst().orElseThrow().split("\\|").length,
                ProtocolOverhead.row("x", 1, 2, 1, Double.NaN, 1).split("\\|").length, "one cell per column");
    }
}
