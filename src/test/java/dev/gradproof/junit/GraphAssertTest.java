package dev.gradproof.junit;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;
import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.spec.BundledSpecs;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

/**
 * A layer graph checked through the public API: an implementation written here by hand (an embedding,
 * flattened, a dense layer, mean squared error) sees the graph's description and its parameters as named
 * tensors; its bugs and conventions get the verdicts a dense chain's would.
 */
class GraphAssertTest {
    static final GradientSpec SPEC = Specs.load("specs/layers/embedding-repeats.yaml");

    /** embed.weight [V, D]; out.weight [K, T·D]; out.bias [K]; loss mean over examples of mean over K of (a − y)². */
    static final class EmbeddingNet implements NetworkUnderTest {
        final boolean assignInsteadOfAccumulate;
        final double lossScale;

        EmbeddingNet(boolean assignInsteadOfAccumulate, double lossScale) {
            this.assignInsteadOfAccumulate = assignInsteadOfAccumulate;
            this.lossScale = lossScale;
        }

        @Override
        public Evaluation evaluate(NetworkDescription net, Parameters p, Batch batch) {
            GraphDescription g = net.graph();
            int steps = g.input().get(0);
            Tensor emb = p.tensor("embed.weight");
            Tensor w = p.tensor("out.weight");
            Tensor b = p.tensor("out.bias");
            int dim = emb.shape()[1];
            int k = b.size();
            Parameters grad = Parameters.zerosLike(p);
            Tensor gEmb = grad.tensor("embed.weight");
            Tensor gW = grad.tensor("out.weight");
            Tensor gB = grad.tensor("out.bias");
            int n = batch.size();
            double loss = 0;
            for (int e = 0; e < n; e++) {
                double[] h = new double[steps * dim];
                for (int t = 0; t < steps; t++) {
                    int id = (int) batch.x()[e][t];
                    for (int d = 0; d < dim; d++) {
                        h[t * dim + d] = emb.get(id, d);
                    }
                }
                double[] dh = new double[h.length];
                for (int i = 0; i < k; i++) {
                    double a = b.get(i);
                    for (int j = 0; j < h.length; j++) {
                        a += w.get(i, j) * h[j];
                    }
                    double r = a - batch.y()[e][i];
                    loss += lossScale * r * r / (k * n);
                    double da = lossScale * 2 * r / (k * n);
                    gB.data()[i] += da;
                    for (int j = 0; j < h.length; j++) {
                        gW.data()[i * h.length + j] += da * h[j];
                        dh[j] += da * w.get(i, j);
                    }
                }
                for (int t = 0; t < steps; t++) {
                    int id = (int) batch.x()[e][t];
                    for (int d = 0; d < dim; d++) {
                        if (assignInsteadOfAccumulate) {
                            gEmb.set(dh[t * dim + d], id, d);   // the classic scatter bug: a repeated id keeps its last use
                        } else {
                            gEmb.data()[id * dim + d] += dh[t * dim + d];
                        }
                    }
                }
            }
            return new Evaluation(loss, grad);
        }
    }

    @Test
    void aHandWrittenGraphImplementationPasses() {
        assertThatGradient(new EmbeddingNet(false, 1)).agreesWith(SPEC);
    }

    @Test
    void assigningARepeatedEmbeddingRowsGradientIsCaughtInTheEmbedding() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(new EmbeddingNet(true, 1)).agreesWith(SPEC));
        assertTrue(e.getMessage().contains("parameter-trials mismatch, in layer 1 (embed: embedding)"), e.getMessage());
        assertTrue(e.getExpected().getStringRepresentation().startsWith("embed.weight["), e::getMessage);
    }

    @Test
    void aLossTwiceTheSpecsWithItsOwnGradientIsAConventionNotABug() {
        SpecResult r = SpecChecker.run(BundledSpecs.load("specs/layers/embedding-repeats.yaml"),
                UnderTest.of(new EmbeddingNet(false, 2)), SpecChecker.Progress.NONE);
        assertEquals(Verdict.FORWARD_DIFFERS, r.verdict(), () -> r.findings() + " " + r.error());
        assertTrue(r.findings().stream().anyMatch(f -> f.startsWith("loss: its loss is") && f.contains("ratio 2")),
                r.findings()::toString);
        assertEquals(List.of(), r.consistency().stream().flatMap(c -> c.ownDisagreeing().stream()).toList());
    }
}
