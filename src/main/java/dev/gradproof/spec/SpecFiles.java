package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Finds the spec files named on a command line or by a test: files as given, folders searched for
 * {@code *.yaml} and {@code *.yml}, following symbolic links (a linked folder's specs are checked like
 * any other) and stopping at link loops. Nothing is left out silently: what is not checked is listed
 * with the reason.
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecFiles {

    /** The spec files, in order, and what was passed over with why ({@code path: reason}). */
    public record Found(List<Path> files, List<String> skipped) {
        public Found {
            files = List.copyOf(files);
            skipped = List.copyOf(skipped);
        }
    }

    private SpecFiles() {
    }

    /**
     * @throws NoSuchFileException when a path given does not exist
     */
    public static Found expand(List<Path> args) throws IOException {
        List<Path> files = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        Map<Path, Path> seen = new HashMap<>();
        for (Path p : args) {
            if (Files.isDirectory(p)) {
                List<Path> found = new ArrayList<>();
                Files.walkFileTree(p, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE, new SimpleFileVisitor<>() {
                    @Override
                    public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                        if (!dir.equals(p) && hidden(dir)) {
                            return FileVisitResult.SKIP_SUBTREE; // .git and the like: not specs, not worth a line
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                        if (isSpec(file)) {
                            if (hidden(file)) {
                                skipped.add(file + ": a hidden file");
                            } else if (attrs.isSymbolicLink() && !Files.exists(file)) {
                                skipped.add(file + ": a symbolic link to nothing");
                            } else if (!attrs.isRegularFile()) {
                                skipped.add(file + ": not a regular file");
                            } else {
                                Path same = seen.putIfAbsent(realPath(file), file);
                                if (same == null) {
                                    found.add(file);
                                } else {
                                    skipped.add(file + ": the same file as " + same + " (through a symbolic link)");
                                }
                            }
                        }
                        return FileVisitResult.CONTINUE;
                    }

                    @Override
                    public FileVisitResult visitFileFailed(Path file, IOException e) {
                        if (e instanceof FileSystemLoopException) {
                            skipped.add(file + ": a symbolic link back into a folder already searched (a loop)");
                        } else if (e instanceof NoSuchFileException) {
                            skipped.add(file + ": a symbolic link to nothing");
                        } else {
                            skipped.add(file + ": cannot be read (" + e.getMessage() + ")");
                        }
                        return FileVisitResult.CONTINUE;
                    }
                });
                found.sort(null);
                files.addAll(found);
            } else if (Files.exists(p)) {
                files.add(p);
            } else {
                throw new NoSuchFileException(p.toString(), null, "no such file or folder");
            }
        }
        return new Found(files, skipped);
    }

    private static Path realPath(Path file) {
        try {
            return file.toRealPath();
        } catch (IOException e) {
            return file.toAbsolutePath().normalize();
        }
    }

    public static boolean isSpec(Path f) {
        Path name = f.getFileName();
        String n = name == null ? "" : name.toString();
        return n.endsWith(".yaml") || n.endsWith(".yml");
    }

    private static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }
}
