package dev.gradproof.cli;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;

/** A Java implementation that supports no network: it refuses each, as NetworkUnderTest documents. */
public final class RefusingNetwork implements NetworkUnderTest {
    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        throw new UnsupportedOperationException("only convolutions here");
    }
}
