package dev.gradproof.compare;

import java.util.List;

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
 */
public record Consistency(boolean available, double implementationLoss, double specLoss, double lossTolerance,
                          int ownChecked, List<String> ownDisagreeing, int ownEligible, List<String> ownSample) {

    public Consistency(boolean available, double implementationLoss, double specLoss, double lossTolerance,
                       int ownChecked, List<String> ownDisagreeing) {
        this(available, implementationLoss, specLoss, lossTolerance, ownChecked, ownDisagreeing, ownChecked, List.of());
    }

    public static Consistency notApplicable() {
        return new Consistency(false, Double.NaN, Double.NaN, 0, 0, List.of());
    }

    public boolean lossDiffers() {
        return available && !(Math.abs(implementationLoss - specLoss) <= lossTolerance);
    }

    public boolean backwardInconsistent() {
        return !ownDisagreeing.isEmpty();
    }
}
