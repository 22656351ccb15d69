package dev.gradproof.architecture.cycle.a;

import dev.gradproof.architecture.cycle.b.Second;

/** Half of a deliberate package cycle: the architecture test must fail on it. */
public class First {
    public Second next() {
        return new Second();
    }
}
