package dev.gradproof.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.external.Refusal;

import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which failures of an implementation are its refusal of the network, and with what reason. */
class RefusalWatchTest {

    private static Optional<String> refusalOf(RuntimeException thrown) {
        NetworkUnderTest failing = (network, parameters, batch) -> {
            throw thrown;
        };
        RefusalWatch watch = new RefusalWatch(failing);
        RuntimeException seen = assertThrows(RuntimeException.class, () -> watch.evaluate(null, null, null));
        assertSame(thrown, seen, "passed on unchanged");
        return watch.refusal();
    }

    @Test
    void aChildsRefusalOfHelloKeepsItsOwnWords() {
        assertEquals(Optional.of("ValueError: no conv here"),
                refusalOf(new Refusal("net: refused hello: ValueError: no conv here\n(nothing on stderr)",
                        "ValueError: no conv here")));
    }

    @Test
    void aVersion1ChildOfferedALayerGraphIsARefusal() {
        String why = "needs protocol 2: layer 1 (conv1) is conv2d, which only a protocol 2 child can build; the child"
                + " answered the protocol 2 hello with: ValueError: protocol 2 is not supported (this is protocol 1)";
        assertEquals(Optional.of(why), refusalOf(new IllegalStateException("examples/numpy/net --protocol 1: " + why
                + "\n(nothing on stderr)")));
    }

    @Test
    void aJavaImplementationRefusesWithUnsupportedOperation() {
        assertEquals(Optional.of("no LSTM"), refusalOf(new UnsupportedOperationException("no LSTM")));
    }

    @Test
    void anyOtherFailureIsNotARefusal() {
        assertEquals(Optional.empty(), refusalOf(new IllegalStateException("net: exited with code 1 before answering"
                + " evaluate")));
        assertEquals(Optional.empty(), refusalOf(new ArithmeticException("/ by zero")));
    }
}
