package dev.gradproof.architecture.cycle.b;

import dev.gradproof.architecture.cycle.a.First;

/** The other half of the deliberate package cycle. */
public class Second {
    public First back() {
        return new First();
    }
}
