package dev.gradproof.external;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;

/**
 * A hand-written layer graph in Java (specs/layers/embedding-repeats.yaml: an embedding, flatten, a dense
 * output, mean squared error): in process for the JUnit adapter's tests, out of process through
 * {@link ProtocolServer} for protocol version 2's.
 */
/** embed.weight [V, D]; out.weight [K, T·D]; out.bias [K]; loss mean over examples of mean over K of (a − y)². */
public class JavaEmbeddingNetwork implements NetworkUnderTest {
    final boolean assignInsteadOfAccumulate;
    final double lossScale;

    /** The correct network: what ProtocolServer instantiates. */
    public JavaEmbeddingNetwork() {
        this(false, 1);
    }

    public JavaEmbeddingNetwork(boolean assignInsteadOfAccumulate, double lossScale) {
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

    /** The classic scatter bug, for a child process: a repeated id's gradient keeps its last use. */
    public static final class Assigning extends JavaEmbeddingNetwork {
        public Assigning() {
            super(true, 1);
        }
    }
}
