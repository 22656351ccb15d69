package dev.gradproof.cli;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import picocli.CommandLine;

/** Runs the CLI in-process, as Main.run does, with standard output and error captured. */
final class Cli {

    record Result(int exit, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        String lastOutLine() {
            List<String> lines = outLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String lastErrLine() {
            List<String> lines = errLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        String all() {
            return out + err;
        }
    }

    private Cli() {
    }

    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = Main.commandLine(out, err);
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** A fixture from src/test/resources/cli/. */
    static Path fixture(String name) {
        try {
            var url = Cli.class.getResource("/cli/" + name);
            if (url == null) {
                throw new IllegalArgumentException("no fixture cli/" + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies fixtures into {@code dir} (so a folder holds exactly these specs); returns the copies. */
    static List<Path> copy(Path dir, String... names) {
        try {
            Files.createDirectories(dir);
            Path[] copies = new Path[names.length];
            for (int i = 0; i < names.length; i++) {
                copies[i] = Files.copy(fixture(names[i]), dir.resolve(names[i]));
            }
            return List.of(copies);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
