package com.example.nn;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.junit.SpecSource;
import dev.gradproof.junit.Specs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.opentest4j.AssertionFailedError;

class TanhNetworkGradientTest {

    static final GradientSpec SPEC = Specs.load("classpath:specs/tanh-2-4-3-1.yaml");

    @Test
    void backpropagationAgreesWithTheExactGradient() {
        assertThatGradient(new TanhNetworkUnderTest(false)).agreesWith(SPEC);
    }

    @Test
    void theTutorialsTanhDerivativeIsCaughtInLayerOne() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(new TanhNetworkUnderTest(true)).agreesWith(SPEC));
        assertTrue(e.getMessage().contains("parameter-trials mismatch, in layer 1"), e.getMessage());
    }

    @ParameterizedTest
    @SpecSource("classpath:specs/")
    void everySpecOfTheProjectPasses(GradientSpec spec) {
        assertThatGradient(new TanhNetworkUnderTest(false)).agreesWith(spec);
    }
}
