package dev.gradproof;

import dev.gradproof.junit.SpecTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.nio.file.Path;
import java.util.stream.Stream;

/** Every bundled spec is a test: the specs folder is a regression suite, one node per spec. */
class SpecSuiteTest {

    @TestFactory
    Stream<DynamicTest> specs() {
        return SpecTests.inFolder(Path.of("specs"));
    }
}
