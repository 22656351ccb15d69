package dev.gradproof.djl;

import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.junit.Specs;
import dev.gradproof.spec.Spec;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** The repository's specs, checked in this JVM against an implementation. */
final class DjlSpecs {
    private DjlSpecs() {
    }

    static Path root() {
        return Path.of(System.getProperty("gradproof.root", "../.."));
    }

    static Spec spec(String relative) {
        return (Spec) Specs.load(root().resolve(relative).toString());
    }

    static SpecResult check(String relative, DjlNetwork impl) {
        return SpecChecker.run(spec(relative), UnderTest.of(impl), SpecChecker.Progress.NONE);
    }

    /** Every *.yaml of a folder, relative to the repository root, sorted. */
    static List<String> folder(String dir) {
        try (Stream<Path> files = Files.list(root().resolve(dir))) {
            return files.map(Path::getFileName).map(Path::toString).filter(f -> f.endsWith(".yaml")).sorted()
                    .map(f -> dir + "/" + f).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String explain(SpecResult r) {
        return r.verdict() + (r.error() == null ? "" : ": " + r.error()) + "\n" + String.join("\n", r.findings());
    }
}
