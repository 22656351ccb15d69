package dev.gradproof.run;

import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;

import java.util.List;

/**
 * Runs one spec against the implementation it names (or an override), the same way for the CLI and
 * for the test suite, and always releases what it started.
 */
public final class SpecRun {
    private SpecRun() {
    }

    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress) {
        return run(spec, override, recipe, progress, dev.gradproof.compare.Shard.ALL);
    }

    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress,
                                 dev.gradproof.compare.Shard shard) {
        ImplementationSpec which = override != null ? override : spec.implementation();
        Spec effective = spec.withImplementation(which);
        Implementations.Resolved resolved;
        try {
            resolved = Implementations.resolve(which);
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message(e), spec.seed(), 0);
        }
        try {
            if (recipe != null) {
                return SpecChecker.runCases(effective, List.of(recipe.materialize(effective)), resolved.implementation(),
                        progress, shard);
            }
            return SpecChecker.run(effective, resolved.implementation(), progress, shard);
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message(e), spec.seed(), 0);
        } finally {
            try {
                resolved.resource().close();
            } catch (Exception ignored) {
                // closing is best effort; a process that refuses to die is killed by ProcessNetwork itself
            }
        }
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
