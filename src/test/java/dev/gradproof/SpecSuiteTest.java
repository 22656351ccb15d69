package dev.gradproof;

import dev.gradproof.junit.SpecTests;
import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.TrustedCommands;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * Every bundled spec is a test: the specs folder is a regression suite, one node per spec. The numpy
 * specs start examples/numpy/net, which the repository's trusted-commands file allows.
 */
class SpecSuiteTest {

    @TestFactory
    Stream<DynamicTest> specs() throws IOException {
        return SpecTests.inFolder(Path.of("specs"), ProcessPermission.trusting(TrustedCommands.read(Path.of("trusted-commands"))));
    }
}
