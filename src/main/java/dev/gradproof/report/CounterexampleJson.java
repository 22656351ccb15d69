package dev.gradproof.report;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Tensor;
import dev.gradproof.compare.GraphConversions;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphTrialCase;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.Parameters;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialCase;
import org.apiguardian.api.API;

/** A trial as JSON: the recipe that redraws it and the numbers themselves (parameters, inputs, targets). */
@API(status = INTERNAL, since = "0.2")
public final class CounterexampleJson {
    private CounterexampleJson() {
    }

    public static ObjectNode of(TrialCase c, SpecResult r) {
        ObjectNode n = ReportJson.mapper().createObjectNode();
        n.put("spec", c.spec().name());
        n.put("recipe", c.recipe());
        n.put("seed", c.drawnBy().seed());
        n.put("examples", c.trial().data().examples());
        n.put("digits", c.drawnBy().digits());
        ArrayNode units = n.putArray("hidden_units");
        for (int u : c.drawnBy().units()) {
            units.add(u);
        }
        Parameters p = Conversions.parameters(NetworkFactory.layout(c.spec().network()), c.trial().theta());
        ObjectNode params = n.putObject("parameters");
        for (int l = 1; l <= p.layers(); l++) {
            ArrayNode w = params.putArray("W" + l);
            for (double[] row : p.weights(l)) {
                ArrayNode a = w.addArray();
                for (double v : row) {
                    a.add(v);
                }
            }
            if (p.biases(l) != null) {
                ArrayNode b = params.putArray("b" + l);
                for (double v : p.biases(l)) {
                    b.add(v);
                }
            }
        }
        var batch = Conversions.batch(c.trial().data());
        matrix(n.putArray("x"), batch.x());
        matrix(n.putArray("y"), batch.y());
        if (r != null) {
            ArrayNode m = n.putArray("mismatches");
            r.mismatches().forEach(x -> m.add(ReportJson.parameter(x)));
        }
        return n;
    }

    /** A layer graph's counterexample: its recipe, every tensor by name (flat, with its shape), x and y flat. */
    public static ObjectNode of(GraphTrialCase c, SpecResult r) {
        ObjectNode n = ReportJson.mapper().createObjectNode();
        n.put("spec", c.spec().name());
        n.put("recipe", c.recipe());
        n.put("seed", c.drawnBy().seed());
        n.put("examples", c.examples());
        GraphNetwork g = c.drawn().network();
        Parameters p = GraphConversions.parameters(g.layout(), c.drawn().theta());
        ObjectNode params = n.putObject("parameters");
        for (String name : p.names()) {
            Tensor t = p.tensor(name);
            ObjectNode o = params.putObject(name);
            ArrayNode shape = o.putArray("shape");
            for (int d : t.shape()) {
                shape.add(d);
            }
            ArrayNode data = o.putArray("data");
            for (double v : t.data()) {
                data.add(v);
            }
        }
        ArrayNode x = n.putArray("x");
        for (double v : c.drawn().data().x()) {
            x.add(v);
        }
        ArrayNode y = n.putArray("y");
        for (double v : c.drawn().data().y()) {
            y.add(v);
        }
        if (r != null) {
            ArrayNode m = n.putArray("mismatches");
            r.mismatches().forEach(e -> m.add(ReportJson.parameter(e)));
        }
        return n;
    }

    private static void matrix(ArrayNode out, double[][] rows) {
        for (double[] row : rows) {
            ArrayNode a = out.addArray();
            for (double v : row) {
                a.add(v);
            }
        }
    }
}
