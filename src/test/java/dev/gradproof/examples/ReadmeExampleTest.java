package dev.gradproof.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README shows the user-facing API with the downstream example project's tests, verbatim (CI runs them). */
class ReadmeExampleTest {

    @Test
    void readmeShowsTheDownstreamProjectsTestsVerbatim() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        for (String name : new String[] {"TanhNetworkGradientTest.java", "TanhNetworkPropertyTest.java"}) {
            Path file = Path.of("examples/junit-project/src/test/java/com/example/nn", name);
            String example = Files.readString(file);
            assertTrue(readme.contains("```java\n" + example + "```"), "README.md must contain " + file + " verbatim");
        }
    }
}
