package com.example.nn;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.api.Trial;
import dev.gradproof.jqwik.Trials;
import dev.gradproof.junit.Specs;

import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class TanhNetworkPropertyTest {

    static final GradientSpec SPEC = Specs.load("classpath:specs/tanh-2-4-3-1.yaml");

    @Provide
    Arbitrary<Trial> trials() {
        return Trials.of(SPEC);
    }

    @Property(tries = 50)
    void backpropagationAgreesOnEveryTrial(@ForAll("trials") Trial trial) {
        assertThatGradient(new TanhNetworkUnderTest(false)).agreesWith(trial);
    }
}
