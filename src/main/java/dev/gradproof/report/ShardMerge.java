package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.compare.Consistency;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.Shard;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.Structure;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Expectation;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import org.apiguardian.api.API;

/**
 * Puts the reports of {@code gradproof check --shard K/N} back together: for each spec, the shards'
 * parameter results are pooled and summarised again exactly as an unsharded run would (verdict,
 * layers, findings, activation checks), so a merged report equals the unsharded one.
 */
@API(status = INTERNAL, since = "0.2")
public final class ShardMerge {
    private ShardMerge() {
    }

    /**
     * Reads report.json files (or run folders containing one) and merges them per spec; a spec the
     * implementation refused (listed under {@code skipped_specs}) stays listed as skipped.
     */
    public static List<SpecResult> merge(List<Path> inputs) throws IOException {
        Map<String, List<JsonNode>> bySpec = new LinkedHashMap<>();
        Map<String, JsonNode> skipped = new LinkedHashMap<>();
        for (Path in : inputs) {
            Path file = Files.isDirectory(in) ? in.resolve("report.json") : in;
            if (!Files.exists(file)) {
                throw new IOException(file + ": no such report");
            }
            JsonNode root = ReportJson.mapper().readTree(file.toFile());
            if (root == null || !root.has("specs")) {
                throw new IOException(file + ": not a gradproof report.json (no 'specs')");
            }
            for (JsonNode spec : root.get("specs")) {
                if (!spec.hasNonNull("shard")) {
                    throw new IOException(file + ": spec " + spec.path("name").asText() + " is not a shard report "
                            + "(run 'gradproof check --shard K/N' to produce one)");
                }
                bySpec.computeIfAbsent(key(spec), k -> new ArrayList<>()).add(spec);
            }
            root.path("skipped_specs").forEach(s -> skipped.putIfAbsent(key(s), s));
        }
        List<SpecResult> out = new ArrayList<>();
        for (List<JsonNode> shards : bySpec.values()) {
            if (skipped.containsKey(key(shards.get(0)))) {
                throw new IOException(shards.get(0).path("name").asText() + ": refused by the implementation in one "
                        + "shard and checked in another; run the shards with the same implementation");
            }
            out.add(mergeOne(shards));
        }
        for (JsonNode s : skipped.values()) {
            out.add(SpecResult.skipped(reload(Path.of(s.path("file").asText()), "list it as skipped"),
                    s.path("reason").asText()));
        }
        return out;
    }

    private static String key(JsonNode spec) {
        return spec.path("file").asText() + "\u0000" + spec.path("name").asText();
    }

    private static Spec reload(Path file, String purpose) throws IOException {
        try {
            return new SpecLoader().load(file);
        } catch (SpecException e) {
            throw new IOException("cannot reload " + file + " to " + purpose + ": " + e.getMessage());
        }
    }

