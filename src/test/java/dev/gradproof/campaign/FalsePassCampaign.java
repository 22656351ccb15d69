package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.Status;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.Example;
import org.junit.jupiter.api.Assertions;

/**
 * False-pass campaign (issue #11): specs drawn to provoke a wrong {@code pass}: declared derivatives that
 * are NaN or infinite (everywhere, or on half the line), weights from 1e-300 to 1e300 (everything
 * underflowing or saturated), degenerate data (one example, all-zero inputs, huge inputs), fixed
 * tolerances up to 1e308 and non-numbers. The invariants:
 * <ul>
 *   <li>a spec either loads or is refused with a {@link SpecException}; a tolerance of 1 or more, or one
 *       that is not a positive number, is always refused;</li>
 *   <li>a check never throws: it returns a verdict;</li>
 *   <li>{@code pass} only when every value compared is finite, every tolerance is finite (and a fixed one
 *       below 1), and at least one comparison could have failed;</li>
 *   <li>a declared derivative that is not finite anywhere on the line is never a {@code pass}.</li>
 * </ul>
 */
@AddLifecycleHook(CampaignSize.class)
class FalsePassCampaign {
    static final Map<String, AtomicLong> OUTCOMES = new ConcurrentSkipListMap<>();

    /** A derivative, and whether it is NaN or infinite at every x. */
    record Derivative(String text, boolean nonFiniteEverywhere) {
    }

    static final Derivative[] DERIVATIVES = {
        new Derivative("1 - tanh(x)^2", false),
        new Derivative("1 - tanh(x) * tan(x)", false),
        new Derivative("0/0", true),
        new Derivative("log(0)", true),
        new Derivative("1/0 + x", true),
        new Derivative("sqrt(-1 - x^2)", true),
        new Derivative("(1 - tanh(x)^2) * sqrt(x) / sqrt(x)", false),
        new Derivative("(1 - tanh(x)^2) + log(x) - log(x)", false),
        new Derivative("exp(1000 * x)", false),
    };
    static final String[] STDS = {"1e-300", "1e-20", "1e-3", "0.5", "1", "30", "1e8", "1e300"};
    static final String[] TOLERANCES = {null, "auto", "1e-12", "1e-6", "0.5", "0.999999", "1", "1.5", "1e308", "0", "-1",
        ".nan", ".inf"};

    @Property(tries = 300, shrinking = ShrinkingMode.OFF)
    void passOnlyWhenEverythingComparedIsFiniteAndCouldHaveFailed(@ForAll long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        Derivative d = DERIVATIVES[rnd.nextInt(DERIVATIVES.length)];
        String std = STDS[rnd.nextInt(STDS.length)];
        // Half the draws check with the derived tolerance, half try a fixed one, most of which must be refused.
        String tolerance = rnd.nextBoolean() ? null : TOLERANCES[rnd.nextInt(TOLERANCES.length)];
        String yaml = yaml(rnd, d, std, tolerance);
        Spec spec;
        try {
            spec = new SpecLoader().parse(yaml, Path.of("campaign.yaml"));
        } catch (SpecException e) {
            count("refused: " + e.getMessage().replaceAll("^[^ ]+: ", "").replaceAll("-?[0-9][0-9.e+-]*", "N")
                    .replaceAll("(.{60}).*", "$1"));
            return;
        }
        assertTrue(tolerance == null || "auto".equals(tolerance) || Double.parseDouble(tolerance) < 1
                        && Double.parseDouble(tolerance) > 0, () -> "loaded a tolerance that cannot fail: " + yaml);
        SpecResult r = SpecChecker.run(spec, SpecChecker.Progress.NONE);
        count(r.verdict().label() + (r.verdict() == Verdict.ERROR ? ": " + reason(r.error()) : ""));
        Statistics.label("verdict").collect(r.verdict().label());
        if (d.nonFiniteEverywhere()) {
            assertNotEquals(Verdict.PASS, r.verdict(), () -> "a derivative " + d.text() + " passed: " + yaml);
        }
        if (r.verdict() != Verdict.PASS) {
            return;
        }
        boolean decided = false;
        for (ParameterResult p : r.all()) {
            assertTrue(Double.isFinite(p.analytic()), () -> "pass with analytic " + p + ": " + yaml);
            assertTrue(Double.isFinite(p.absoluteTolerance()), () -> "pass with tolerance " + p + ": " + yaml);
            if (p.status() != Status.INCONCLUSIVE) {
                assertTrue(Double.isFinite(p.reference()), () -> "pass with reference " + p + ": " + yaml);
                decided |= p.resolvable();
            }
            assertFalse(p.status() == Status.MISMATCH, () -> "pass with a mismatch " + p);
        }
        assertTrue(decided, () -> "pass although nothing could have failed: " + yaml);
    }

