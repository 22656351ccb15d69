package dev.gradproof.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * A spec the documents quote (a yaml block whose first line is {@code # specs/NAME.yaml...}) says what
 * the file says: the same keys and values, whatever the comments and the flow or block style (issue #13:
 * the README's sample had drifted to another seed).
 */
class QuotedSpecsTest {

    private static final Pattern QUOTED = Pattern.compile("```yaml\\n# (specs/[\\w./-]+\\.yaml)\\b[^\\n]*\\n(.*?)```",
            Pattern.DOTALL);

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "specs/README.md"})
    void aQuotedSpecMatchesItsFile(String document) throws IOException {
        String text = Files.readString(Path.of(document));
        Matcher m = QUOTED.matcher(text);
        List<String> quoted = new ArrayList<>();
        while (m.find()) {
            Path file = Path.of(m.group(1));
            assertTrue(Files.isRegularFile(file), () -> document + " quotes " + file + ", which does not exist");
            assertEquals(yaml(Files.readString(file)), yaml(m.group(2)), () -> document + " quotes " + file);
            quoted.add(m.group(1));
        }
        assertEquals(List.of("specs/tanh-tutorial-bug.yaml"), quoted, document + ": the quoted specs");
    }

    private static Object yaml(String text) {
        return new Load(LoadSettings.builder().build()).loadFromString(text);
    }
}
