package dev.gradproof.spec;

import static dev.gradproof.spec.SpecTexts.BASE;
import static dev.gradproof.spec.SpecTexts.edit;
import static dev.gradproof.spec.SpecTexts.error;
import static dev.gradproof.spec.SpecTexts.parse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Top-level keys, weights, check and expect; appended lines start at line 12. */
class SettingsValidationTest {

    @Test
    void topLevelKeys() {
        assertEquals("specs/x.yaml:12:1: unknown key 'nmae' (did you mean 'name'?); allowed: name, description, network, "
                + "loss, data, weights, check, seed, expect, implementation", error(BASE + "nmae: x\n"));
        assertEquals("specs/x.yaml:1:1: missing required key 'data'", error(edit("data:\n  generator: xor\n", "")));
        assertEquals("specs/x.yaml:12:18: implementation: unknown key 'class'; allowed: process, java, mutant, timeout, workers",
                error(BASE + "implementation: {class: x}\n"));
        assertEquals("specs/x.yaml:12:17: implementation: expected one of process, java or mutant (or the word reference)",
                error(BASE + "implementation: {timeout: 3}\n"));
        assertEquals("specs/x.yaml:12:29: implementation.timeout: timeout applies only to process (this is java)",
                error(BASE + "implementation: {java: a.B, timeout: 3}\n"));
        // refused when read, not when the first request times out
        assertEquals("specs/x.yaml:12:43: implementation.timeout: expected a number of seconds from 0.1 to 86400 (a day),"
                + " got 0.0001", error(BASE + "implementation: {process: ./net, timeout: 0.0001}\n"));
        assertEquals("specs/x.yaml:12:29: implementation.workers: workers applies only to process (this is java)",
                error(BASE + "implementation: {java: a.B, workers: 2}\n"));
        assertEquals("specs/x.yaml:12:43: implementation.workers: expected a positive integer, got 0",
                error(BASE + "implementation: {process: ./net, workers: 0}\n"));
        assertEquals("specs/x.yaml:12:43: implementation.workers: expected at most 64 workers, got 65",
                error(BASE + "implementation: {process: ./net, workers: 65}\n"));
        assertEquals("specs/x.yaml:3:3: network: duplicate key 'inputs' (first at line 2)", error(edit("inputs: 2", "inputs: 2\n  inputs: 3")));
    }

    @Test
    void nameDescriptionAndSeed() {
        assertEquals("specs/x.yaml:12:7: name: expected a non-empty string, got ''", error(BASE + "name: ''\n"));
        assertEquals("specs/x.yaml:12:14: description: expected a string, got a list", error(BASE + "description: [a]\n"));
        assertEquals("specs/x.yaml:12:7: seed: expected an integer, got 'abc'", error(BASE + "seed: abc\n"));
        assertEquals("specs/x.yaml:12:7: seed: expected an integer, got 1.5", error(BASE + "seed: 1.5\n"));
        assertEquals("specs/x.yaml:12:7: seed: expected an integer between -9,223,372,036,854,775,808 and "
                + "9,223,372,036,854,775,807, got 1e30", error(BASE + "seed: 1e30\n"));
    }

