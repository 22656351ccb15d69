package dev.gradproof.bench;

import dev.gradproof.compare.ToleranceModel;
import dev.gradproof.network.Activations;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphForward;
import dev.gradproof.oracle.graph.GraphExactGradient;
import dev.gradproof.oracle.graph.GraphFiniteDifference;
import dev.gradproof.oracle.graph.GraphFiniteDifferences;
import dev.gradproof.oracle.graph.TapeOracle;
import org.junit.jupiter.api.Test;

import java.util.function.Function;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