    /**
     * Found by this campaign: weights of std 1e300 make layer 1's rounding bound overflow, so its
     * parameters (where the tanh·tan bug lives) could not be compared, while the output layer's could:
     * the spec passed. A parameter that cannot be decided now keeps a spec from passing.
     */
    @Example
    void aLayerWhoseComparisonsOverflowKeepsTheSpecFromPassing() throws SpecException {
        String yaml = """
                network:
                  inputs: 2
                  layers:
                    - units: 2
                      activation: {name: tanh, derivative: "1 - tanh(x) * tan(x)"}
                    - units: 1
                      activation: relu
                    - units: 1
                      activation: sigmoid
                loss: {type: binary_cross_entropy, reduction: mean}
                data: {generator: xor}
                weights: {init: normal, std: 1e300}
                check: {trials: 2}
                seed: 239
                """;
        SpecResult r = SpecChecker.run(new SpecLoader().parse(yaml, Path.of("overflow.yaml")), SpecChecker.Progress.NONE);
        Assertions.assertEquals(Verdict.ERROR, r.verdict(), () -> r.all().toString());
        assertTrue(r.error().startsWith("could not decide "), r.error());
        assertTrue(r.error().contains("the rounding bound is Infinity"), r.error());
    }

    static String yaml(SplittableRandom rnd, Derivative d, String std, String tolerance) {
        StringBuilder sb = new StringBuilder("name: false-pass-draw\nnetwork:\n  inputs: 2\n  layers:\n");
        sb.append("    - units: ").append(1 + rnd.nextInt(4)).append('\n');
        sb.append("      activation: {name: tanh, derivative: \"").append(d.text()).append("\"}\n");
        if (rnd.nextBoolean()) {
            sb.append("    - units: ").append(1 + rnd.nextInt(3)).append("\n      activation: relu\n");
        }
        sb.append("    - units: 1\n      activation: sigmoid\n");
        sb.append(rnd.nextBoolean() ? "loss: {type: squared_error, reduction: sum}\n"
                : "loss: {type: binary_cross_entropy, reduction: mean}\n");
        switch (rnd.nextInt(4)) {
            case 0 -> sb.append("data: {generator: xor}\n");
            case 1 -> sb.append("data: {examples: 1, targets: binary}\n");
            case 2 -> sb.append("data: {examples: 5, targets: binary, inputs: {distribution: normal, mean: 0, std: 1,"
                    + " zeros: 0.99}}\n");
            default -> sb.append("data: {examples: 5, targets: binary, inputs: {distribution: normal, mean: 0, std: 1e6}}\n");
        }
        sb.append("weights: {init: normal, std: ").append(std).append("}\n");
        sb.append("check: {trials: 2").append(tolerance == null ? "" : ", tolerance: " + tolerance).append("}\n");
        sb.append("seed: ").append(rnd.nextInt(1000)).append('\n');
        return sb.toString();
    }

    private static String reason(String error) {
        return error == null ? "" : error.replaceAll("-?[0-9][0-9.e+-]*", "N").replaceAll("(.{50}).*", "$1");
    }

    private static void count(String outcome) {
        OUTCOMES.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
    }

    @AfterContainer
    static void summary() {
        long total = OUTCOMES.values().stream().mapToLong(AtomicLong::get).sum();
        Campaign.report("false-pass: %d drawn specs (NaN/infinite derivatives, weights 1e-300..1e300, degenerate data,"
                + " tolerances up to 1e308): no pass with a non-finite value, a tolerance that cannot fail, or nothing"
                + " compared; no non-finite derivative passed", total);
        OUTCOMES.forEach((k, v) -> Campaign.report("false-pass   %s: %d", k, v.get()));
    }
}
