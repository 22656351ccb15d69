package dev.gradproof.report.plot;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.compare.SpecResult;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import dev.gradproof.report.ReportWriter;
import org.apiguardian.api.API;

/** Writes every spec's charts into a folder, each file atomically (temporary name, then rename). */
@API(status = INTERNAL, since = "0.2")
public final class PlotWriter {
    private PlotWriter() {
    }

    /** Creates {@code dir} and writes the plots of every result; returns how many files were written. */
    public static int writeAll(Path dir, List<SpecResult> results) throws IOException {
        return write(dir, results).stream().mapToInt(List::size).sum();
    }

    /** Creates {@code dir} and writes the plots of every result; returns each result's file names, in order. */
    public static List<List<String>> write(Path dir, List<SpecResult> results) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Files.createDirectories(dir);
        Set<String> used = new HashSet<>();
        List<List<String>> names = new ArrayList<>();
        for (SpecResult r : List.copyOf(results)) {
            List<String> written = new ArrayList<>();
            for (Plots.Plot p : Plots.forSpec(r)) {
                String name = unique(p.fileName(), used);
                writeAtomically(dir.resolve(name), p.png());
                written.add(name);
            }
            names.add(written);
        }
        return names;
    }

    /** Two specs with the same name in one run: the second gets {@code -2}, and so on. */
    static String unique(String name, Set<String> used) {
        String candidate = name;
        int dot = name.lastIndexOf('.');
        for (int i = 2; !used.add(candidate); i++) {
            candidate = name.substring(0, dot) + "-" + i + name.substring(dot);
        }
        return candidate;
    }

    static void writeAtomically(Path target, byte[] content) throws IOException {
        ReportWriter.writeAtomically(target, content);
    }
}
