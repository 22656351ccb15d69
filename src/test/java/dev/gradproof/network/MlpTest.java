package dev.gradproof.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Structural zeros of the reference network's gradient, and the parameter layout. */
class MlpTest {


    /** Gaussian draws (Box–Muller), shared by this package's tests. */
    static double[] normal(SplittableRandom r, int n, double std) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = std * Math.sqrt(-2 * Math.log1p(-r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
        }
        return v;
    }

    /** 4 → 5 relu (no bias) → 3 elu (bias) → 3 softmax (bias), cross-entropy, sum, no L2. */
    static Mlp kinkedSoftmaxNetwork() {
        ParameterLayout layout = new ParameterLayout(new int[]{4, 5, 3, 3}, new boolean[]{false, true, true},
                new boolean[]{false, false, false});
        Activation[] acts = {Activations.relu(), Activations.elu(1.0), null};
        return new Mlp(layout, acts, OutputStage.of(null, Losses.CROSS_ENTROPY, 3), false, 0, false);
    }

    /**
     * Exact zeros that need no tolerance: a feature that is 0 in every example contributes 0·δ to each
     * weight it feeds, and a relu unit that is off (z < 0) in every example passes δ·0 down and a = 0 up.
     */
    @Test
    void gradientIsExactlyZeroWhereNoSignalFlows() {
        Mlp mlp = kinkedSoftmaxNetwork();
        ParameterLayout layout = mlp.layout();
        SplittableRandom r = new SplittableRandom(5);
        double[] theta = normal(r, layout.total(), 0.8);
        int n = 6;
        double[] x = normal(r, n * 4, 1);
        for (int e = 0; e < n; e++) {
            x[e * 4 + 2] = 0; // feature 2 is always 0
            x[e * 4 + 3] = Math.abs(x[e * 4 + 3]) + 0.1; // feature 3 is always positive
        }
        // Unit 1 of layer 1: weight −5 on the always-positive feature 3 (≥ 0.1), 0 elsewhere: z < 0 always
        // (the layer has no bias). The other units: +5 on feature 3 and small weights elsewhere, so they
        // are on in every example (checked on the forward pass below).
        int w1 = layout.weightOffset(0);
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < 4; j++) {
                theta[w1 + 4 * i + j] = j == 3 ? (i == 1 ? -5 : 5) : i == 1 ? 0 : 0.05 * theta[w1 + 4 * i + j] / 0.8;
            }
        }
        double[] y = new double[n * 3];
        for (int e = 0; e < n; e++) {
            y[e * 3 + e % 3] = 1;
        }
        Dataset data = new Dataset(n, 4, 3, x, y);
        double[] z1 = mlp.forward(theta, data).z[1];
        for (int e = 0; e < n; e++) {
            for (int i = 0; i < 5; i++) {
                assertTrue(i == 1 ? z1[e * 5 + i] < 0 : z1[e * 5 + i] > 0, "unit " + i + " example " + e);
            }
        }
        double[] g = mlp.gradient(theta, data);
        for (int p = 0; p < layout.total(); p++) {
            boolean zeroFeature = layout.layerOf(p) == 0 && layout.column(p) == 2;
            boolean deadRow = layout.layerOf(p) == 0 && layout.row(p) == 1;
            boolean fedByDeadUnit = layout.layerOf(p) == 1 && !layout.isBias(p) && layout.column(p) == 1;
            if (zeroFeature || deadRow || fedByDeadUnit) {
                assertEquals(0.0, g[p], layout.name(p));
            } else {
                assertTrue(g[p] != 0, layout.name(p) + " should carry signal");
            }
        }
    }

    // 3 → 8 (bias) → 5 (no bias, frozen) → 2 (bias). Offsets by the documented layout (weights row-major
    // [out][in], then the bias): W1 at 0 (24), b1 at 24 (8), W2 at 32 (40), no b2, W3 at 72 (10), b3 at 82 (2).
    private static final ParameterLayout LAYOUT = new ParameterLayout(new int[]{3, 8, 5, 2},
            new boolean[]{true, false, true}, new boolean[]{false, true, false});

    @Test
    void layoutOffsetsAndNames() {
        assertEquals(84, LAYOUT.total());
        assertEquals(3, LAYOUT.layers());
        assertEquals(0, LAYOUT.weightOffset(0));
        assertEquals(24, LAYOUT.biasOffset(0));
        assertEquals(32, LAYOUT.weightOffset(1));
        assertEquals(-1, LAYOUT.biasOffset(1));
        assertFalse(LAYOUT.hasBias(1));
        assertEquals(72, LAYOUT.weightOffset(2));
        assertEquals(82, LAYOUT.biasOffset(2));

        int w237 = 32 + 3 * 8 + 7; // row 3, column 7 of layer 2's 5×8 matrix
        assertEquals("W2[3,7]", LAYOUT.name(w237));
        assertEquals(1, LAYOUT.layerOf(w237));
        assertEquals(3, LAYOUT.row(w237));
        assertEquals(7, LAYOUT.column(w237));
        assertFalse(LAYOUT.isBias(w237));
        assertEquals("W2", LAYOUT.group(w237));

        assertEquals("b1[0]", LAYOUT.name(24));
        assertTrue(LAYOUT.isBias(24));
        assertEquals(-1, LAYOUT.column(24));
        assertEquals("b1", LAYOUT.group(24));
        assertEquals("W1[7,2]", LAYOUT.name(23));
        assertEquals("W3[0,0]", LAYOUT.name(72));
        assertEquals("b3[1]", LAYOUT.name(83));
    }

    /** Every name is unique and maps back to its index through the documented formula. */
    @Test
    void namesRoundTrip() {
        Pattern weight = Pattern.compile("W(\\d+)\\[(\\d+),(\\d+)]");
        Pattern bias = Pattern.compile("b(\\d+)\\[(\\d+)]");
        Set<String> seen = new HashSet<>();
        for (int p = 0; p < LAYOUT.total(); p++) {
            String name = LAYOUT.name(p);
            assertTrue(seen.add(name), name);
            Matcher w = weight.matcher(name);
            Matcher b = bias.matcher(name);
            int index;
            if (w.matches()) {
                int l = Integer.parseInt(w.group(1)) - 1;
                index = LAYOUT.weightOffset(l) + Integer.parseInt(w.group(2)) * LAYOUT.size(l) + Integer.parseInt(w.group(3));
            } else {
                assertTrue(b.matches(), name);
                index = LAYOUT.biasOffset(Integer.parseInt(b.group(1)) - 1) + Integer.parseInt(b.group(2));
            }
            assertEquals(p, index, name);
        }
    }

    @Test
    void trainableExcludesTheFrozenLayer() {
        List<Integer> expected = new ArrayList<>();
        for (int p = 0; p < 32; p++) {
            expected.add(p); // W1, b1
        }
        for (int p = 72; p < 84; p++) {
            expected.add(p); // W3, b3
        }
        assertEquals(expected, LAYOUT.trainable());
        assertTrue(LAYOUT.frozen(1));
        assertTrue(LAYOUT.isFrozen(32) && LAYOUT.isFrozen(71));
        assertFalse(LAYOUT.isFrozen(31) || LAYOUT.isFrozen(72));
    }
}
