package dev.gradproof.external;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.examples.HandWrittenBackpropTestAccess;

/**
 * The README's hand-written tanh network, public so that ProtocolServer can run it as a child. It
 * prints to System.out, which ProtocolServer.main must keep off the protocol.
 */
public class JavaTanhNetwork implements NetworkUnderTest {
    private final NetworkUnderTest inner = new HandWrittenBackpropTestAccess().network();

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        chat();
        return inner.evaluate(network, parameters, batch);
    }

    protected void chat() {
        System.out.println("JavaTanhNetwork: printing to System.out must not corrupt the protocol");
    }

    /** The same network, quiet, for in-process tests. */
    public static final class Quiet extends JavaTanhNetwork {
        @Override
        protected void chat() {
        }
    }

    @Override
    public String name() {
        return "java-tanh";
    }
}
