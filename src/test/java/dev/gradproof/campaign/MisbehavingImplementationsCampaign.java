package dev.gradproof.campaign;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Perturbation;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.compare.UnderTest;
import dev.gradproof.api.Verdict;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java implementations (the {@link NetworkUnderTest} SPI) that misbehave: throw, return NaN or ±Inf in the
 * gradient or the loss, return wrong shapes (a layer missing, a row too many, a row too short, no bias
 * where the layer has one, no gradient, no evaluation), break the perturbed-loss contract, modify the
 * parameters they are given, or answer differently to the same question. Each must end in verdict ERROR
 * with the exact message pinned here, and the next spec, checked right after with a correct
 * implementation, must come out exactly as it does on its own.
 *
 * <p>Implementations in another process are covered by dev.gradproof.external's tests (and their fixtures
 * in src/test/resources/external/: garbage output, hangs, crashes, NaN literals, wrong shapes...); this
 * is the in-process side.
 */
class MisbehavingImplementationsCampaign {

    static final Path A = Path.of("src/test/resources/campaign/misbehaving-a.yaml");
    static final Path B = Path.of("src/test/resources/campaign/bystander-b.yaml");

    static Spec specA;
    static Spec specB;
    static SpecResult bystanderAlone;

    @BeforeAll
    static void load() throws SpecException {
        specA = new SpecLoader().load(A);
        specB = new SpecLoader().load(B);
        bystanderAlone = SpecChecker.run(specB, UnderTest.of(new MisbehavingNetworks.Correct()), SpecChecker.Progress.NONE);
        assertEquals(Verdict.PASS, bystanderAlone.verdict(), () -> String.valueOf(bystanderAlone.error()));
    }

    @Test
    void theCorrectImplementationPassesBothSpecs() {
        SpecResult r = SpecChecker.run(specA, UnderTest.of(new MisbehavingNetworks.Correct()), SpecChecker.Progress.NONE);
        assertEquals(Verdict.PASS, r.verdict(), () -> r.error() + " " + r.mismatches());
        assertTrue(r.metExpectation());
    }

    /** Runs A with {@code impl}, then B with a correct implementation; returns A's error message. */
    private static <T extends NetworkUnderTest> String errorThenBystander(T impl, Function<T, String> expected) {
        SpecResult a = SpecChecker.run(specA, UnderTest.of(impl), SpecChecker.Progress.NONE);
        assertEquals(Verdict.ERROR, a.verdict(), () -> impl.name() + ": " + a.error() + " " + a.mismatches());
        assertFalse(a.metExpectation(), "an error does not meet 'expect: pass'");
        assertEquals(expected.apply(impl), a.error());
        // the run continues: the next spec is checked exactly as if alone
        SpecResult b = SpecChecker.run(specB, UnderTest.of(new MisbehavingNetworks.Correct()), SpecChecker.Progress.NONE);
        assertEquals(bystanderAlone.verdict(), b.verdict());
        assertNull(b.error());
        assertEquals(bystanderAlone.all(), b.all(), "every parameter-trial of the next spec is unchanged");
        assertEquals(bystanderAlone.maxRelativeError(), b.maxRelativeError());
        return a.error();
    }

    private static <T extends NetworkUnderTest> void pinned(Supplier<T> impl, String expected) {
        errorThenBystander(impl.get(), i -> expected);
    }

    @Test
    void throwing() {
        pinned(MisbehavingNetworks.Thrower::new, "thrower threw IllegalStateException: out of coffee");
        pinned(MisbehavingNetworks.SilentThrower::new, "silentthrower threw UnsupportedOperationException");
        pinned(MisbehavingNetworks.LossesThrower::new,
                "lossesthrower threw IllegalArgumentException: no perturbations today (computing perturbed losses)");
    }

    @Test
    void nanAndInfinityInTheGradient() {
        pinned(MisbehavingNetworks.NanGradient::new, "nangradient returned NaN for the gradient of W1[0,0]");
        pinned(MisbehavingNetworks.InfiniteBiasGradient::new,
                "infinitebiasgradient returned Infinity for the gradient of b2[1]");
    }

