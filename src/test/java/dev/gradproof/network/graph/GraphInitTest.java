package dev.gradproof.network.graph;

import dev.gradproof.spec.WeightSpec;
import dev.gradproof.spec.layers.LossOptions;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Parameters are drawn per tensor with PyTorch's fans and by role. */
class GraphInitTest {

    @Test
    void weightsFollowTheirFansBiasesTheirRuleAndScalesSitNearOne() {
        GraphNetwork g = GraphNetwork.builder().input(3, 8, 8).conv2d("conv", 4, 3, 1, 1).batchNorm("bn")
                .loss(LossOptions.of(LossOptions.Kind.MSE)).build();
        double[] theta = GraphInit.draw(g.layout(), new WeightSpec("xavier", 0.1, 0, 0, "zero"), new SplittableRandom(1));
        GraphLayout.Tensor w = g.layout().tensor("conv.weight");
        double limit = Math.sqrt(6.0 / (3 * 9 + 4 * 9));  // fan_in 3·3·3, fan_out 4·3·3
        double largest = 0;
        for (int p = w.offset(); p < w.offset() + w.size(); p++) {
            largest = Math.max(largest, Math.abs(theta[p]));
        }
        assertTrue(largest <= limit && largest > 0.8 * limit, "largest " + largest + " of limit " + limit);
        GraphLayout.Tensor b = g.layout().tensor("conv.bias");
        for (int p = b.offset(); p < b.offset() + b.size(); p++) {
            assertEquals(0.0, theta[p]);
        }
        GraphLayout.Tensor gamma = g.layout().tensor("bn.weight");
        for (int p = gamma.offset(); p < gamma.offset() + gamma.size(); p++) {
            assertTrue(theta[p] != 1 && Math.abs(theta[p] - 1) <= Math.sqrt(3), "γ " + theta[p]);
        }
        assertEquals(0.0, theta[g.layout().tensor("bn.bias").offset()]);
    }
}
