package dev.gradproof.external;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.api.Tensor;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The losses fast path in protocol 2: named perturbations of a layer graph, in requests of at most 512,
 * split over workers, each loss the child's loss at the moved point (examples/numpy/net).
 */
@Timeout(120)
class GraphLossesTest {

    private record Case(V2Fixtures.Built built, Parameters params, Batch batch, JsonNode losses) {
    }

    private static Case conv() throws IOException {
        JsonNode exchanges = V2Fixtures.read("conv2d-stride-padding").get("exchanges");
        V2Fixtures.Built b = V2Fixtures.build(exchanges.get(0).get("request").get("network"), true);
        JsonNode evaluate = exchanges.get(1).get("request");
        return new Case(b, GraphWire.tensors(evaluate.get("params"), "params", b.wire()),
                V2Fixtures.batch(b, evaluate, 0), exchanges.get(2));
    }

    @Test
    void theFixturesPerturbationsGivePyTorchsLosses() throws IOException {
        Case c = conv();
        List<Perturbation> ps = V2Fixtures.perturbations(c.losses().get("request"), c.built().wire());
        try (ProcessNetwork net = NumpyNetTest.numpy()) {
            double[] got = net.losses(c.built().description(), c.params(), c.batch(), ps);
            JsonNode torch = c.losses().get("answer").get("losses");
            assertEquals(torch.size(), got.length);
            for (int i = 0; i < got.length; i++) {
                double t = torch.get(i).asDouble();
                assertEquals(t, got[i], 1e-12 * Math.abs(t), ps.get(i).parameter() + " moved by " + ps.get(i).delta());
            }
            assertFalse(net.asksPointByPoint());
        }
    }

    /** 600 perturbations: two requests (512 and 88), answered as the loss at each moved point. */
    @Test
    void moreThan512ComeInTwoRequestsAndEachIsTheLossAtItsPoint() throws IOException {
        Case c = conv();
        Tensor w = c.params().tensor("conv1.weight");
        int[] shape = w.shape();
        List<Perturbation> ps = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            int flat = i % w.size();
            int[] index = new int[shape.length];
            for (int a = shape.length - 1, rest = flat; a >= 0; a--) {
                index[a] = rest % shape[a];
                rest /= shape[a];
            }
            ps.add(new Perturbation(new Coordinate(1, "conv1.weight", false, List.of(index[0], index[1], index[2],
                    index[3])), (i % 2 == 0 ? 1 : -1) * 1e-3 * (1 + i / w.size())));
        }
        try (ProcessNetwork net = NumpyNetTest.numpy();
             ProcessPool pool = new ProcessPool(List.of(NumpyNetTest.numpy(), NumpyNetTest.numpy()))) {
            double[] got = net.losses(c.built().description(), c.params(), c.batch(), ps);
            for (int i : new int[] {0, 1, 511, 512, 599}) {
                Parameters moved = c.params().copy();
                Coordinate at = ps.get(i).parameter();
                Tensor t = moved.tensor("conv1.weight");
                t.data()[t.offset(at.index().stream().mapToInt(Integer::intValue).toArray())] += ps.get(i).delta();
                assertEquals(net.loss(c.built().description(), moved, c.batch()), got[i], 0.0, "perturbation " + i);
            }
            assertArrayEquals(got, pool.losses(c.built().description(), c.params(), c.batch(), ps), 0.0);
        }
    }
}