    private static SpecResult mergeOne(List<JsonNode> shards) throws IOException {
        JsonNode first = shards.get(0);
        String name = first.path("name").asText();
        checkComplete(name, shards);
        Path file = Path.of(first.path("file").asText());
        for (JsonNode s : shards) {
            if (!s.path("error").isNull() && !s.path("error").isMissingNode()) {
                return SpecResult.error(name, file, null, null, "shard " + s.path("shard").asText() + ": "
                        + s.path("error").asText(), first.path("seed").asLong(), 0);
            }
        }
        Spec spec = reload(file, "merge its shards");
        if (!first.path("declared_derivatives").asBoolean(true)) {
            spec = spec.withoutDeclaredDerivatives();
        }
        // The shards' expectation, which --impl or --expect may have set in place of the file's.
        spec = spec.withSeed(first.path("seed").asLong()).withCheck(spec.check().withTrials(first.path("trials").asInt()))
                .withExpect(new Expectation(Verdict.ofLabel(first.path("expect").asText()),
                        first.hasNonNull("expect_message") ? first.get("expect_message").asText() : null));
        List<ParameterResult> results = new ArrayList<>();
        TreeSet<Integer> params = new TreeSet<>();
        double seconds = 0;
        int trials = first.path("trials").asInt();
        List<double[]> losses = new ArrayList<>();
        List<List<String>> disagreeing = new ArrayList<>();
        int[] ownChecked = new int[trials];
        int[] ownEligible = new int[trials];
        int[] ownDirections = new int[trials];
        List<List<String>> ownSample = new ArrayList<>();
        boolean[] available = new boolean[trials];
        for (int t = 0; t < trials; t++) {
            losses.add(new double[] {Double.NaN, Double.NaN, 0});
            disagreeing.add(new ArrayList<>());
            ownSample.add(new ArrayList<>());
        }
        for (JsonNode s : shards) {
            seconds += s.path("seconds").asDouble();
            for (JsonNode p : s.path("parameter_results")) {
                ParameterResult r = parameter(p);
                results.add(r);
                if (r.index() >= 0) {
                    params.add(r.index());
                }
            }
            int t = 0;
            for (JsonNode c : s.path("consistency")) {
                if (t < trials && c.path("available").asBoolean()) {
                    available[t] = true;
                    losses.set(t, new double[] {num(c, "implementation_loss"), num(c, "spec_loss"), num(c, "loss_tolerance")});
                    ownChecked[t] += c.path("own_checked").asInt();
                    ownEligible[t] += c.path("own_eligible").asInt(c.path("own_checked").asInt());
                    ownDirections[t] += c.path("own_directions").asInt(0);
                    List<String> sample = ownSample.get(t);
                    c.path("own_sample").forEach(x -> sample.add(x.asText()));
                    List<String> bad = disagreeing.get(t);
                    c.path("own_disagreeing").forEach(x -> bad.add(x.asText()));
                }
                t++;
            }
        }
        List<Consistency> consistency = new ArrayList<>();
        for (int t = 0; t < trials; t++) {
            consistency.add(available[t]
                    ? new Consistency(true, losses.get(t)[0], losses.get(t)[1], losses.get(t)[2], ownChecked[t], disagreeing.get(t),
                            ownEligible[t], ownSample.get(t), ownDirections[t])
                    : Consistency.notApplicable());
        }
        Structure structure = Structure.of(spec);
        int examples = spec.network().isGraph() ? spec.data().examples() : TrialRecipe.exampleCount(spec);
        SpecResult merged = SpecChecker.summarize(spec, structure, params.stream().mapToInt(Integer::intValue).toArray(),
                results, consistency, examples, seconds, Shard.ALL);
        return merged.metExpectation() ? merged : merged.toBuilder().reproduction(reproduction(shards)).build();
    }

    /**
     * The unsharded run's recipe: the shard holding the earliest failing trial printed it with its own
     * {@code --shard K/N}, which the whole run does not need (the recipe's trial covers every parameter).
     */
    private static SpecResult.Reproduction reproduction(List<JsonNode> shards) {
        JsonNode best = null;
        int bestTrial = Integer.MAX_VALUE;
        for (JsonNode s : shards) {
            if (!s.hasNonNull("recipe_command")) {
                continue;
            }
            for (JsonNode m : s.path("parameter_results")) {
                if ("mismatch".equals(m.path("status").asText()) && m.path("trial").asInt() < bestTrial) {
                    bestTrial = m.path("trial").asInt();
                    best = s;
                }
            }
        }
        if (best == null) {
            return null;
        }
        String command = best.get("recipe_command").asText();
        String suffix = " --shard " + best.path("shard").asText();
        if (command.endsWith(suffix)) {
            command = command.substring(0, command.length() - suffix.length());
        }
        return new SpecResult.Reproduction(best.hasNonNull("recipe") ? best.get("recipe").asText() : null, command);
    }

    private static void checkComplete(String name, List<JsonNode> shards) throws IOException {
        int count = Shard.parse(shards.get(0).path("shard").asText()).count();
        boolean[] seen = new boolean[count + 1];
        for (JsonNode s : shards) {
            Shard sh = Shard.parse(s.path("shard").asText());
            if (sh.count() != count) {
                throw new IOException(name + ": shards of different splits (" + shards.get(0).path("shard").asText()
                        + " and " + sh + ")");
            }
            if (seen[sh.index()]) {
                throw new IOException(name + ": shard " + sh + " given twice");
            }
            seen[sh.index()] = true;
        }
        List<String> missing = new ArrayList<>();
        for (int k = 1; k <= count; k++) {
            if (!seen[k]) {
                missing.add(k + "/" + count);
            }
        }
        if (!missing.isEmpty()) {
            throw new IOException(name + ": missing shard" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing));
        }
    }

    static ParameterResult parameter(JsonNode p) {
        String name = p.path("parameter").asText();
        return new ParameterResult(name, p.path("index").asInt(-1), p.path("layer").asInt(), name.startsWith("b"),
                p.path("trial").asInt(), num(p, "analytic"), num(p, "finite_difference"), num(p, "exact"),
                num(p, "relative_error"), num(p, "tolerance"), num(p, "absolute_error"), num(p, "absolute_tolerance"),
                Status.valueOf(p.path("status").asText().toUpperCase(Locale.ROOT)),
                p.hasNonNull("note") ? p.get("note").asText() : null);
    }

    private static double num(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? Double.NaN : v.asDouble();
    }
}
