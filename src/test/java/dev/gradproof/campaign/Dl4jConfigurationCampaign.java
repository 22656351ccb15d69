package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.api.Verdict;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.nio.file.Path;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The Deeplearning4j false-alarm configuration (specs/reliability/saturated-sigmoid-400-25-10.yaml:
 * 400-25-10 sigmoid, N(0,1) weights, binary cross-entropy, 100 examples) and its two buggy variants,
 * checked by gradproof on all 10,285 parameters, side by side with what fixed-threshold finite-difference
 * criteria say about the same gradients. The criteria are simulated here (central difference of the full
 * loss, h = 1e-6, as DL4J's and PyTorch's default epsilon) on a sample of parameters (all of them in long
 * mode):
 * <ul>
 *   <li>naive: relative error |a − n| / max(|a|, |n|) &gt; 1e-7 (the common rule of thumb);</li>
 *   <li>DL4J-style: |a − n| / (|a| + |n|) &gt; 1e-3 unless |a − n| &lt; 1e-8 (GradientCheckUtil's form, values
 *       typical of its tests);</li>
 *   <li>PyTorch-style: not allclose(a, n, rtol 1e-3, atol 1e-5), gradcheck's defaults.</li>
 * </ul>
 * These are our simulations of those criteria on our own reference gradients, not runs of DL4J or PyTorch.
 * The specs themselves also run in the spec suite (SpecSuiteTest); they are repeated here so that the
 * campaign package reports the whole comparison in one place.
 */
class Dl4jConfigurationCampaign {

    static final String[] SPECS = {"saturated-sigmoid-400-25-10", "saturated-sigmoid-400-25-10-sigmoid-on-activation-bug",
        "saturated-tanh-400-25-10-tanh-tan-bug"};

    @Test
    void gradproofAgainstFixedThresholdCriteria() throws SpecException {
        for (String name : SPECS) {
            Spec spec = new SpecLoader().load(Path.of("specs", "reliability", name + ".yaml"));
            long t0 = System.nanoTime();
            SpecResult r = SpecChecker.run(spec, SpecChecker.Progress.NONE);
            double seconds = (System.nanoTime() - t0) / 1e9;
            boolean correct = spec.expect().verdict() == Verdict.PASS;
            assertEquals(correct ? Verdict.PASS : Verdict.MISMATCH, r.verdict(), () -> name + ": " + r.error());
            assertEquals(10_285, r.parametersChecked());
            int[] flags = naive(spec, Campaign.isLong() ? 0 : 150);
            Campaign.report("dl4j %s: gradproof %s, %d of %d parameters mismatch, %d inconclusive, %.1f s; "
                            + "on %d sampled parameters the criteria flag: naive rel>1e-7 %d, DL4J-style %d, "
                            + "PyTorch-style %d", name, r.verdict().name().toLowerCase(), r.mismatches().size(),
                    r.parametersChecked(), r.inconclusive(), seconds, flags[0], flags[1], flags[2], flags[3]);
            if (correct) {
                assertEquals(0, r.mismatches().size());
                assertTrue(flags[1] > flags[0] / 10, "the rule of thumb raises false alarms here: that is the point");
            } else {
                assertTrue(r.mismatches().size() > 10_000);
            }
        }
    }

    /** {sampled, naive flags, DL4J-style flags, PyTorch-style flags}; sample 0 means every parameter. */
    static int[] naive(Spec spec, int sample) {
        TrialCase tc = TrialRecipe.full(spec, 0).materialize(spec);
        Mlp mlp = NetworkFactory.build(spec);
        double[] theta = tc.trial().theta().clone();
        Dataset d = tc.trial().data();
        double[] g = mlp.gradient(theta, d);
        SplittableRandom r = new SplittableRandom(spec.seed());
        int count = sample == 0 ? theta.length : sample;
        int[] flags = new int[4];
        for (int k = 0; k < count; k++) {
            int p = sample == 0 ? k : r.nextInt(theta.length);
            double h = 1e-6;
            double t = theta[p];
            theta[p] = t + h;
            double plus = mlp.loss(theta, d);
            theta[p] = t - h;
            double minus = mlp.loss(theta, d);
            theta[p] = t;
            double n = (plus - minus) / (2 * h);
            double a = g[p];
            double abs = Math.abs(a - n);
            flags[0]++;
            if (abs > 1e-7 * Math.max(Math.abs(a), Math.abs(n))) {
                flags[1]++;
            }
            if (abs / (Math.abs(a) + Math.abs(n)) > 1e-3 && abs >= 1e-8) {
                flags[2]++;
            }
            if (abs > 1e-5 + 1e-3 * Math.abs(n)) {
                flags[3]++;
            }
        }
        return flags;
    }
}
