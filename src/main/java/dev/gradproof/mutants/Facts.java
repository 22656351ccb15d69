package dev.gradproof.mutants;

import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.Spec;

import java.util.List;
import java.util.function.IntPredicate;

/**
 * What the applicability rules ask of a spec. Layers are 0-based here and 1-based in messages (the
 * report's W1, b1, ...). A mistake in layer l's local derivative or in the error sent below layer l
 * only reaches the gradients of layers at or below l, so it can only show if one of those is
 * trainable (not {@code frozen}).
 */
final class Facts {
    final Spec spec;
    final List<LayerSpec> layers;
    final int last;

    Facts(Spec spec) {
        this.spec = spec;
        this.layers = spec.network().layers();
        this.last = layers.size() - 1;
    }

    String activation(int l) {
        return layers.get(l).activation().name();
    }

    int units(int l) {
        return layers.get(l).units();
    }

    /** Width of the input to layer l. */
    int fanIn(int l) {
        return l == 0 ? spec.network().inputs() : units(l - 1);
    }

    boolean trainable(int l) {
        return !layers.get(l).frozen();
    }

    /** Some layer 0..l is trainable. */
    boolean trainableAtOrBelow(int l) {
        for (int i = 0; i <= l; i++) {
            if (trainable(i)) {
                return true;
            }
        }
        return false;
    }

    boolean anyTrainable() {
        return trainableAtOrBelow(last);
    }

    /** The output delta is a − y (sigmoid + binary cross-entropy, softmax) rather than dℓ/da ⊙ f'(z). */
    boolean combinedOutput() {
        var a = layers.get(last).activation();
        return a.name().equals("softmax") || (a.name().equals("sigmoid")
                && spec.loss().type() == LossSpec.LossType.BINARY_CROSS_ENTROPY && !a.overridesDerivative());
    }

    /** Backpropagation evaluates layer l's f': a hidden layer, or an output without a combined delta. */
    boolean derivativeUsed(int l) {
        return l < last || !combinedOutput();
    }

    /** Examples per evaluation. */
    int examples() {
        return TrialRecipe.exampleCount(spec);
    }

    boolean mean() {
        return spec.loss().reduction() == LossSpec.Reduction.MEAN;
    }

    /**
     * Applicable when some layer satisfying {@code kind} has its f' used by backpropagation and a
     * trainable layer at or below it; otherwise the most specific reason why not.
     */
    Applicability derivativeOf(String what, IntPredicate kind) {
        boolean any = false;
        boolean used = false;
        for (int l = 0; l <= last; l++) {
            if (!kind.test(l)) {
                continue;
            }
            any = true;
            if (!derivativeUsed(l)) {
                continue;
            }
            used = true;
            if (trainableAtOrBelow(l)) {
                return Applicability.yes();
            }
        }
        if (!any) {
            return Applicability.no("no " + what);
        }
        if (!used) {
            return Applicability.no("the only " + what + " is the output, whose delta uses the combined form a - y");
        }
        return Applicability.no("every layer at or below the " + what + " is frozen");
    }

    /**
     * Applicable when the error is sent below some layer l >= 1 (0-based; W_{l+1} in report names)
     * satisfying {@code through}, and a layer below l is trainable.
     *
     * @param none   the reason when no layer satisfies {@code through}
     * @param frozen the reason when only frozen layers are below those that do
     */
    Applicability backwardThrough(IntPredicate through, String none, String frozen) {
        if (last < 1) {
            return Applicability.no("no hidden layer");
        }
        boolean any = false;
        for (int l = 1; l <= last; l++) {
            if (through.test(l)) {
                any = true;
                if (trainableAtOrBelow(l - 1)) {
                    return Applicability.yes();
                }
            }
        }
        return Applicability.no(any ? frozen : none);
    }
}
