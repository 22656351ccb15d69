package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.Consistency;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.report.ReportJson;
import dev.gradproof.report.RunInfo;
import dev.gradproof.spec.Expectation;
import java.time.Instant;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * docs/REPORT.md against what report.json really holds (issue #13): real reports of a pass, a mismatch,
 * errors, a forward-differs and shards, every key of every object collected by where it sits, and
 * compared with the key tables of the document, both ways, section by section.
 */
class ReportSchemaTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path DOC = Path.of("docs/REPORT.md");

    /** Written keys by document section. */
    private static final Map<String, Set<String>> WRITTEN = new LinkedHashMap<>();

    @BeforeAll
    static void writeRealReports() throws IOException {
        report("specs/tanh-tutorial-fixed.yaml");                                 // pass
        report("specs/tanh-tutorial-bug.yaml");                                   // mismatch, activation checks
        report(Cli.fixture("expect-error-wrong-message.yaml").toString());        // error with expect.message
        report("specs/relu-network.yaml", "--shard", "1/2");                      // a shard: kinks with notes
        report("specs/tanh-tutorial-bug.yaml", "--shard", "2/2");                 // a shard with mismatches
        report("specs/breast-cancer.yaml", "--impl", "mutant:mean-not-divided", "--trials", "1", "--shard", "1/3");
        report("specs/external/numpy/numpy-half-squared.yaml", "--trust", "trusted-commands", "--shard", "1/2");
        report("specs/external/numpy/numpy-half-squared.yaml", "--trust", "trusted-commands"); // forward-differs
        // own_sample: the CLI writes it for a shard of a black box too large to check against its own loss in
        // full (over 2^32 multiply-adds of forward passes); the same writer, given such a result.
        SpecResult sampledOwn = SpecResult.builder().identity("big", Path.of("big.yaml"), null, Expectation.pass(), 1)
                .verdict(Verdict.PASS, true).shard(Shard.parse("1/2"))
                .evidence(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                        List.of(new Consistency(true, 1.0, 1.0, 1e-15, 2, List.of(), 9, List.of("W1[0,0]", "b1[0]"))))
                .build();
        collect("Run", JSON.readTree(ReportJson.mapper().writeValueAsString(
                ReportJson.run(new RunInfo("-", Instant.EPOCH, Instant.EPOCH, true), List.of(sampledOwn)))));
    }

    private static void report(String spec, String... options) throws IOException {
        List<String> args = new ArrayList<>(List.of("check", spec, "--json", "--no-report"));
        args.addAll(List.of(options));
        Cli.Result r = Cli.run(args.toArray(String[]::new));
        JsonNode root = JSON.readTree(r.out());
        assertTrue(root.path("specs").size() == 1, r::all);
        collect("Run", root);
    }

    /** Which section documents the objects found under each array key. */
    private static final Map<String, String> SECTION_OF_ARRAY = Map.of(
            "specs", "Spec", "layers", "Layer", "mismatches", "Parameter-trial", "inconclusive_parameters", "Parameter-trial",
            "parameter_results", "Parameter-trial", "activation_checks", "Activation check",
            "first_differences", "First difference", "consistency", "Consistency");

    private static void collect(String section, JsonNode object) {
        Set<String> keys = WRITTEN.computeIfAbsent(section, s -> new TreeSet<>());
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            keys.add(e.getKey());
            if (e.getValue().isArray() && SECTION_OF_ARRAY.containsKey(e.getKey())) {
                for (JsonNode element : e.getValue()) {
                    if (element.isObject()) {
                        collect(SECTION_OF_ARRAY.get(e.getKey()), element);
                    }
                }
            }
        }
    }

    /** The keys of each "| key | type | meaning |" table, by its "### Heading" (cut at " ("). */
    static Map<String, Set<String>> documented(List<String> lines) {
        Map<String, Set<String>> out = new LinkedHashMap<>();
        Pattern cell = Pattern.compile("`([a-z_]+)`");
        String heading = null;
        boolean keyTable = false;
        for (String line : lines) {
            if (line.startsWith("### ")) {
                heading = line.substring(4).replaceAll(" \\(.*", "").replaceAll(",.*", "").strip();
                keyTable = false;
            } else if (line.startsWith("| key |")) {
                keyTable = true;
            } else if (keyTable && line.startsWith("| `")) {
                Matcher m = cell.matcher(line.substring(1, line.indexOf('|', 1)));
                while (m.find()) {
                    out.computeIfAbsent(heading, h -> new TreeSet<>()).add(m.group(1));
                }
            } else if (!line.startsWith("|")) {
                keyTable = false;
            }
        }
        return out;
    }

    @Test
    void everyFieldWrittenIsDocumentedAndEveryDocumentedFieldIsWritten() throws IOException {
        Map<String, Set<String>> doc = documented(Files.readAllLines(DOC));
        assertEquals(new TreeSet<>(WRITTEN.keySet()), new TreeSet<>(doc.keySet()), "sections: written vs docs/REPORT.md");
        for (String section : WRITTEN.keySet()) {
            Set<String> undocumented = new TreeSet<>(WRITTEN.get(section));
            undocumented.removeAll(doc.get(section));
            Set<String> neverWritten = new TreeSet<>(doc.get(section));
            neverWritten.removeAll(WRITTEN.get(section));
            assertEquals(Set.of(), undocumented, section + ": written to report.json but not in docs/REPORT.md");
            assertEquals(Set.of(), neverWritten, section + ": in docs/REPORT.md but never written by these reports");
        }
    }

    /** The test of the test: the parser sees a key added to or missing from a table. */
    @Test
    void theDocumentParserFindsEveryKeyOfATable() {
        List<String> md = List.of("### Layer", "", "| key | type | meaning |", "|---|---|---|", "| `layer` | integer | 1-based |",
                "| `mismatches`, `weight_mismatches` | integer | counts |", "", "### Statuses", "| status | meaning |",
                "| `ok` | fine |");
        assertEquals(Map.of("Layer", Set.of("layer", "mismatches", "weight_mismatches")), documented(md));
    }
}
