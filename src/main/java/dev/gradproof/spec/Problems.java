package dev.gradproof.spec;

import java.util.ArrayList;
import java.util.List;

/**
 * The problems found so far in one spec, so that a user fixing a file sees all of them at once: each
 * part that does not depend on another is read on its own, and a part whose input is broken is skipped
 * (its problems would only echo the first one).
 */
final class Problems {

    /** One read that may fail with a SpecException. */
    interface Read<T> {
        T read() throws SpecException;
    }

    /** One check that may fail with a SpecException. */
    interface Check {
        void run() throws SpecException;
    }

    private final List<SpecException> found = new ArrayList<>();

    /** The value {@code read} gives, or null after recording why it could not. */
    <T> T read(Read<T> read) {
        try {
            return read.read();
        } catch (SpecException e) {
            found.add(e);
            return null;
        }
    }

    /** Runs {@code check}, recording its problem; true when it passed. */
    boolean check(Check check) {
        try {
            check.run();
            return true;
        } catch (SpecException e) {
            found.add(e);
            return false;
        }
    }

    /** Throws every problem found, in file order, as one SpecException. */
    void throwIfAny() throws SpecException {
        if (!found.isEmpty()) {
            throw SpecException.of(found);
        }
    }
}
