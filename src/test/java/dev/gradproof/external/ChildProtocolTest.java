package dev.gradproof.external;

import dev.gradproof.api.Evaluation;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Coordinate;
import dev.gradproof.api.Perturbation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.util.List;

import static dev.gradproof.external.Children.NET;
import static dev.gradproof.external.Children.SMALL;
import static dev.gradproof.external.Children.batch;
import static dev.gradproof.external.Children.fake;
import static dev.gradproof.external.Children.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The parent's side with a well-behaved child: greeting again for a new network, falling back from losses. */
@Timeout(60)
class ChildProtocolTest {

    private static double sum(Parameters p) {
        double s = 0;
        for (int l = 1; l <= p.layers(); l++) {
            for (double[] row : p.weights(l)) {
                for (double v : row) {
                    s += v;
                }
            }
            if (p.biases(l) != null) {
                for (double v : p.biases(l)) {
                    s += v;
                }
            }
        }
        return s;
    }

    @Test
    void aDifferentNetworkIsGreetedAgainOnTheSameChild() {
        try (ProcessNetwork net = fake("counting.py")) {
            assertEquals(1000 + sum(params(NET)), net.evaluate(NET, params(NET), batch(NET)).loss(), 1e-9);
            assertEquals(1000 + sum(params(NET)), net.evaluate(NET, params(NET), batch(NET)).loss(), 1e-9);
            long pid = net.process().orElseThrow().pid();
            Evaluation narrow = net.evaluate(SMALL, params(SMALL), batch(SMALL));
            assertEquals(2000 + sum(params(SMALL)), narrow.loss(), 1e-9, "a second hello");
            assertEquals(1, narrow.gradient().weights(2).length, "shaped for the narrower network");
            assertEquals(3000 + sum(params(NET)), net.evaluate(NET, params(NET), batch(NET)).loss(), 1e-9);
            assertEquals(pid, net.process().orElseThrow().pid());
            assertEquals("counting", net.name());
        }
    }

    @Test
    void aChildThatRefusesLossesIsAskedPointByPointFromThenOn() {
        try (ProcessNetwork net = fake("counting.py")) {
            List<Perturbation> list = List.of(new Perturbation(Coordinate.weight(1, 0, 2), 0.5), new Perturbation(Coordinate.bias(2, 3), -0.25));
            double base = 1000 + sum(params(NET));
            double[] expected = {base + 0.5, base - 0.25};
            assertArrayEquals(expected, net.losses(NET, params(NET), batch(NET), list), 1e-9);
            assertTrue(net.asksPointByPoint());
            assertArrayEquals(expected, net.losses(NET, params(NET), batch(NET), list), 1e-9);
        }
    }
}
