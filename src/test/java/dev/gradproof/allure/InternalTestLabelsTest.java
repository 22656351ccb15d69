package dev.gradproof.allure;

import io.qameta.allure.model.Label;
import io.qameta.allure.model.TestResult;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InternalTestLabelsTest {

    @Test
    void unitTestGoesUnderInternalUnitTestsByPackageAndClass() {
        TestResult unit = result("suite", "dev.gradproof.compare.ModesAgreeTest",
                "testClass", "dev.gradproof.compare.ModesAgreeTest", "testMethod", "nanIsNeverAgreement",
                "package", "dev.gradproof.compare.ModesAgreeTest");

        new InternalTestLabels().beforeTestWrite(unit);

        assertEquals(List.of("suite=dev.gradproof.compare.ModesAgreeTest",
                "testClass=dev.gradproof.compare.ModesAgreeTest", "testMethod=nanIsNeverAgreement",
                "package=dev.gradproof.compare.ModesAgreeTest", "epic=internal unit tests",
                "parentSuite=internal unit tests", "feature=compare", "story=ModesAgreeTest"), labels(unit));
    }

    @Test
    void specResultIsLeftAlone() {
        TestResult spec = result("epic", "gradproof specs", "feature", "layers", "story", "lstm-last",
                "parentSuite", "gradproof specs", "suite", "specs/layers/");
        List<String> before = labels(spec);

        new InternalTestLabels().beforeTestWrite(spec);

        assertEquals(before, labels(spec));
    }

    @Test
    void unitTestThatChecksASpecInItsOwnMethodIsAUnitTest() {
        TestResult unit = result("testClass", "dev.gradproof.junit.ShrinkingTest", "testMethod", "shrinks",
                "epic", "gradproof specs", "feature", "squared_error", "story", "tanh-tutorial-bug",
                "parentSuite", "gradproof specs", "verdict", "mismatch");

        new InternalTestLabels().beforeTestWrite(unit);

        assertEquals(List.of("testClass=dev.gradproof.junit.ShrinkingTest", "testMethod=shrinks", "verdict=mismatch",
                "epic=internal unit tests", "parentSuite=internal unit tests", "feature=junit", "story=ShrinkingTest"),
                labels(unit));
    }

    @Test
    void testWithoutClassGetsTheEpicOnly() {
        TestResult dynamic = result("framework", "junit-platform");

        new InternalTestLabels().beforeTestWrite(dynamic);

        assertEquals(List.of("framework=junit-platform", "epic=internal unit tests",
                "parentSuite=internal unit tests"), labels(dynamic));
        assertEquals("dev.gradproof", InternalTestLabels.shortPackage("dev.gradproof"), "the root package keeps its name");
        assertEquals("compare", InternalTestLabels.shortPackage("dev.gradproof.compare"));
    }

    @Test
    void specsSortFirst() {
        // Allure orders Behaviors and Suites by name: the spec results come before the unit tests.
        assertTrue(AllureSpecReporter.EPIC.compareTo(InternalTestLabels.INTERNAL) < 0);
        assertTrue(AllureSpecReporter.EPIC.toLowerCase(Locale.ROOT)
                .compareTo(InternalTestLabels.INTERNAL.toLowerCase(Locale.ROOT)) < 0);
    }

    private static TestResult result(String... nameValues) {
        List<Label> labels = new ArrayList<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            labels.add(new Label().setName(nameValues[i]).setValue(nameValues[i + 1]));
        }
        return new TestResult().setLabels(labels);
    }

    private static List<String> labels(TestResult r) {
        return r.getLabels().stream().map(l -> l.getName() + "=" + l.getValue()).toList();
    }
}
