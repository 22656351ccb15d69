package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Which of this process's environment variables a child sees. A child named by a spec is a program
 * from a file someone else may have written: by default it gets what a numerical program needs to
 * run (where programs and libraries are, the locale, a temporary folder, Python's and the BLAS
 * libraries' settings) and none of the rest, where a CI job keeps its tokens and keys.
 */
@API(status = INTERNAL, since = "0.2")
public enum ChildEnvironment {
    /** {@link #PASSED} and the variables starting with one of {@link #PASSED_PREFIXES}; nothing else. */
    MINIMAL,
    /** Everything this process has ({@code --inherit-env}). */
    INHERITED;

    /** Passed by name. */
    public static final Set<String> PASSED = Set.of(
            "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TZ", "TMPDIR", "TMP", "TEMP",
            // native libraries and a Java child (adapters/dl4j) started through a script
            "LD_LIBRARY_PATH", "JAVA_HOME",
            // virtual environments, conda, pyenv's shims
            "VIRTUAL_ENV", "CONDA_PREFIX", "CONDA_DEFAULT_ENV",
            // how many threads numpy's BLAS, OpenMP and MKL start
            "OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "NUMEXPR_NUM_THREADS",
            "VECLIB_MAXIMUM_THREADS", "BLIS_NUM_THREADS", "CUDA_VISIBLE_DEVICES");

    /** Passed by prefix: the locale's categories, Python's and pyenv's settings, gradproof's own. */
    public static final List<String> PASSED_PREFIXES = List.of("LC_", "PYTHON", "PYENV_", "GRADPROOF_");

    /** Whether a variable of this name reaches a child under {@link #MINIMAL}. */
    public static boolean passes(String name) {
        return PASSED.contains(name) || PASSED_PREFIXES.stream().anyMatch(name::startsWith);
    }

    /** Removes from {@code environment} (a ProcessBuilder's copy of this process's) what the child must not see. */
    void applyTo(Map<String, String> environment) {
        if (this == MINIMAL) {
            environment.keySet().removeIf(name -> !passes(name));
        }
    }
}
