package dev.gradproof.cli;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code bench --all} runs every table issue #17 asks for, and refuses to be narrowed. */
class BenchAllTest {

    /** Each option that runs one table alone has its section under --all, in the order BENCHMARKS.md keeps. */
    @Test
    void everyTableHasItsSection() {
        List<String> options = new BenchCommand().sections().stream().map(BenchCommand.Section::option).toList();
        assertEquals(List.of("(no option)", "--others", "--graphs", "--growth", "--memory", "--protocol"), options);
    }

    @Test
    void allWithOneTableIsAUsageError() {
        for (String narrowing : List.of("--graphs", "--memory", "--only=ex4")) {
            Cli.Result r = Cli.run("bench", "--all", narrowing);
            assertEquals(ExitCode.USAGE.code, r.exit(), narrowing);
            assertEquals("gradproof bench: --all runs every table in full; give --only, --others, --graphs, --growth, "
                    + "--memory, --protocol or --mutants without it to run one", r.lastErrLine(), narrowing);
            assertTrue(r.out().isEmpty(), narrowing + ": nothing may run: " + r.out());
        }
    }
}
