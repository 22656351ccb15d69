package dev.gradproof.allure;

import io.qameta.allure.listener.TestLifecycleListener;
import io.qameta.allure.model.Label;
import io.qameta.allure.model.TestResult;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * In the project's own Allure report, files every test that is not a spec result under the epic and
 * parent suite {@value #INTERNAL}, feature = package, story = test class, so the ~1,500 unit tests sit
 * after the spec results instead of mixed in with them (Allure sorts groups by name).
 *
 * <p>A spec result is a dynamic test ({@code SpecTests.inFolder}: no test method) that
 * {@link AllureSpecReporter} labelled. A unit test that checks a spec inside its own method
 * (ShrinkingTest) is labelled by the reporter too, but is a unit test: its spec labels are replaced.
 * Test-only (src/test/resources/META-INF/services): a project that uses gradproof keeps its own labels.
 */
public final class InternalTestLabels implements TestLifecycleListener {
    static final String INTERNAL = "internal unit tests";
    private static final String PACKAGE_PREFIX = "dev.gradproof.";
    private static final Set<String> GROUPING = Set.of("epic", "feature", "story", "parentSuite");

    @Override
    public void beforeTestWrite(TestResult result) {
        List<Label> labels = result.getLabels();
        if (isSpecResult(labels)) {
            return;
        }
        labels.removeIf(l -> GROUPING.contains(l.getName()));
        labels.add(label("epic", INTERNAL));
        labels.add(label("parentSuite", INTERNAL));
        // Allure's "package" label holds the class name too: the package is cut from the test class.
        value(labels, "testClass").ifPresent(c -> {
            int dot = c.lastIndexOf('.');
            labels.add(label("feature", shortPackage(dot < 0 ? "" : c.substring(0, dot))));
            labels.add(label("story", c.substring(dot + 1)));
        });
    }

    static boolean isSpecResult(List<Label> labels) {
        return value(labels, "epic").filter(AllureSpecReporter.EPIC::equals).isPresent()
                && value(labels, "testMethod").isEmpty();
    }

    /** {@code dev.gradproof.compare} is {@code compare}; the root package keeps its name. */
    static String shortPackage(String name) {
        if (name.isEmpty()) {
            return "(default package)";
        }
        return name.startsWith(PACKAGE_PREFIX) ? name.substring(PACKAGE_PREFIX.length()) : name;
    }

    private static Optional<String> value(List<Label> labels, String name) {
        return labels.stream().filter(l -> name.equals(l.getName())).map(Label::getValue).findFirst();
    }

    private static Label label(String name, String value) {
        return new Label().setName(name).setValue(value);
    }
}
