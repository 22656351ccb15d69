package dev.gradproof.external;

import static dev.gradproof.external.Children.NET;
import static dev.gradproof.external.Children.batch;
import static dev.gradproof.external.Children.fake;
import static dev.gradproof.external.Children.params;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.Coordinate;
import dev.gradproof.api.Perturbation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A spec's {@code workers: N}: perturbed losses split over N copies of a process. */
@Timeout(60)
class ProcessPoolTest {

    private static List<Perturbation> everyParameter() {
        List<Perturbation> out = new ArrayList<>();
        for (int l = 0; l < NET.layers().size(); l++) {
            var layer = NET.layers().get(l);
            for (int i = 0; i < layer.out(); i++) {
                for (int j = 0; j < layer.in(); j++) {
                    out.add(new Perturbation(Coordinate.weight(l + 1, i, j), 1e-3));
                    out.add(new Perturbation(Coordinate.weight(l + 1, i, j), -1e-3));
                }
                out.add(new Perturbation(Coordinate.bias(l + 1, i), 1e-3));
            }
        }
        return out;
    }

    private static ProcessNetwork numpy() {
        return new ProcessNetwork(ProcessNetwork.parse("examples/numpy/net"));
    }

    @Test
    void twoWorkersAnswerWhatOneAnswersAndBothWork() {
        List<Perturbation> ps = everyParameter();
        double[] alone;
        try (ProcessNetwork one = numpy()) {
            alone = one.losses(NET, params(NET), batch(NET), ps);
        }
        try (ProcessPool pool = new ProcessPool(List.of(numpy(), numpy()))) {
            double[] shared = pool.losses(NET, params(NET), batch(NET), ps);
            assertArrayEquals(alone, shared, 0.0, "the same losses, in the same order");
            for (ProcessNetwork child : pool.children()) {
                assertTrue(child.process().isPresent(), "each worker answered a part: " + child);
            }
        }
    }

    @Test
    void aFailingWorkerFailsThePoolWithItsOwnMessageAndLeavesNothingRunning() {
        ProcessPool pool = new ProcessPool(List.of(numpy(), fake("crash_on_hello.py")));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> pool.losses(NET, params(NET), batch(NET), everyParameter()));
        assertTrue(e.getMessage().contains("crash_on_hello.py"), e.getMessage());
        pool.close();
        assertTrue(Children.survivors().isEmpty(), "no child survives: " + Children.survivors());
    }
}
