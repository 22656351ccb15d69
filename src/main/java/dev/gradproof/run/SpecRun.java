package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Verdict;
import dev.gradproof.compare.SpecChecker;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import dev.gradproof.compare.Shard;
import org.apiguardian.api.API;

/**
 * Runs one spec against the implementation it names (or an override), the same way for the CLI and
 * for the test suite, and always releases what it started. A program a spec names starts only with
 * the caller's {@link ProcessPermission}.
 */
@API(status = INTERNAL, since = "0.2")
public final class SpecRun {
    private SpecRun() {
    }

    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress) {
        return run(spec, override, recipe, progress, Shard.ALL);
    }

    /** With {@link ProcessPermission#none()}: a spec's own {@code process:} is refused. */
    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress,
                                 Shard shard) {
        return run(spec, override, recipe, progress, shard, ProcessPermission.none());
    }

    /**
     * @param override   what to check instead of what the spec names (the caller's choice: no permission
     *                   is asked for it); null for the spec's own implementation
     * @param permission whether the spec's own {@code process:} may start, and the children's environment
     */
    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress,
                                 Shard shard, ProcessPermission permission) {
        return run(spec, override, recipe, progress, shard, permission, false);
    }

    /**
     * An override that is a program or a Java class checks the spec without its declared derivatives:
     * they configure the reference network only and never reach another implementation.
     *
     * @param skipRefused a spec the implementation refuses ({@link RefusalWatch}) comes back
     *                    {@link SpecResult#isSkipped() skipped}, not failed
     */
    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress,
                                 Shard shard, ProcessPermission permission, boolean skipRefused) {
        return run(spec, override, recipe, progress, shard, permission, skipRefused, note -> { });
    }

    /** @param notes told what the user should know about how the check ran (a child on the slow path) */
    public static SpecResult run(Spec spec, ImplementationSpec override, TrialRecipe recipe, SpecChecker.Progress progress,
                                 Shard shard, ProcessPermission permission, boolean skipRefused,
                                 Consumer<String> notes) {
        ImplementationSpec which = override != null ? override : spec.implementation();
        if (override != null && DeclaredDerivatives.foreign(override)) {
            spec = DeclaredDerivatives.dropped(spec);
        }
        Spec effective = spec.withImplementation(which);
        Path workingDir = Path.of("").toAbsolutePath();
        if (override == null) {
            Optional<String> refusal = permission.refusal(spec, workingDir);
            if (refusal.isPresent()) {
                return refused(spec, refusal.get());
            }
        }
        Implementations.Resolved resolved;
        try {
            resolved = Implementations.resolve(which, workingDir, permission.environment());
        } catch (RuntimeException e) {
            return SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message(e), spec.seed(), 0);
        }
        try {
            SpecResult r;
            if (recipe != null) {
                r = SpecChecker.runCases(effective, List.of(recipe.materialize(effective)), resolved.implementation(),
                        progress, shard);
            } else {
                r = SpecChecker.run(effective, resolved.implementation(), progress, shard);
            }
            resolved.note().get().ifPresent(notes);
            Optional<String> refusal = resolved.refusal().get();
            if (skipRefused && refusal.isPresent() && r.verdict() == Verdict.ERROR) {
                return SpecResult.skipped(spec, "refused by the implementation: " + refusal.get());
            }
            return r;
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

    /** Verdict error, and never an expectation met: a spec expecting an error must not pass by being refused. */
    private static SpecResult refused(Spec spec, String message) {
        SpecResult r = SpecResult.error(spec.name(), spec.file(), spec, spec.expect(), message, spec.seed(), 0);
        return r.toBuilder().verdict(r.verdict(), false).build();
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
