package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.ArrayList;
import org.apiguardian.api.API;

/**
 * The two checks that only make sense for an implementation with its own forward pass:
 * is its loss the spec's loss, and is its gradient the gradient of its own loss?
 *
 * @param available        whether the implementation reported its loss (and perturbed losses)
 * @param implementationLoss its loss at the trial's point
 * @param specLoss         the spec's loss at that point (the reference forward pass)
 * @param lossTolerance    how far rounding alone may move them apart
 * @param ownChecked       parameters whose gradient was compared with finite differences of its own loss
 * @param ownDisagreeing   those whose gradient is not the derivative of its own loss
 * @param ownEligible      parameters that could have been compared (all but those at kinks)
 * @param ownSample        when only a sample of them was compared (a large black box), which ones; else empty
 * @param ownDirections    random directions (over every parameter) whose projection was compared with finite
 *                         differences of its own loss: the fast mode's check, and the exhaustive mode's
 *                         complement to a sample; disagreeing ones are named {@code v<d>} in ownDisagreeing
 */
@API(status = INTERNAL, since = "0.2")
public record Consistency(boolean available, double implementationLoss, double specLoss, double lossTolerance,
                          int ownChecked, List<String> ownDisagreeing, int ownEligible, List<String> ownSample,
                          int ownDirections) {

    public Consistency(boolean available, double implementationLoss, double specLoss, double lossTolerance,
                       int ownChecked, List<String> ownDisagreeing, int ownEligible, List<String> ownSample) {
        this(available, implementationLoss, specLoss, lossTolerance, ownChecked, ownDisagreeing, ownEligible, ownSample, 0);
    }

    public Consistency(boolean available, double implementationLoss, double specLoss, double lossTolerance,
                       int ownChecked, List<String> ownDisagreeing) {
        this(available, implementationLoss, specLoss, lossTolerance, ownChecked, ownDisagreeing, ownChecked, List.of());
    }

    public static Consistency notApplicable() {
        return new Consistency(false, Double.NaN, Double.NaN, 0, 0, List.of());
    }

    /** Both checks' evidence: the parameters' and the directions' comparisons with the implementation's own loss. */
    public Consistency and(Consistency along) {
        if (!along.available()) {
            return this;
        }
        List<String> disagreeing = new ArrayList<>(ownDisagreeing);
        disagreeing.addAll(along.ownDisagreeing());
        return new Consistency(available, implementationLoss, specLoss, lossTolerance, ownChecked,
                List.copyOf(disagreeing), ownEligible, ownSample, ownDirections + along.ownDirections());
    }

    public boolean lossDiffers() {
        return available && !(Math.abs(implementationLoss - specLoss) <= lossTolerance);
    }

    /** Whether anything was compared with its own loss at all. */
    public boolean selfChecked() {
        return available && ownChecked + ownDirections > 0;
    }

    public boolean backwardInconsistent() {
        return !ownDisagreeing.isEmpty();
    }
}
