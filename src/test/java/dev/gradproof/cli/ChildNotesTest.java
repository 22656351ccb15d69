package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run says about how a child was asked, beyond the verdicts. */
class ChildNotesTest {
    static final String NO_LOSSES = "python3 src/test/resources/external/no_losses.py";

    @Test
    void aChildThatDoesNotAnswerLossesIsNamedOnceAsTheSlowPath() {
        Cli.Result r = Cli.run("check", "specs/tanh-tutorial-fixed.yaml", "specs/sigmoid-2-2-1.yaml", "--no-report",
                "--impl", NO_LOSSES);

        assertEquals(0, r.exit(), r.all());
        List<String> notes = r.outLines().stream().filter(l -> l.startsWith("note: ")).toList();
        assertEquals(List.of("note: numpy-net does not answer `losses`; each perturbed loss costs a whole request"
                + " (slow path), see docs/PROTOCOL.md"), notes);
        assertEquals(notes.get(0), r.outLines().get(2), "said right after the first spec that used it");
    }

    @Test
    void aChildThatAnswersLossesGetsNoNote() {
        Cli.Result r = Cli.run("check", "specs/sigmoid-2-2-1.yaml", "--no-report", "--impl", "examples/numpy/net");
        assertEquals(0, r.exit(), r.all());
        assertEquals(List.of(), r.outLines().stream().filter(l -> l.startsWith("note: ")).toList());
    }

    @TempDir
    Path tmp;

    @Test
    void aChildThatPrintsLogsOnStdoutIsToldWhereTheyGo() throws IOException {
        Path noisy = tmp.resolve("noisy.py");
        Files.writeString(noisy, "import sys\nfor line in sys.stdin:\n    print('epoch 1: loss 0.5', flush=True)\n");
        Cli.Result r = Cli.run("check", "specs/sigmoid-2-2-1.yaml", "--no-report", "--impl", "python3 " + noisy);

        assertEquals(1, r.exit(), r.all());
        assertEquals(List.of("  error: python3 " + noisy + ": answer to hello is not valid JSON (stdout is reserved for the"
                        + " protocol; write logs to stderr): epoch 1: loss 0.5",
                "         (nothing on stderr)"), r.outLines().subList(2, 4), "the stderr line indented under its message");
    }

    @Test
    void aScriptThatIsNotExecutableIsToldHowToRunIt() throws IOException {
        Path script = tmp.resolve("mynet.py");
        Files.writeString(script, "import sys\n");
        Cli.Result r = Cli.run("check", "specs/sigmoid-2-2-1.yaml", "--no-report", "--impl", script.toString());

        assertEquals(1, r.exit(), r.all());
        assertEquals("  error: " + script + ": could not start: Cannot run program \"" + script + "\" (in directory \"" + Path.of("").toAbsolutePath()
                + "\"): error=13,"
                + " Permission denied; make it executable (chmod +x " + script + ") or run it as `python3 " + script + "`",
                r.outLines().get(2));
    }
}
