package dev.gradproof.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.gradproof.api.GradientSpec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;
import dev.gradproof.spec.SpecLocation;

import org.apiguardian.api.API;

/**
 * Loading specs in test code, where a checked exception only gets in the way:
 *
 * <pre>{@code
 * GradientSpec a = Specs.load("specs/tanh-tutorial-fixed.yaml");          // a file, else a classpath resource
 * GradientSpec b = Specs.load("classpath:specs/tanh-tutorial-fixed.yaml"); // a classpath resource
 * GradientSpec c = Specs.load(MyTest.class, "tanh.yaml");                  // next to MyTest
 * }</pre>
 */
@API(status = STABLE, since = "0.2")
public final class Specs {
    private Specs() {
    }

    /**
     * @throws IllegalArgumentException with the loader's message ({@code file:line:column: field: problem}),
     *                                  or what was tried when there is no such spec
     */
    public static GradientSpec load(String location) {
        try {
            return SpecLocation.load(location, classLoader(), new SpecLoader());
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /** A spec next to a class, e.g. in {@code src/test/resources/com/example/}. */
    public static GradientSpec load(Class<?> anchor, String name) {
        try {
            return SpecLocation.load(anchor, name, new SpecLoader());
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Specs.class.getClassLoader();
    }
}