    @Test
    void weights() throws SpecException {
        assertEquals("specs/x.yaml:12:17: weights.init: expected one of normal, uniform, xavier, he, got 'glorot'",
                error(BASE + "weights: {init: glorot}\n"));
        assertEquals("specs/x.yaml:12:30: weights.std: expected a number > 0, got 0", error(BASE + "weights: {init: normal, std: 0}\n"));
        assertEquals("specs/x.yaml:12:11: weights.std: std applies only to init: normal (init is xavier)",
                error(BASE + "weights: {std: 0.5}\n"));
        assertEquals("specs/x.yaml:12:42: weights.high: expected a number greater than low (0.5), got 0.1",
                error(BASE + "weights: {init: uniform, low: 0.5, high: 0.1}\n"));
        assertEquals("specs/x.yaml:12:31: weights.low: expected a number less than high (0.12), got 0.5",
                error(BASE + "weights: {init: uniform, low: 0.5}\n"));
        assertEquals("specs/x.yaml:12:32: weights.high: expected a number greater than low (-0.12), got -0.5",
                error(BASE + "weights: {init: uniform, high: -0.5}\n"));
        assertEquals("specs/x.yaml:12:19: weights.biases: expected one of same, zero, got 'none'", error(BASE + "weights: {biases: none}\n"));
        assertEquals("specs/x.yaml:12:10: weights: expected a map, got 'he' (did you mean `weights: {init: he}`?)", error(BASE + "weights: he\n"));
        assertEquals(new WeightSpec("normal", 2, -0.12, 0.12, "same"), parse(BASE + "weights: {init: normal, std: 2}\n").weights());
    }

    @Test
    void check() throws SpecException {
        assertEquals("specs/x.yaml:12:17: check.trials: expected a positive integer, got 0", error(BASE + "check: {trials: 0}\n"));
        assertEquals("specs/x.yaml:12:17: check.trials: 3,000,000,000 trials exceed the limit of 10,000 (raise it with --max-trials)",
                error(BASE + "check: {trials: 3000000000}\n"));
        assertEquals("specs/x.yaml:12:18: check.oracles: expected a non-empty list of exact, finite_difference, got an empty list",
                error(BASE + "check: {oracles: []}\n"));
        assertEquals("specs/x.yaml:12:18: check.oracles: expected a non-empty list of exact, finite_difference, got 'exact'",
                error(BASE + "check: {oracles: exact}\n"));
        assertEquals("specs/x.yaml:12:26: check.oracles[1]: expected one of exact, finite_difference, got 'numeric'",
                error(BASE + "check: {oracles: [exact, numeric]}\n"));
        assertEquals("specs/x.yaml:12:26: check.oracles[1]: 'exact' is listed twice", error(BASE + "check: {oracles: [exact, exact]}\n"));
        assertEquals("specs/x.yaml:12:20: check.tolerance: expected auto or a number > 0, got 'tight'",
                error(BASE + "check: {tolerance: tight}\n"));
        assertEquals("specs/x.yaml:12:20: check.tolerance: expected auto or a number > 0, got -1", error(BASE + "check: {tolerance: -1}\n"));
        assertEquals("specs/x.yaml:12:20: check.tolerance: expected a finite number, got .inf", error(BASE + "check: {tolerance: .inf}\n"));
        assertEquals("specs/x.yaml:12:21: check.parameters: expected all or a positive integer, got 0", error(BASE + "check: {parameters: 0}\n"));
        assertEquals("specs/x.yaml:12:21: check.parameters: expected all or a positive integer, got 'some'",
                error(BASE + "check: {parameters: some}\n"));
        assertEquals("specs/x.yaml:12:21: check.parameters: expected all or a positive integer, got 2.5",
                error(BASE + "check: {parameters: 2.5}\n"));
        CheckSpec check = parse(BASE + "check: {tolerance: auto, parameters: all}\n").check();
        assertNull(check.tolerance());
        assertEquals(0, check.parameters());
    }

    @Test
    void expect() {
        assertEquals("specs/x.yaml:12:9: expect: expected one of pass, mismatch, forward-differs, error, got 'maybe'", error(BASE + "expect: maybe\n"));
        assertEquals("specs/x.yaml:12:9: expect: missing required key 'verdict'", error(BASE + "expect: {message: x}\n"));
        assertEquals("specs/x.yaml:12:25: expect.message: message applies only to verdict: error (verdict is pass)",
                error(BASE + "expect: {verdict: pass, message: x}\n"));
        assertEquals("specs/x.yaml:12:19: expect.verdict: expected one of pass, mismatch, forward-differs, error, got 'errors' (did you mean 'error'?)",
                error(BASE + "expect: {verdict: errors}\n"));
    }
}
