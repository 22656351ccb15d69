package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import java.nio.file.Path;

import org.apiguardian.api.API;

/**
 * A spec as test code holds it: load one with {@code dev.gradproof.junit.Specs.load}, then check an
 * implementation against it ({@code assertThatGradient(net).agreesWith(spec)}) or draw its trials
 * ({@code dev.gradproof.jqwik.Trials.of(spec)}). What is inside is the engine's business.
 */
@API(status = STABLE, since = "0.2")
public interface GradientSpec {

    /** The spec's {@code name}, or its file name without extension. */
    String name();

    /** The file it was read from; null for a spec read from a classpath resource inside a jar. */
    Path file();

    /** Its {@code description}, empty when it has none. */
    String description();
}