    @Test
    void nanAndInfinityInTheLoss() {
        pinned(MisbehavingNetworks.NanLoss::new, "nanloss returned NaN as its loss");
        pinned(MisbehavingNetworks.NegativeInfiniteLoss::new, "negativeinfiniteloss returned -Infinity as its loss");
        errorThenBystander(new MisbehavingNetworks.NanPerturbedLoss(), i -> {
            Perturbation p = i.first;
            String name = p.parameter().toString();
            return "nanperturbedloss returned NaN as the loss with " + name + " moved by " + p.delta();
        });
        String m = errorThenBystander(new MisbehavingNetworks.ShortLosses(),
                i -> "shortlosses returned " + (i.asked - 1) + " perturbed losses, expected " + i.asked);
        // 3-4-2 with biases: 16 + 10 = 26 parameters, four perturbations each
        assertEquals("shortlosses returned 103 perturbed losses, expected 104", m);
    }

    @Test
    void wrongShapes() {
        pinned(MisbehavingNetworks.MissingLayer::new, "missinglayer returned a gradient for 1 layers, the network has 2");
        pinned(MisbehavingNetworks.ExtraRow::new, "extrarow returned W2 with 3 rows, expected 2 (shape [out][in] = [2][4])");
        pinned(MisbehavingNetworks.ShortRow::new,
                "shortrow returned W1 row 2 with 2 columns, expected 3 (shape [out][in] = [4][3])");
        pinned(MisbehavingNetworks.NullBias::new, "nullbias returned b1 with no entries, expected 4");
        pinned(MisbehavingNetworks.NullGradient::new, "nullgradient returned no gradient");
        pinned(MisbehavingNetworks.NullEvaluation::new, "nullevaluation returned no evaluation");
    }

    @Test
    void modifyingTheParameters() {
        errorThenBystander(new MisbehavingNetworks.ParameterMutator(), i -> "parametermutator modified the parameters "
                + "it was given: W1[0,0] was " + i.before + " before the call and " + (i.before + 0.5) + " after (an "
                + "implementation must not update weights while computing a gradient)");
    }

    @Test
    void nonDeterminism() {
        errorThenBystander(new MisbehavingNetworks.DriftingGradient(), i -> "driftinggradient is not deterministic: two "
                + "calls with the same parameters and data gave W2[1,3] = " + i.returned.get(0) + " and " + i.returned.get(1));
        errorThenBystander(new MisbehavingNetworks.DriftingLoss(), i -> "driftingloss is not deterministic: two calls "
                + "with the same parameters and data gave the losses " + i.returned.get(0) + " and " + i.returned.get(1));
    }

    /** The same through the CLI: a spec naming a throwing Java class, then a reference spec; both met, exit 0. */
    @Test
    void theCliChecksTheNextSpecAfterAnImplementationError(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a-throws.yaml");
        Files.writeString(a, Files.readString(A) + "implementation: {java: \"dev.gradproof.campaign.MisbehavingNetworks$Thrower\"}\n"
                + "expect: {verdict: error, message: \"thrower threw IllegalStateException: out of coffee\"}\n");
        Path b = dir.resolve("b-reference.yaml");
        Files.copy(B, b);
        BadSpecCampaign.Captured c = BadSpecCampaign.cli("check", a.toString(), b.toString(), "--no-report");
        assertEquals(0, c.exit(), c::all);
        assertTrue(c.out().contains("misbehaving-a: error (expected error)"), c::all);
        assertTrue(c.out().contains("bystander-b: pass (expected pass)"), c::all);
        assertFalse(c.all().contains("\tat "), c::all);
    }

    /**
     * An implementation that throws an Error instead of a RuntimeException: an AssertionError from its own
     * `assert` or a test library, a StackOverflowError from runaway recursion. Found by this campaign (it
     * escaped SpecChecker.run and, through the CLI, ended the whole run with a stack trace and exit status 1,
     * later specs unchecked); fixed in main code in commit 196c423. Kept as a regression test.
     */
    @Test
    void anErrorThrownByTheImplementationIsAVerdictToo(@TempDir Path dir) throws IOException {
        pinned(MisbehavingNetworks.AssertionThrower::new, "assertionthrower threw AssertionError: shapes do not line up");
        pinned(MisbehavingNetworks.Recurser::new, "recurser threw StackOverflowError");
        Path a = dir.resolve("a-asserts.yaml");
        Files.writeString(a, Files.readString(A)
                + "implementation: {java: \"dev.gradproof.campaign.MisbehavingNetworks$AssertionThrower\"}\n");
        Path b = dir.resolve("b-reference.yaml");
        Files.copy(B, b);
        BadSpecCampaign.Captured c = BadSpecCampaign.cli("check", a.toString(), b.toString(), "--no-report");
        assertEquals(1, c.exit(), c::all);
        assertTrue(c.out().contains("bystander-b: pass (expected pass)"), c::all);
        assertFalse(c.all().contains("\tat "), c::all);
    }
}
