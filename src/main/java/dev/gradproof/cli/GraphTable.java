package dev.gradproof.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.mutants.DetectionTable;
import dev.gradproof.mutants.graph.GraphDetectionTable;
import dev.gradproof.mutants.graph.GraphMutant;
import dev.gradproof.mutants.graph.GraphMutants;
import dev.gradproof.spec.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

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
        TableSpecs found = TableSpecs.collect(t.paths, DEFAULT_SPECS,
                spec -> spec.network().isGraph() ? null : "a dense chain (the dense zoo: gradproof mutants table)",
                t.maxSize, err);
        if (found == null) {
            return ExitCode.USAGE.code;
        }
        List<Spec> specs = found.specs();
        List<String[]> skipped = found.skipped();
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
