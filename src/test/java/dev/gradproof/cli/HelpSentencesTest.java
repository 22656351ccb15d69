package dev.gradproof.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * Every description `--help` prints is made of whole sentences (issue #13: the command list showed
 * "A zoo of realistic backpropagation bugs (and correct variants that must not be flagged),"). A parent's
 * command list shows only the first line of a command's description, so that line must be a whole
 * sentence too. Walks every command, option and positional parameter of the command line model.
 */
class HelpSentencesTest {

    @Test
    void everyDescriptionIsWholeSentences() {
        List<String> cut = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        walk(Main.commandLine(), cut, seen);
        assertEquals(List.of(), cut, "descriptions that are not whole sentences");
        assertTrue(seen.contains("mutants"), () -> "commands walked: " + seen);
        assertTrue(seen.contains("check --max-trials"), () -> "options walked: " + seen);
        assertTrue(seen.contains("check SPEC|DIR"), () -> "parameters walked: " + seen);
    }

    @Test
    void theCheckOfASentenceRefusesACutOne() {
        assertTrue(whole("Checks the gradients of the specs given (default: specs/)."));
        assertTrue(whole("Is it? Yes!"));
        assertTrue(!whole("A zoo of realistic backpropagation bugs (and correct variants that must not be flagged),"));
        assertTrue(!whole("The mistake, how it arises (and when"));
        assertTrue(!whole("Names and one-line summaries"));
        assertTrue(!whole(""));
        assertTrue(!whole("%nShown.%nThen cut,%n"));
    }

    private static void walk(CommandLine cl, List<String> cut, List<String> seen) {
        CommandSpec spec = cl.getCommandSpec();
        String name = spec.qualifiedName(" ").replaceFirst("^gradproof ?", "");
        String label = name.isEmpty() ? "gradproof" : name;
        seen.add(label);
        String[] header = spec.usageMessage().header();
        String[] description = spec.usageMessage().description();
        String[] summary = header.length > 0 ? header : description;
        if (!name.isEmpty() && (summary.length == 0 || !whole(summary[0]))) {
            cut.add(label + " (its line in the command list): " + (summary.length == 0 ? "nothing" : summary[0]));
        }
        if (description.length > 0 && !whole(String.join(" ", description))) {
            cut.add(label + ": " + String.join(" ", description));
        }
        for (ArgSpec arg : spec.args()) {
            String argName = arg.isOption() ? ((CommandLine.Model.OptionSpec) arg).longestName() : arg.paramLabel();
            seen.add(name + " " + argName);
            String text = String.join(" ", arg.description());
            if (!whole(text)) {
                cut.add(label + " " + argName + ": " + text);
            }
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            walk(sub, cut, seen);
        }
    }

    /**
     * Ends a sentence (., ? or !, maybe inside a closing parenthesis or quote) with its parentheses
     * closed; picocli's line breaks (%n) count as spaces.
     */
    static boolean whole(String text) {
        String t = text.replace("%n", " ").strip();
        long open = t.chars().filter(c -> c == '(').count();
        long close = t.chars().filter(c -> c == ')').count();
        String end = t.replaceAll("[)'\"]+$", "");
        return !t.isEmpty() && open == close && (end.endsWith(".") || end.endsWith("?") || end.endsWith("!"));
    }
}
