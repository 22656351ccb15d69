package dev.gradproof.allure;

import dev.gradproof.junit.SpecTests;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.nio.file.Path;
import java.util.stream.Stream;

/**
 * A deliberately failing spec (tanh-tutorial-bug claiming {@code expect: pass}), so the Allure report
 * shows what a caught gradient bug looks like as a failed test. Runs only with
 * {@code -Dgradproof.demo=true} (set by the {@code allure-report} profile); a plain {@code mvn test}
 * skips it and stays green.
 */
@EnabledIfSystemProperty(named = "gradproof.demo", matches = "true")
class FailingSpecDemoTest {

    @TestFactory
    Stream<DynamicTest> demoSpecs() {
        return SpecTests.inFolder(Path.of("src/test/resources/demo"));
    }
}
