package dev.gradproof.run;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The trusted-commands file (issue #11, item 9): what a line allows, and that an entry trusts the
 * installation's program, never a file of the same name in another checkout.
 */
class TrustedCommandsTest {
    @TempDir
    Path tmp;
    /** The installation: its trusted-commands file and its program bin/net. */
    Path install;
    /** A checkout being checked, with its own bin/net. */
    Path checkout;

    @BeforeEach
    void folders() throws IOException {
        install = Files.createDirectories(tmp.resolve("install"));
        checkout = Files.createDirectories(tmp.resolve("checkout"));
        for (Path dir : List.of(install, checkout)) {
            Files.createDirectories(dir.resolve("bin"));
            Files.writeString(dir.resolve("bin/net"), "#!/bin/sh\n");
        }
    }

    private TrustedCommands trust(String... lines) throws IOException {
        Path file = install.resolve("trusted-commands");
        Files.write(file, List.of(lines));
        return TrustedCommands.read(file);
    }

    private static List<String> words(String... w) {
        return List.of(w);
    }

    @Test
    void aCommandMatchesWordForWordUnlessItsEntryEndsWithDots() throws IOException {
        TrustedCommands t = trust("# comment", "", "bin/net ...", "my-net --fast", "python3 bin/net --x");
        assertTrue(t.trusts(words("bin/net"), install));
        assertTrue(t.trusts(words("bin/net", "--bug", "tanh-tan"), install));
        assertTrue(t.trusts(words("./bin/net", "--bug", "tanh-tan"), install), "the same file, written otherwise");
        assertTrue(t.trusts(words("my-net", "--fast"), install));
        assertFalse(t.trusts(words("my-net"), install), "fewer words");
        assertFalse(t.trusts(words("my-net", "--fast", "--evil"), install), "more words without ...");
        assertFalse(t.trusts(words("my-net", "--slow"), install));
        assertTrue(t.trusts(words("python3", "bin/net", "--x"), install));
        assertFalse(t.trusts(words("python3", "-c", "import os"), install), "an interpreter alone is not trusted");
        assertFalse(t.trusts(words("bash", "-c", "id > pwned.txt"), install));
    }

    @Test
    void anEntryTrustsTheInstallationsProgramNotTheCheckoutsFileOfTheSameName() throws IOException {
        TrustedCommands t = trust("bin/net ...");
        assertFalse(t.trusts(words("bin/net", "--bug", "x"), checkout));
        assertEquals(Optional.of(install.resolve("trusted-commands") + ":1 trusts " + install.resolve("bin/net")
                + ", but the spec runs " + checkout.resolve("bin/net")), t.nearMiss(words("bin/net"), checkout));
        assertEquals(Optional.empty(), t.nearMiss(words("other/net"), checkout), "no entry names those words");
    }

    @Test
    void aSymlinkToTheTrustedProgramIsNotTrustedButALinkedFolderIs() throws IOException {
        TrustedCommands t = trust("bin/net ...");
        // bin/net -> the installation's bin/net: the script would see the checkout's bin/ as its own folder
        Files.delete(checkout.resolve("bin/net"));
        Files.createSymbolicLink(checkout.resolve("bin/net"), install.resolve("bin/net"));
        assertTrue(Files.isSameFile(checkout.resolve("bin/net"), install.resolve("bin/net")));
        assertFalse(t.trusts(words("bin/net"), checkout));
        // the whole bin/ -> the installation's bin/: every file the script finds beside it is the installation's
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.createSymbolicLink(other.resolve("bin"), install.resolve("bin"));
        assertTrue(t.trusts(words("bin/net"), other));
    }

    @Test
    void anEntryForAMissingFileTrustsNothing() throws IOException {
        Files.delete(install.resolve("bin/net"));
        assertFalse(trust("bin/net ...").trusts(words("bin/net"), checkout));
    }

    @Test
    void aLineThatIsNotACommandIsAnErrorWithFileAndLine() throws IOException {
        Path file = install.resolve("trusted-commands");
        Files.write(file, List.of("bin/net ...", "# ok", "python3 'unterminated"));
        assertEquals(file + ":3: unterminated ' quote in command: python3 'unterminated",
                assertThrows(IllegalArgumentException.class, () -> TrustedCommands.read(file)).getMessage());
        Files.write(file, List.of("..."));
        assertEquals(file + ":1: '...' may only follow a command, as its last word",
                assertThrows(IllegalArgumentException.class, () -> TrustedCommands.read(file)).getMessage());
        Files.write(file, List.of("bin/net ... --x"));
        assertEquals(file + ":1: '...' may only follow a command, as its last word",
                assertThrows(IllegalArgumentException.class, () -> TrustedCommands.read(file)).getMessage());
    }

    @Test
    void theRepositorysFileTrustsItsBundledProgramsFromItsOwnFolder() throws IOException {
        TrustedCommands t = TrustedCommands.read(Path.of("trusted-commands"));
        Path here = Path.of("").toAbsolutePath();
        assertTrue(t.trusts(words("examples/numpy/net"), here));
        assertTrue(t.trusts(words("examples/numpy/net", "--bug", "tanh-tan"), here));
        assertTrue(t.trusts(words("adapters/dl4j/gradproof-dl4j", "--minibatch", "false"), here));
        assertFalse(t.trusts(words("adapters/dl4j/gradproof-dl4j", "--bench", "/tmp/dump"), here));
        assertFalse(t.trusts(words("examples/numpy/net"), tmp), "another folder's examples/numpy/net");
    }
}
