package dev.gradproof.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.api.Verdict;
import dev.gradproof.mutants.DetectionTable;
import dev.gradproof.mutants.graph.GraphDetectionTable;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.GraphMutants;
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

/** {@code gradproof mutants table --graphs}: the layer-graph zoo's detection table. */
final class GraphTable {
    static final List<Path> DEFAULT_SPECS = List.of(Path.of("specs", "architectures"), Path.of("specs", "layers"));

    private GraphTable() {
    }

    static int run(MutantsCommand.Table t, PrintWriter out, PrintWriter err, PrintWriter human) {
        List<GraphMutant> mutants = new ArrayList<>();
        try {
            for (String n : t.only) {
                mutants.add(GraphMutants.byName(n));
            }
        } catch (IllegalArgumentException e) {
            err.println("gradproof mutants table: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        if (mutants.isEmpty()) {
            mutants.addAll(GraphMutants.all());
        }
        List<Path> files;
        try {
            SpecFiles.Found found = SpecFiles.expand(t.paths.isEmpty() ? DEFAULT_SPECS : t.paths);
            files = found.files();
            for (String skipped : found.skipped()) {
                err.println("gradproof mutants table: skipped " + skipped);
            }
        } catch (IOException e) {
            err.println("gradproof mutants table: " + CheckCommand.describe(e));
            return ExitCode.USAGE.code;
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
                return ExitCode.USAGE.code;
            }
            long size = (long) TrialRecipe.exampleCount(spec) * spec.network().parameterCount();
            if (!spec.network().isGraph()) {
                skipped.add(new String[] {spec.name(), "a dense chain (the dense zoo: gradproof mutants table)"});
            } else if (!spec.implementation().isReference()) {
                skipped.add(new String[] {spec.name(), MutantsCommand.Table.OTHER_IMPLEMENTATION});
            } else if (spec.expect().verdict() != Verdict.PASS) {
                skipped.add(new String[] {spec.name(), "expects " + spec.expect().verdict().label()
                        + " (a demonstration spec)"});
            } else if (t.maxSize > 0 && size > t.maxSize) {
                skipped.add(new String[] {spec.name(), String.format(Locale.ROOT,
                        "large: %,d examples x parameters > --max-size %,d", size, t.maxSize)});
            } else {
                specs.add(spec);
            }
        }
        if (specs.isEmpty()) {
            err.println("gradproof mutants table: no layer-graph spec to run (all skipped or none found)");
            return ExitCode.USAGE.code;
        }
        MutantsCommand.Progress progress = new MutantsCommand.Progress(err);
        GraphDetectionTable.Result result;
        try {
            result = GraphDetectionTable.run(specs, t.seeds, mutants, List.of(GraphDetectionTable.Mode.values()),
                    progress);
        } catch (IllegalArgumentException e) {
            progress.clear();
            err.println("gradproof mutants table: " + e.getMessage());
            return ExitCode.USAGE.code;
        }
        progress.clear();
        human.print(result.text());
        for (String[] s : skipped) {
            human.println("skipped " + s[0] + ": " + s[1]);
        }
        human.flush();
        if (t.json) {
            ObjectNode root = result.table().json();
            ArrayNode left = root.putArray("left_out");
            result.notes().forEach(left::add);
            ArrayNode sk = root.putArray("skipped");
            for (String[] s : skipped) {
                sk.addObject().put("spec", s[0]).put("reason", s[1]);
            }
            try {
                out.println(DetectionTable.mapper().writeValueAsString(root));
            } catch (IOException e) {
                err.println("gradproof mutants table: " + e.getMessage());
                return ExitCode.USAGE.code;
            }
        }
        out.flush();
        return result.ok() ? ExitCode.OK.code : ExitCode.NOT_MET.code;
    }
}
