package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.GradientSpec;

import java.nio.file.Path;
import java.util.List;
import org.apiguardian.api.API;

/**
 * One check, as a YAML file describes it. Immutable; built by {@link SpecLoader} after validation,
 * so every field here is already known to be consistent (sizes positive, loss valid for the output
 * activation, expressions parsed).
 *
 * @param name        short identifier, defaults to the file name without extension
 * @param file        where the spec came from (for messages), may be null for specs built in code
 * @param description free text shown in reports
 * @param network     architecture
 * @param loss        loss, reduction and L2 regularization
 * @param data        examples the loss is evaluated on
 * @param weights     how parameters are initialised for each trial
 * @param check       what to check and how hard
 * @param expect      what outcome makes this spec "met"
 * @param seed        base seed: trial {@code t} derives its weights and data from {@code (seed, t)}
 * @param source      the YAML text, attached to reports
 * @param implementation what is checked: the reference network unless the spec says otherwise
 */
@API(status = INTERNAL, since = "0.2")
public record Spec(
        String name,
        Path file,
        String description,
        NetworkSpec network,
        LossSpec loss,
        DataSpec data,
        WeightSpec weights,
        CheckSpec check,
        Expectation expect,
        long seed,
        String source,
        ImplementationSpec implementation) implements GradientSpec {

    /** A spec of the reference network. */
    public Spec(String name, Path file, String description, NetworkSpec network, LossSpec loss, DataSpec data,
                WeightSpec weights, CheckSpec check, Expectation expect, long seed, String source) {
        this(name, file, description, network, loss, data, weights, check, expect, seed, source,
                ImplementationSpec.reference());
    }

    public Spec withImplementation(ImplementationSpec newImplementation) {
        return new Spec(name, file, description, network, loss, data, weights, check, expect, seed, source,
                newImplementation);
    }

    public Spec withSeed(long newSeed) {
        return new Spec(name, file, description, network, loss, data, weights, check, expect, newSeed, source, implementation);
    }

    public Spec withCheck(CheckSpec newCheck) {
        return new Spec(name, file, description, network, loss, data, weights, newCheck, expect, seed, source, implementation);
    }

    public Spec withExpect(Expectation newExpect) {
        return new Spec(name, file, description, network, loss, data, weights, check, newExpect, seed, source, implementation);
    }

    public Spec withData(DataSpec newData) {
        return new Spec(name, file, description, network, loss, newData, weights, check, expect, seed, source, implementation);
    }

    public Spec withNetwork(NetworkSpec newNetwork) {
        return new Spec(name, file, description, newNetwork, loss, data, weights, check, expect, seed, source, implementation);
    }

    /**
     * This spec with every built-in activation's declared derivative removed (custom activations keep
     * theirs): what another implementation, which never sees them, is checked against.
     */
    public Spec withoutDeclaredDerivatives() {
        if (network.isGraph() || network.layers().stream().noneMatch(l -> l.activation().overridesDerivative())) {
            return this;
        }
        List<LayerSpec> layers = network.layers().stream().map(l -> {
            ActivationSpec a = l.activation();
            if (!a.overridesDerivative()) {
                return l;
            }
            ActivationSpec plain = new ActivationSpec(a.name(), a.slope(), a.alpha(), a.value(), null, a.valueSource(), null);
            return new LayerSpec(l.units(), plain, l.bias(), l.frozen());
        }).toList();
        return withNetwork(new NetworkSpec(network.inputs(), layers, null));
    }
}
