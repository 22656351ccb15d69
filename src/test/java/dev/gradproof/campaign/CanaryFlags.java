package dev.gradproof.campaign;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * Set by {@link Canary} when anything loads, builds or configures it. The bad-spec campaign names
 * {@code !!dev.gradproof.campaign.Canary} in YAML tags and checks here that no Java object was ever
 * built from a tag. Kept apart from Canary so reading the flags never initialises Canary itself.
 */
final class CanaryFlags {
    static final AtomicInteger TOUCHED = new AtomicInteger();

    private CanaryFlags() {
    }
}
