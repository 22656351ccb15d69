package dev.gradproof.cli;

import dev.gradproof.api.Verdict;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecFiles;
import dev.gradproof.spec.SpecLoader;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The specs a detection table runs (dense zoo or layer-graph zoo), and those it leaves out with why:
 * the other zoo's kind of network, another implementation, a demonstration spec, a large one.
 *
 * @param skipped spec name and reason
 */
record TableSpecs(List<Spec> specs, List<String[]> skipped) {
    static final String OTHER_IMPLEMENTATION = "names another implementation";

    /**
     * @param otherKind the reason a spec is for the other zoo, or null when it is this zoo's
     * @param maxSize   most examples x parameters, or 0 for no limit
     * @return null after printing the error that ends the command (an unreadable folder or spec)
     */
    static TableSpecs collect(List<Path> paths, List<Path> defaults, Function<Spec, String> otherKind, long maxSize,
                              PrintWriter err) {
        List<Path> files;
        try {
            SpecFiles.Found found = SpecFiles.expand(paths.isEmpty() ? defaults : paths);
            files = found.files();
            for (String skipped : found.skipped()) {
                err.println("gradproof mutants table: skipped " + skipped);
            }
        } catch (IOException e) {
            err.println("gradproof mutants table: " + CheckCommand.describe(e));
            return null;
        }
        SpecLoader loader = new SpecLoader();
        List<Spec> specs = new ArrayList<>();
        List<String[]> skipped = new ArrayList<>();
        for (Path file : files) {
            Spec spec;
            try {
                spec = loader.load(file);
            } catch (SpecException e) {
                SpecLoader.Declared declared = SpecLoader.declared(file);
                if (declared.expect() != null && declared.expect().verdict() == Verdict.ERROR) {
                    skipped.add(new String[] {declared.name(), "expects error (meant to be rejected)"});
                    continue;
                }
                err.println("gradproof mutants table: " + e.getMessage());
                return null;
            }
            long size = (long) TrialRecipe.exampleCount(spec) * spec.network().parameterCount();
            String other = otherKind.apply(spec);
            if (other != null) {
                skipped.add(new String[] {spec.name(), other});
            } else if (!spec.implementation().isReference()) {
                skipped.add(new String[] {spec.name(), OTHER_IMPLEMENTATION});
            } else if (spec.expect().verdict() != Verdict.PASS) {
                skipped.add(new String[] {spec.name(), "expects " + spec.expect().verdict().label()
                        + " (a demonstration spec)"});
            } else if (maxSize > 0 && size > maxSize) {
                skipped.add(new String[] {spec.name(), String.format(Locale.ROOT,
                        "large: %,d examples x parameters > --max-size %,d", size, maxSize)});
            } else {
                specs.add(spec);
            }
        }
        return new TableSpecs(specs, skipped);
    }
}
