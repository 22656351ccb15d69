package dev.gradproof.train;

import dev.gradproof.cli.TeachCommand;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.api.Verdict;
import dev.gradproof.mutants.Mutant;
import dev.gradproof.mutants.Mutants;
import dev.gradproof.spec.Spec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TeachingPagesTest {

    @Test
    void aPageHasTheEvidenceTheCurvesAndTheFix(@TempDir Path out) throws Exception {
        TeachingPages.Catalogue catalogue = TeachingPages.Catalogue.load(Path.of("specs"));
        Mutant m = Mutants.byName("tanh-tan");
        Spec spec = catalogue.choose(m);
        assertEquals("bpnn-xor", spec.name(), "the XOR seed problem comes first");

        TeachingPages.Page page = TeachingPages.write(m, catalogue, out);
        assertEquals(Verdict.MISMATCH, page.verdict());
        String md = Files.readString(out.resolve("tanh-tan.md"));
        String html = Files.readString(out.resolve("tanh-tan.html"));

        SpecResult r = SpecChecker.run(spec, UnderTest.of(m.implementation(spec)), SpecChecker.Progress.NONE);
        assertFalse(r.findings().isEmpty());
        for (String f : r.findings()) {
            assertTrue(md.contains(f.strip()), "finding in the Markdown: " + f);
            assertTrue(html.contains(Doc.escape(f.strip())), "finding in the HTML: " + f);
        }
        assertTrue(md.contains(m.explanation().substring(0, 40)));
        assertTrue(md.contains(Lessons.fix("tanh-tan")));
        assertTrue(md.contains("layer   checked   mismatch"), "Messages.details' layer table");

        assertTrue(md.contains("![training loss, correct vs tanh-tan](tanh-tan-training.png)"), md);
        assertTrue(md.contains("](tanh-tan-derivative.png)"), "an activation bug shows its derivative");
        assertTrue(Files.size(out.resolve("tanh-tan-training.png")) > 1000);
        assertTrue(Files.size(out.resolve("tanh-tan-derivative.png")) > 1000);
        assertEquals(2, html.split("src=\"data:image/png;base64,iVBORw0KGgo", -1).length - 1, "both PNGs embedded");
        assertFalse(html.contains("tanh-tan-training.png"), "the HTML needs no files beside it");
        assertTrue(html.contains("<a href=\"index.html\">"), "HTML pages link to the HTML index");

        TeachingPages.writeIndex(List.of(page), out);
        assertTrue(Files.readString(out.resolve("index.md")).contains("[tanh-tan](tanh-tan.md)"));
        assertTrue(Files.readString(out.resolve("index.html")).contains("<a href=\"tanh-tan.html\">tanh-tan</a>"));
    }

    @Test
    void everyMutantOfTheZooHasAFix() {
        for (Mutant m : Mutants.all()) {
            assertTrue(Lessons.hasFix(m.name()), "no fix text for " + m.name());
        }
    }

    @Test
    void teachCommandWritesPagesAndIndex(@TempDir Path out) {
        TrainCommandTest.Result r = TrainCommandTest.run(new TeachCommand(), "--mutant", "float32", "--out", out.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(Files.exists(out.resolve("float32.html")));
        assertTrue(Files.exists(out.resolve("float32.md")));
        assertTrue(Files.exists(out.resolve("index.html")));
        assertTrue(r.out().contains("no visible effect"), r.out());

        TrainCommandTest.Result bad = TrainCommandTest.run(new TeachCommand(), "--mutant", "nope", "--out", out.toString());
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("unknown mutant 'nope'"), bad.err());
    }
}
