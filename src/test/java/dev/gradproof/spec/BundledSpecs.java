package dev.gradproof.spec;

import java.nio.file.Path;
import dev.gradproof.junit.Specs;

/** The engine's own tests load specs as the engine's type; users go through Specs. */
public final class BundledSpecs {
    private BundledSpecs() {
    }

    /** A spec file, e.g. {@code specs/tanh-tutorial-fixed.yaml}; a bad one fails the test with its message. */
    public static Spec load(String path) {
        try {
            return new SpecLoader().load(Path.of(path));
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
