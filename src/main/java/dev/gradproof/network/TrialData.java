package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * One draw of everything random in a check: the parameters and the data.
 *
 * @param index which trial of the spec (0-based)
 * @param seed  the seed this trial was drawn from; {@code TrialGenerator.draw(spec, index)} with the
 *              spec's seed reproduces it
 */
@API(status = INTERNAL, since = "0.2")
public record TrialData(int index, long seed, double[] theta, Dataset data) {
}
