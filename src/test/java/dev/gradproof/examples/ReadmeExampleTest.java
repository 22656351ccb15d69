package dev.gradproof.examples;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The README shows the user-facing API with this repository's compiling, running example, verbatim. */
class ReadmeExampleTest {

    @Test
    void readmeShowsTheExampleTestVerbatim() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String example = Files.readString(Path.of("src/test/java/dev/gradproof/examples/HandWrittenBackpropTest.java"));
        assertTrue(readme.contains("```java\n" + example + "```"),
                "README.md must contain src/test/java/dev/gradproof/examples/HandWrittenBackpropTest.java verbatim");
    }
}
