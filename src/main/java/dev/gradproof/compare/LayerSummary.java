package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Per-layer roll-up, so the faulty layer stands out.
 *
 * @param layer             1-based
 * @param activation        description
 * @param checked           parameter-trials compared
 * @param mismatches        of which mismatched
 * @param weightMismatches  mismatches among the weights
 * @param biasMismatches    mismatches among the biases
 * @param kinks             parameter-trials classified kink
 * @param inconclusive      parameter-trials the oracles could not decide
 * @param maxRelativeError  over the checked parameters whose gradient is resolvable (above its tolerance)
 * @param medianRelativeError likewise
 */
@API(status = INTERNAL, since = "0.2")
public record LayerSummary(int layer, String activation, boolean frozen, int checked, int mismatches,
                           int weightMismatches, int biasMismatches, int kinks, int inconclusive,
                           double maxRelativeError, double medianRelativeError) {
}
