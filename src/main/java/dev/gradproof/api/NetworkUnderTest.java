package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.util.List;

import org.apiguardian.api.API;

/**
 * Your network, as gradproof checks it: given the network's description, parameters and a batch,
 * return the loss and its gradient. Implement {@link #evaluate}; the rest has defaults.
 *
 * <pre>{@code
 * class MyNet implements NetworkUnderTest {
 *     public Evaluation evaluate(NetworkDescription net, Parameters p, Batch batch) {
 *         ... forward, backward ...
 *         return new Evaluation(loss, gradient);
 *     }
 * }
 * }</pre>
 *
 * <p>An implementation that cannot build a network (a layer or activation it does not have) refuses it by
 * throwing {@link UnsupportedOperationException} from {@link #evaluate}, with the reason as its message.
 * The spec's verdict is then {@code error} with that reason, or, under {@code gradproof check
 * --skip-refused}, the spec is listed as skipped ("refused by the implementation: <reason>"). Any other
 * exception is a failure of the implementation.
 */
@API(status = STABLE, since = "0.2")
public interface NetworkUnderTest {

    /** Loss and gradient with respect to every parameter (frozen layers included; they are ignored). */
    Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch);

    /** The loss alone; override when it is cheaper than {@link #evaluate}. */
    default double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        return evaluate(network, parameters, batch).loss();
    }

    /**
     * The loss with each perturbation applied alone, for finite differences in one call; override to
     * batch or parallelise them.
     */
    default double[] losses(NetworkDescription network, Parameters parameters, Batch batch,
                            List<Perturbation> perturbations) {
        double[] out = new double[perturbations.size()];
        for (int i = 0; i < out.length; i++) {
            Perturbation p = perturbations.get(i);
            Parameters moved = parameters.copy();
            Coordinate c = p.parameter();
            if (moved.isGraph()) {
                Tensor t = moved.tensor(c.tensor());
                t.data()[t.offset(c.index().stream().mapToInt(Integer::intValue).toArray())] += p.delta();
            } else if (c.bias()) {
                moved.biases(c.layer())[c.row()] += p.delta();
            } else {
                moved.weights(c.layer())[c.row()][c.column()] += p.delta();
            }
            out[i] = loss(network, moved, batch);
        }
        return out;
    }

    /** Shown in reports. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** {@code float64}, or {@code float32} for an implementation computing in single precision. */
    default String dtype() {
        return "float64";
    }
}
