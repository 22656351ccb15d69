package dev.gradproof;

import dev.gradproof.junit.SpecTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** Every bundled spec is a test: the specs folder is a regression suite, one node per spec. */
class SpecSuiteTest {

    /**
     * The Deeplearning4j specs need a 150 MB adapter built on first use; CI checks them with
     * {@code ./gradproof check specs/external/dl4j} instead of inside the unit-test run.
     */
    @TestFactory
    Stream<DynamicTest> specs() {
        return SpecTests.inFolder(Path.of("specs"), p -> !p.startsWith(Path.of("specs", "external", "dl4j")));
    }
}
