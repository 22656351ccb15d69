package dev.gradproof.bench;

import dev.gradproof.compare.ToleranceModel;
import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.oracle.graph.GraphExactGradient;
import dev.gradproof.oracle.graph.GraphFiniteDifference;
import dev.gradproof.oracle.graph.GraphFiniteDifferences;
import dev.gradproof.oracle.graph.TapeOracle;
import org.junit.jupiter.api.Test;

import java.util.function.Function;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real architectures pass against the exact oracle and finite differences, at a small batch (the
 * full-size timings are printed with -Dgradproof.graphBench=full; no timing is asserted).
 */
class GraphWorkloadsTest {

    static boolean full() {
        return "full".equals(System.getProperty("gradproof.graphBench"));
    }

    static void check(String name, Function<Integer, GraphCase> workload, int smallBatch, int fullBatch) {
        GraphCase c = workload.apply(full() ? fullBatch : smallBatch);
        long t0 = System.nanoTime();
        GraphForward f = c.network().forward(c.theta(), c.data());
        double[] analytic = c.network().gradient(c.theta(), c.data(), f);
        long t1 = System.nanoTime();
        GraphExactGradient exact = TapeOracle.compute(c.network(), c.theta(), c.data());
        long t2 = System.nanoTime();
        GraphFiniteDifferences fds = new GraphFiniteDifferences(c.network(), c.theta(), c.data(), exact.lossRounding());
        int[] all = IntStream.range(0, c.theta().length).toArray();
        // Every parameter at full size; every 17th at the unit-test size (the exact check covers all of them).
        int[] sampled = full() ? all : IntStream.range(0, all.length).filter(p -> p % 17 == 0).toArray();
        GraphFiniteDifference[] fd = new GraphFiniteDifference[all.length];
        GraphFiniteDifference[] got = fds.estimateAll(sampled);
        for (int i = 0; i < sampled.length; i++) {
            fd[sampled[i]] = got[i];
        }
        long t3 = System.nanoTime();
        int mismatches = 0;
        int fdDisagree = 0;
        int crossed = 0;
        for (int p = 0; p < all.length; p++) {
            double tol = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p],
                    exact.kinkAllowance()[p], exact.chain()[p], Activations.U);
            if (!(Math.abs(analytic[p] - exact.value()[p]) <= tol)) {
                mismatches++;
            }
            if (fd[p] == null) {
                continue;
            }
            if (fd[p].kinkCrossed()) {
                crossed++;
            } else if (!(Math.abs(fd[p].value() - exact.value()[p]) <= fd[p].error() + tol)) {
                fdDisagree++;
            }
        }
        System.out.printf("%s: %d parameters, batch %d: forward+backward %.2f s, exact %.2f s, finite differences of %d"
                        + " %.2f s; %d mismatches, %d finite differences disagree, %d cross a kink or tie%n", name, all.length,
                c.data().examples(), (t1 - t0) / 1e9, (t2 - t1) / 1e9, sampled.length, (t3 - t2) / 1e9, mismatches,
                fdDisagree, crossed);
        assertEquals(0, mismatches, name + ": mismatches");
        assertEquals(0, fdDisagree, name + ": finite differences that disagree");
        plantedErrorsAreCaught(name, c, analytic, exact);
    }

    /**
     * In every tensor of the architecture (so in every layer type it uses), a 1e-6 relative error planted in
     * a single entry is caught: always where it is detectable in principle (|Δ| > 2·tol), and in at least 90%
     * of each tensor's entries, leaving out entries with a kink or tie on their path and entries whose
     * gradient cancels to 8 digits of its terms' size (|g| < 1e-8·M). A tensor whose every entry cancels so
     * (a bias right before a batch norm: its gradient is exactly 0 mathematically) is reported instead.
     * Measured at full size: 100% in every tensor but LeNet-5's conv1.weight (142 of 150, 94.7%: at batch
     * 16 each entry is a sum of 9,216 products cancelling to about 1e-5 of their size, and the worst-case
     * bound γ_K grows with those terms), the transformer's pos.weight (511 of 512) and attn.in_proj_weight
     * (3,051 of 3,070), the LSTM's weight_ih (2,043 of 2,048) and weight_hh (4,091 of 4,096).
     */
    static void plantedErrorsAreCaught(String name, GraphCase c, double[] analytic, GraphExactGradient exact) {
        GraphLayout layout = c.network().layout();
        for (GraphLayout.Tensor t : layout.tensors()) {
            int eligible = 0;
            int nonzero = 0;
            int caught = 0;
            for (int p = t.offset(); p < t.offset() + t.size(); p++) {
                double a = analytic[p];
                if (a == 0 || exact.kinkAllowance()[p] > 0) {
                    continue;
                }
                nonzero++;
                if (Math.abs(a) < 1e-8 * exact.magnitude()[p]) {
                    continue;
                }
                eligible++;
                double tol = ToleranceModel.analyticVsExact(exact.magnitude()[p], exact.localError()[p],
                        exact.kinkAllowance()[p], exact.chain()[p], Activations.U);
                boolean detected = Math.abs(a * (1 + 1e-6) - exact.value()[p]) > tol;
                caught += detected ? 1 : 0;
                int q = p;
                assertTrue(detected || Math.abs(a) * 1e-6 <= 2 * tol,
                        () -> name + ": a detectable planted 1e-6 error in " + layout.name(q) + " was not caught");
            }
            if (eligible == 0) {
                System.out.printf("%s: %s: every entry cancels to rounding (%d nonzero), as a gradient that is 0"
                        + " mathematically does%n", name, t.group(), nonzero);
            } else {
                if (caught < eligible) {
                    System.out.printf("%s: %s: %d of %d planted errors caught%n", name, t.group(), caught, eligible);
                }
                int e = eligible;
                int k = caught;
                assertTrue(k >= 0.9 * e, () -> name + ": " + t.group() + ": only " + k + " of " + e
                        + " planted errors caught");
            }
        }
    }

    @Test
    void lenet5() {
        check("LeNet-5", batch -> GraphWorkloads.lenet5(batch, 5), 2, 16);
    }

    @Test
    void charLstm() {
        check("char-LSTM", batch -> GraphWorkloads.charLstm(batch, 7), 1, 8);
    }

    @Test
    void resnetBlock() {
        check("ResNet basic block", batch -> GraphWorkloads.resnetBlock(batch, 11), 2, 8);
    }

    @Test
    void transformerBlock() {
        check("transformer block", batch -> GraphWorkloads.transformerBlock(batch, 13), 1, 4);
    }
}
