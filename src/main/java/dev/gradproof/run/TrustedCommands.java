package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.external.ProcessNetwork;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * A trusted-commands file: the commands that specs may run through the process protocol without
 * {@code --allow-process} (docs/PROTOCOL.md, "Security"). One command per line, quoted as in a spec's
 * {@code process:}; {@code #} starts a comment line; a last word {@code ...} allows any further
 * arguments, otherwise the command must match word for word.
 *
 * <pre>
 * examples/numpy/net ...
 * adapters/dl4j/gradproof-dl4j
 * </pre>
 *
 * A word with a {@code /} names a file, and the entry is pinned to that file: the word is resolved
 * against this file's folder, the spec's word against the folder the child runs in, and both must
 * name the same existing file in the same real folder. So the entries of an installation's file
 * trust that installation's programs, never files of the same name in a checkout being checked.
 * Other words (a program on the PATH, an option) compare as text.
 */
@API(status = INTERNAL, since = "0.2")
public final class TrustedCommands {
    private static final String ANY = "...";

    private final Path file;
    private final List<Entry> entries;

    private record Entry(int line, List<String> words, boolean anyArguments) {
    }

    private TrustedCommands(Path file, List<Entry> entries) {
        this.file = file;
        this.entries = List.copyOf(entries);
    }

    /**
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException for a line that is not a command, as {@code FILE:LINE: problem}
     */
    public static TrustedCommands read(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + ": a folder, not a trusted-commands file");
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(file + ": not a text file (UTF-8)");
        }
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String text = lines.get(i).strip();
            if (text.isEmpty() || text.startsWith("#")) {
                continue;
            }
            List<String> words;
            try {
                words = new ArrayList<>(ProcessNetwork.parse(text));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": " + e.getMessage());
            }
            boolean any = words.get(words.size() - 1).equals(ANY);
            if (any) {
                words.remove(words.size() - 1);
            }
            if (words.isEmpty() || words.contains(ANY)) {
                throw new IllegalArgumentException(file + ":" + (i + 1) + ": '" + ANY + "' may only follow a command, "
                        + "as its last word");
            }
            entries.add(new Entry(i + 1, words, any));
        }
        return new TrustedCommands(file, entries);
    }

    public Path file() {
        return file;
    }

    /** Whether an entry allows {@code command}, run in {@code workingDir}. */
    public boolean trusts(List<String> command, Path workingDir) {
        return entries.stream().anyMatch(e -> matches(e, command, workingDir));
    }

    /**
     * For a command no entry allows, though one names the same words: why the files differ
     * ({@code FILE:LINE trusts DIR/examples/numpy/net, the spec runs OTHER/examples/numpy/net}).
     */
    public Optional<String> nearMiss(List<String> command, Path workingDir) {
        for (Entry e : entries) {
            if (!sameShape(e, command) || !e.words.equals(command.subList(0, e.words.size()))) {
                continue;
            }
            for (int i = 0; i < e.words.size(); i++) {
                String word = e.words.get(i);
                if (word.contains("/") && !sameFile(word, command.get(i), workingDir)) {
                    return Optional.of(file + ":" + e.line + " trusts " + trusted(word).normalize() + ", but the spec "
                            + "runs " + workingDir.toAbsolutePath().resolve(command.get(i)).normalize());
                }
            }
        }
        return Optional.empty();
    }

    private boolean matches(Entry e, List<String> command, Path workingDir) {
        if (!sameShape(e, command)) {
            return false;
        }
        for (int i = 0; i < e.words.size(); i++) {
            String word = e.words.get(i);
            if (word.contains("/") ? !sameFile(word, command.get(i), workingDir) : !word.equals(command.get(i))) {
                return false;
            }
        }
        return true;
    }

    /** As many words (or more, with {@code ...}), and the same text in every word without a '/'. */
    private static boolean sameShape(Entry e, List<String> command) {
        if (e.anyArguments ? command.size() < e.words.size() : command.size() != e.words.size()) {
            return false;
        }
        for (int i = 0; i < e.words.size(); i++) {
            String word = e.words.get(i);
            if (word.contains("/") != command.get(i).contains("/") || (!word.contains("/") && !word.equals(command.get(i)))) {
                return false;
            }
        }
        return true;
    }

    private Path trusted(String word) {
        return file.toAbsolutePath().getParent().resolve(word);
    }

    /**
     * The same name in the same real folder, not merely the same file: a symlink in a checkout to a
     * trusted script would run it with the checkout's folder as its own, where a script such as
     * examples/numpy/net finds the rest of its code.
     */
    private boolean sameFile(String word, String spec, Path workingDir) {
        Path mine = trusted(word);
        Path theirs = workingDir.toAbsolutePath().resolve(spec);
        try {
            return Files.isRegularFile(mine) && Files.isRegularFile(theirs)
                    && mine.getFileName().equals(theirs.getFileName())
                    && mine.getParent().toRealPath().equals(theirs.getParent().toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
