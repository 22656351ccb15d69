package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

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
}
