package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;

import org.apiguardian.api.API;

/**
 * A spec's declared derivatives ({@code derivative:} on a built-in activation) replace the reference
 * network's hand-written ones; that is how a spec reproduces a derivative bug. Another implementation
 * never sees them, so when one is checked they are dropped: no layer is described, or activation
 * finding printed, for a derivative that is not the one under test.
 */
@API(status = INTERNAL, since = "0.3")
public final class DeclaredDerivatives {
    private DeclaredDerivatives() {
    }

    /** A program or a Java class: something other than gradproof's own networks. */
    public static boolean foreign(ImplementationSpec implementation) {
        return implementation.kind().equals("process") || implementation.kind().equals("java");
    }

    /** The spec with every built-in activation's declared derivative removed (custom activations keep theirs). */
    public static Spec dropped(Spec spec) {
        return spec.withoutDeclaredDerivatives();
    }
}
