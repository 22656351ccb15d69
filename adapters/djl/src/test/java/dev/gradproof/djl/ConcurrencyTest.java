package dev.gradproof.djl;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** DJL's PyTorch engine allows one GradientCollector per JVM: checks running side by side must take turns. */
class ConcurrencyTest {

    @Test
    void specsCheckedOnFourThreadsAtOnceAllPass() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<SpecResult>> results = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                results.add(pool.submit(() -> DjlSpecs.check("specs/layers/dropout.yaml", new DjlNetwork())));
            }
            for (Future<SpecResult> f : results) {
                SpecResult r = f.get();
                assertEquals(Verdict.PASS, r.verdict(), () -> DjlSpecs.explain(r));
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
