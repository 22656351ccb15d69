package dev.gradproof.external;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class CommandLineTest {
    @Test
    void splitsWordsWithoutAShell() {
        assertEquals(List.of("python3", "examples/numpy/net.py", "--bug", "tanh-tan"),
                ProcessNetwork.parse("  python3 examples/numpy/net.py\t--bug tanh-tan  "));
        assertEquals(List.of("python3", "my dir/net.py", "--name", "a \"b\" c", "back slash", "", "$HOME", "a|b", "it's"),
                ProcessNetwork.parse("python3 'my dir/net.py' --name \"a \\\"b\\\" c\" back\\ slash '' $HOME a|b \"it's\""));
        assertEquals(List.of("C:\\x", "ab"), ProcessNetwork.parse("'C:\\x' a'b'"));
    }

    @Test
    void rejectsWhatItCannotSplit() {
        assertEquals("empty command", assertThrows(IllegalArgumentException.class, () -> ProcessNetwork.parse("   "))
                .getMessage());
        assertEquals("unterminated ' quote in command: python3 'oops",
                assertThrows(IllegalArgumentException.class, () -> ProcessNetwork.parse("python3 'oops")).getMessage());
        assertEquals("unterminated \" quote in command: run \"a",
                assertThrows(IllegalArgumentException.class, () -> ProcessNetwork.parse("run \"a")).getMessage());
        assertEquals("command ends with a lone backslash: run \\",
                assertThrows(IllegalArgumentException.class, () -> ProcessNetwork.parse("run \\")).getMessage());
        assertEquals("ProcessNetwork: empty command",
                assertThrows(IllegalArgumentException.class, () -> new ProcessNetwork(List.of())).getMessage());
    }

    @Test
    void showsTheCommandAsItWasGiven() {
        assertEquals("python3 'my dir/net.py' --x ''", ProcessNetwork.display(List.of("python3", "my dir/net.py", "--x", "")));
        assertEquals("python3 examples/numpy/net.py", ProcessNetwork.of("python3  examples/numpy/net.py").command());
    }

    @Test
    void durationsInMessages() {
        assertEquals("500 ms", ProcessNetwork.human(Duration.ofMillis(500)));
        assertEquals("30 s", ProcessNetwork.human(Duration.ofSeconds(30)));
        assertEquals("1.5 s", ProcessNetwork.human(Duration.ofMillis(1500)));
    }

    @Provide
    Arbitrary<List<String>> commands() {
        Arbitrary<String> word = Arbitraries.strings().withChars("ab $'\"\\\t|-=/").ofMaxLength(6);
        return word.list().ofMinSize(1).ofMaxSize(5).filter(w -> !w.get(0).isBlank());
    }

    @Property(tries = 300)
    void displayedCommandsSplitBackIntoTheSameWords(@ForAll("commands") List<String> words) {
        assertEquals(words, ProcessNetwork.parse(ProcessNetwork.display(words)));
    }
}
