package dev.gradproof.examples;

import dev.gradproof.api.NetworkUnderTest;

/** Lets other tests reuse the README example's network without making it public API. */
public final class HandWrittenBackpropTestAccess {
    public NetworkUnderTest network() {
        return new HandWrittenBackpropTest.TanhNetwork();
    }
}
