package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.compare.ActivationCheck;
import dev.gradproof.compare.LayerSummary;
import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;

import java.util.List;
import org.apiguardian.api.API;

/**
 * report.json, schema version 1 (documented in docs/REPORT.md). Non-finite numbers are written as
 * null, since JSON has no NaN.
 */
@API(status = INTERNAL, since = "0.2")
public final class ReportJson {
    public static final int SCHEMA_VERSION = 1;
    /** Per spec, report.json lists at most this many mismatches; {@code mismatches_total} has the count. */
    public static final int MAX_LISTED = 10_000;

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ReportJson() {
    }

    public static ObjectMapper mapper() {
        return MAPPER;
    }

    public static ObjectNode run(RunInfo info, List<SpecResult> results) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema_version", SCHEMA_VERSION);
        root.put("tool", "gradproof");
        root.put("run_id", info.runId());
        root.put("started", info.started().toString());
        root.put("finished", info.finished() == null ? null : info.finished().toString());
        root.put("complete", info.complete());
        List<SpecResult> checked = results.stream().filter(r -> !r.isSkipped()).toList();
        long passed = checked.stream().filter(SpecResult::metExpectation).count();
        root.put("passed", passed);
        root.put("failed", checked.size() - passed);
        root.put("skipped", results.size() - checked.size());
        ArrayNode skipped = root.putArray("skipped_specs");
        results.stream().filter(SpecResult::isSkipped).forEach(r -> skipped.addObject().put("name", r.name())
                .put("file", r.file() == null ? null : r.file().toString()).put("reason", r.skipped()));
        ArrayNode specs = root.putArray("specs");
        checked.forEach(r -> specs.add(spec(r)));
        return root;
    }

    public static ObjectNode spec(SpecResult r) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("name", r.name());
        n.put("file", r.file() == null ? null : r.file().toString());
        n.put("expect", r.expect().verdict().label());
        if (r.expect().messageFragment() != null) {
            n.put("expect_message", r.expect().messageFragment());
        }
        n.put("verdict", r.verdict().label());
        n.put("met_expectation", r.metExpectation());
        n.put("seed", r.seed());
        n.put("trials", r.trials());
        n.put("parameters_total", r.parametersTotal());
        n.put("parameters_checked", r.parametersChecked());
        ArrayNode sampled = n.putArray("parameters_sampled");
        r.sampled().forEach(sampled::add);
        n.put("kinks", r.kinks());
        n.put("inconclusive", r.inconclusive());
        num(n, "max_relative_error", r.maxRelativeError());
        num(n, "max_error_of_tolerance", r.maxErrorOfTolerance());
        ArrayNode layers = n.putArray("layers");
        r.layers().forEach(l -> layers.add(layer(l)));
        n.put("mismatches_total", r.mismatches().size());
        ArrayNode mismatches = n.putArray("mismatches");
        r.mismatches().stream().limit(MAX_LISTED).forEach(m -> mismatches.add(parameter(m)));
        ArrayNode inconclusive = n.putArray("inconclusive_parameters");
        r.inconclusiveResults().stream().limit(MAX_LISTED).forEach(m -> inconclusive.add(parameter(m)));
        ArrayNode findings = n.putArray("findings");
        r.findings().forEach(findings::add);
        ArrayNode acts = n.putArray("activation_checks");
        r.activationChecks().forEach(a -> acts.add(activation(a)));
        n.put("error", r.error());
        n.put("recipe", r.reproduction() == null ? null : r.reproduction().recipe());
        n.put("recipe_command", r.reproduction() == null ? null : r.reproduction().command());
        num(n, "seconds", r.seconds());
        if (!r.shard().whole()) {
            // A shard carries everything a merge needs to recompute the spec's summary.
            n.put("shard", r.shard().toString());
            // An implementation other than gradproof's own was checked without the spec's declared derivatives.
            n.put("declared_derivatives", r.spec() != null && !r.spec().network().isGraph()
                    && r.spec().network().layers().stream().anyMatch(l -> l.activation().overridesDerivative()));
            ArrayNode all = n.putArray("parameter_results");
            r.all().forEach(m -> all.add(parameter(m).put("index", m.index())));
            ArrayNode cons = n.putArray("consistency");
            for (var c : r.consistency()) {
                ObjectNode cn = cons.addObject();
                cn.put("available", c.available());
                num(cn, "implementation_loss", c.implementationLoss());
                num(cn, "spec_loss", c.specLoss());
                num(cn, "loss_tolerance", c.lossTolerance());
                cn.put("own_checked", c.ownChecked());
                cn.put("own_eligible", c.ownEligible());
                cn.put("own_directions", c.ownDirections());
                if (!c.ownSample().isEmpty()) {
                    ArrayNode sample = cn.putArray("own_sample");
                    c.ownSample().forEach(sample::add);
                }
                ArrayNode bad = cn.putArray("own_disagreeing");
                c.ownDisagreeing().forEach(bad::add);
            }
        }
        return n;
    }

    static ObjectNode layer(LayerSummary l) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("layer", l.layer());
        n.put("activation", l.activation());
        n.put("frozen", l.frozen());
        n.put("checked", l.checked());
        n.put("mismatches", l.mismatches());
        n.put("weight_mismatches", l.weightMismatches());
        n.put("bias_mismatches", l.biasMismatches());
        n.put("kinks", l.kinks());
        n.put("inconclusive", l.inconclusive());
        num(n, "max_relative_error", l.maxRelativeError());
        num(n, "median_relative_error", l.medianRelativeError());
        return n;
    }

    static ObjectNode parameter(ParameterResult m) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("parameter", m.parameter());
        n.put("layer", m.layer());
        n.put("trial", m.trial());
        computed(n, "analytic", m.analytic());
        num(n, "finite_difference", m.finiteDifference());
        num(n, "exact", m.exact());
        num(n, "relative_error", m.relativeError());
        num(n, "tolerance", m.tolerance());
        num(n, "absolute_error", m.absoluteError());
        num(n, "absolute_tolerance", m.absoluteTolerance());
        n.put("status", m.status().label());
        if (m.note() != null) {
            n.put("note", m.note());
        }
        return n;
    }

    static ObjectNode activation(ActivationCheck a) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("layer", a.layer());
        n.put("activation", a.activation());
        n.put("points", a.points());
        n.put("differing", a.differing());
        n.put("passed", a.passed());
        num(n, "max_absolute_error", a.maxAbsoluteError());
        ArrayNode pts = n.putArray("first_differences");
        for (ActivationCheck.Point p : a.firstDifferences()) {
            ObjectNode pn = pts.addObject();
            pn.put("kind", p.kind());
            num(pn, "x", p.x());
            num(pn, "declared", p.declared());
            num(pn, "exact", p.exact());
            pn.put("text", p.explain(a.name()));
        }
        return n;
    }

    /** A value the implementation returned: NaN or ±Infinity are results, written as strings (JSON has no NaN). */
    static void computed(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.put(key, Double.toString(v));
        }
    }

    static void num(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) {
            n.put(key, v);
        } else {
            n.putNull(key);
        }
    }
}
