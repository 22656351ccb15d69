package dev.gradproof.junit;

import static org.apiguardian.api.API.Status.STABLE;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.apiguardian.api.API;
import org.junit.jupiter.params.provider.ArgumentsSource;

/**
 * Every spec of the folders or files named, one {@code @ParameterizedTest} invocation each, named by the
 * spec:
 *
 * <pre>{@code
 * @ParameterizedTest
 * @SpecSource("classpath:specs/")
 * void myNetworkAgrees(GradientSpec spec) {
 *     assertThatGradient(new MyNet()).agreesWith(spec);
 * }
 * }</pre>
 *
 * A location is a path (relative to the working directory) or {@code classpath:} and a resource folder
 * such as {@code src/test/resources/specs}. A spec that cannot be read is still one invocation, whose
 * assertion fails with the loader's message (file, line, field).
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ArgumentsSource(SpecArgumentsProvider.class)
@API(status = STABLE, since = "0.2")
public @interface SpecSource {
    /** Spec files or folders. */
    String[] value();
}
