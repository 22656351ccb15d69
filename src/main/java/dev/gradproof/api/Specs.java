package dev.gradproof.api;

import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.nio.file.Path;

/** Loading specs from test code, where a checked exception only gets in the way. */
public final class Specs {
    private Specs() {
    }

    /**
     * @throws IllegalArgumentException with the loader's message ({@code file:line:column: field: problem})
     */
    public static Spec load(String path) {
        try {
            return new SpecLoader().load(Path.of(path));
        } catch (SpecException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
