package dev.gradproof.junit;

import static dev.gradproof.junit.GradientAssert.assertThatGradient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.examples.HandWrittenBackpropTestAccess;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.opentest4j.AssertionFailedError;

/** Loading specs as JUnit users expect: by path or classpath, and a folder as a parameterized test. */
class SpecSourceTest {

    @ParameterizedTest
    @SpecSource("classpath:junit-specs/")
    void everySpecOfAResourceFolderIsOneInvocation(GradientSpec spec) {
        assertTrue(List.of("tanh-tutorial-fixed", "sigmoid-2-2-1").contains(spec.name()), spec.name());
        if (spec.name().equals("tanh-tutorial-fixed")) {
            assertThatGradient(new HandWrittenBackpropTestAccess().network()).agreesWith(spec);
        }
    }

    @Test
    void aSpecIsLoadedFromTheClasspathOrNextToAClassOrByPath() {
        assertEquals("tanh-tutorial-fixed", Specs.load("classpath:junit-specs/tanh-tutorial-fixed.yaml").name());
        assertEquals("tanh-tutorial-fixed", Specs.load("junit-specs/tanh-tutorial-fixed.yaml").name(),
                "not a file here, so looked for on the classpath");
        assertEquals("tanh-tutorial-fixed", Specs.load(SpecSourceTest.class, "/junit-specs/tanh-tutorial-fixed.yaml").name());
        assertEquals(Path.of("specs/tanh-tutorial-fixed.yaml"), Specs.load("specs/tanh-tutorial-fixed.yaml").file());
    }

    @Test
    void aMissingSpecSaysWhatWasTried() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Specs.load("specs/nope.yaml"));
        assertEquals("specs/nope.yaml: no such spec: not a file (relative to the working directory "
                + Path.of("").toAbsolutePath() + ") and not a classpath resource (tried classpath:specs/nope.yaml)",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Specs.load("classpath:nope/x.yaml"));
        assertEquals("classpath:nope/x.yaml: no such classpath resource (looked for 'nope/x.yaml' with the class loader"
                + " of this test)", e.getMessage());
    }

    @Test
    void aSpecThatCannotBeReadIsAFailingInvocationNotAMissingOne(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("broken.yaml"), "network: {inputs: 0}\n");
        SpecArgumentsProvider provider = new SpecArgumentsProvider();
        provider.accept(new SpecSource() {
            public Class<SpecSource> annotationType() {
                return SpecSource.class;
            }

            public String[] value() {
                return new String[] {dir.toString()};
            }
        });
        List<Object> args = provider.provideArguments(null).map(a -> a.get()[0]).toList();
        assertEquals(1, args.size());
        @SuppressWarnings("unchecked")
        Named<GradientSpec> broken = (Named<GradientSpec>) args.get(0);
        assertEquals("broken", broken.getName());
        AssertionFailedError e = assertThrows(AssertionFailedError.class,
                () -> assertThatGradient(new HandWrittenBackpropTestAccess().network()).agreesWith(broken.getPayload()));
        assertTrue(e.getMessage().startsWith("the spec could not be read: " + dir.resolve("broken.yaml") + ":1:"),
                e.getMessage());
    }
}
