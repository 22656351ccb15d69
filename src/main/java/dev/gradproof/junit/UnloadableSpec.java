package dev.gradproof.junit;

import dev.gradproof.api.GradientSpec;

import java.nio.file.Path;

/**
 * A spec {@link SpecSource} found but could not load (or passed over): still an invocation of the test,
 * whose assertion fails with why, so a broken spec is a red test, not a missing one.
 */
record UnloadableSpec(Path file, String name, String problem, boolean skipped) implements GradientSpec {

    static UnloadableSpec of(Path file, String message) {
        return new UnloadableSpec(file, file.getFileName().toString(), message, false);
    }

    static UnloadableSpec skipped(String why) {
        return new UnloadableSpec(null, "skipped", why, true);
    }

    @Override
    public String description() {
        return "";
    }
}
