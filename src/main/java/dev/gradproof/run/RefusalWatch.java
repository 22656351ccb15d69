package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.external.Refusal;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Passes every call through and remembers whether the implementation refused the network: a child's
 * {@code ok: false} to {@code hello}, a version 1 child offered a network only protocol 2 carries, or a
 * Java implementation's {@link UnsupportedOperationException}.
 * The engine turns every exception into an error message; this keeps the refusal's own reason apart, so
 * that a run asked to skip refusals can tell them from failures.
 */
@API(status = INTERNAL, since = "0.3")
public final class RefusalWatch implements NetworkUnderTest, AutoCloseable {
    /** How the process parent words a network that only a protocol 2 child can build (docs/PROTOCOL.md). */
    static final String NEEDS_VERSION_2 = ": needs protocol 2: ";

    private final NetworkUnderTest inner;
    private volatile String reason;

    public RefusalWatch(NetworkUnderTest inner) {
        this.inner = inner;
    }

    /** The first refusal's reason, if the implementation refused. */
    public Optional<String> refusal() {
        return Optional.ofNullable(reason);
    }

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        try {
            return inner.evaluate(network, parameters, batch);
        } catch (RuntimeException e) {
            throw noted(e);
        }
    }

    @Override
    public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        try {
            return inner.loss(network, parameters, batch);
        } catch (RuntimeException e) {
            throw noted(e);
        }
    }

    @Override
    public double[] losses(NetworkDescription network, Parameters parameters, Batch batch,
                           List<Perturbation> perturbations) {
        try {
            return inner.losses(network, parameters, batch, perturbations);
        } catch (RuntimeException e) {
            throw noted(e);
        }
    }

    private RuntimeException noted(RuntimeException e) {
        String m = e.getMessage();
        if (reason == null) {
            if (e instanceof Refusal r) {
                reason = r.reason();
            } else if (m != null && m.contains(NEEDS_VERSION_2)) {
                // A version 1 child offered a layer graph: it said no to protocol 2, so it cannot be asked.
                reason = m.substring(m.indexOf(NEEDS_VERSION_2) + 2).lines().findFirst().orElse("");
            } else if (e instanceof UnsupportedOperationException) {
                reason = e.getMessage() == null ? inner.name() + " does not support this network" : e.getMessage();
            }
        }
        return e;
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public String dtype() {
        return inner.dtype();
    }

    /** The inner implementation's: the engine recognises messages that already name it. */
    @Override
    public String toString() {
        return inner.toString();
    }

    @Override
    public void close() throws Exception {
        if (inner instanceof AutoCloseable c) {
            c.close();
        }
    }
}
