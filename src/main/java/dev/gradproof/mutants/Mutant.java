package dev.gradproof.mutants;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.network.Mlp;
import dev.gradproof.spec.Spec;

import java.util.function.BiFunction;
import java.util.function.Function;
import org.apiguardian.api.API;

/**
 * One realistic backpropagation mistake (or, for {@link #correct()} variants, a legitimate way of
 * computing the gradient differently): the reference backpropagation with a single step changed.
 * The harness must flag every mutant wherever it {@link #applies} and never flag a correct variant.
 */
@API(status = INTERNAL, since = "0.2")
public final class Mutant {
    private final String name;
    private final String summary;
    private final String explanation;
    private final String requires;
    private final boolean correct;
    private final String dtype;
    private final Function<Facts, Applicability> rule;
    private final BiFunction<Spec, Mlp, Backprop> backprop;

    Mutant(String name, boolean correct, String dtype, String summary, String explanation, String requires,
           Function<Facts, Applicability> rule, BiFunction<Spec, Mlp, Backprop> backprop) {
        this.name = name;
        this.correct = correct;
        this.dtype = dtype;
        this.summary = summary;
        this.explanation = explanation;
        this.requires = requires;
        this.rule = rule;
        this.backprop = backprop;
    }

    /** Kebab-case identifier, e.g. {@code tanh-tan}. */
    public String name() {
        return name;
    }

    /** One line: what is computed instead. */
    public String summary() {
        return summary;
    }

    /** One paragraph: the mistake, and how it arises in real code. */
    public String explanation() {
        return explanation;
    }

    /** When it applies, in words. */
    public String requires() {
        return requires;
    }

    /** True for variants that are correct and must never be flagged. */
    public boolean correct() {
        return correct;
    }

    /** {@code float64}, or {@code float32} for the single-precision variant. */
    public String dtype() {
        return dtype;
    }

    /** Whether the mistake can show on this spec; where it cannot, the mutant's gradient is the reference's. */
    public Applicability applies(Spec spec) {
        Facts facts = new Facts(spec);
        if (!facts.anyTrainable()) {
            return Applicability.no("every layer is frozen");
        }
        return rule.apply(facts);
    }

    /**
     * The mutant as an implementation under test for this spec's network: its {@code evaluate} returns
     * its own loss and its (for a mutant, wrong) gradient.
     */
    public NetworkUnderTest implementation(Spec spec) {
        return new MutantNetwork(name, dtype, spec, mlp -> backprop.apply(spec, mlp));
    }

    /** The backpropagation for a built network (tests compare it with the reference directly). */
    Backprop backprop(Spec spec, Mlp mlp) {
        return backprop.apply(spec, mlp);
    }

    @Override
    public String toString() {
        return name;
    }
}
