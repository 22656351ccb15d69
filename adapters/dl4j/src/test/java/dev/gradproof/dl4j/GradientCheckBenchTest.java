package dev.gradproof.dl4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gradproof.api.Batch;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;
import dev.gradproof.external.RequestDump;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** DL4J's GradientCheckUtil through GradientCheckBench on a dump, as `gradproof bench --others` runs it. */
class GradientCheckBenchTest {
    @TempDir
    Path dir;

    @Test
    void gradientCheckUtilPassesOnAnEx4LikeNetworkAndReportsTheSpecsLoss() throws Exception {
        // 3-2-2 sigmoid, binary cross-entropy averaged over 3 examples, λ = 1 on the weights: ex4 in small.
        NetworkDescription d = new NetworkDescription(3, List.of(
                new NetworkDescription.Layer(3, 2, "sigmoid", 0, 0, null, true),
                new NetworkDescription.Layer(2, 2, "sigmoid", 0, 0, null, true)), "binary_cross_entropy", "mean", 1.0, false);
        double[][] w1 = {{0.1, -0.2, 0.05}, {0.3, 0.02, -0.1}};
        double[][] w2 = {{0.2, -0.3}, {-0.1, 0.4}};
        Parameters p = new Parameters(new double[][][] {w1, w2}, new double[][] {{0.01, -0.02}, {0.03, 0.0}});
        double[][] x = {{0.2, 0.9, 0.4}, {0.7, 0.1, 0.5}, {0.3, 0.3, 0.8}};
        double[][] y = {{1, 0}, {0, 1}, {1, 0}};
        Path dump = dir.resolve("small.json");
        RequestDump.write(dump, d, p, new Batch(x, y));

        JsonNode r = new ObjectMapper().readTree(GradientCheckBench.run(RequestDump.read(dump), 2));
        assertTrue(r.get("passed").asBoolean(), r::toString);
        assertEquals(3, r.get("examples").asInt());
        assertEquals(14, r.get("parameters").asInt());
        assertEquals(2, r.get("times").size());
        // The spec's loss by hand: mean over examples of summed cross-entropy, plus λ/(2m)·ΣW².
        double loss = 0;
        for (int n = 0; n < 3; n++) {
            double[] h = new double[2];
            for (int i = 0; i < 2; i++) {
                h[i] = sigmoid(0.01 * (i == 0 ? 1 : -2) + w1[i][0] * x[n][0] + w1[i][1] * x[n][1] + w1[i][2] * x[n][2]);
            }
            for (int k = 0; k < 2; k++) {
                double a = sigmoid((k == 0 ? 0.03 : 0.0) + w2[k][0] * h[0] + w2[k][1] * h[1]);
                loss -= y[n][k] * Math.log(a) + (1 - y[n][k]) * Math.log(1 - a);
            }
        }
        double squares = 0;
        for (double[][] w : new double[][][] {w1, w2}) {
            for (double[] row : w) {
                for (double v : row) {
                    squares += v * v;
                }
            }
        }
        loss = loss / 3 + 1.0 / (2 * 3) * squares;
        assertEquals(loss, r.get("loss").asDouble(), 1e-12 * loss);
    }

    private static double sigmoid(double z) {
        return 1 / (1 + Math.exp(-z));
    }
}
