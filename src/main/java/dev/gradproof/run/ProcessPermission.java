package dev.gradproof.run;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.external.ChildEnvironment;
import dev.gradproof.external.ProcessNetwork;
import dev.gradproof.spec.ImplementationSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.SpecException;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * Which programs named by spec files ({@code implementation: {process: ...}}) may be started, and
 * what the children see of the environment. A spec is data, often someone else's (a pull request
 * checked in CI): by default it may not run anything. What the caller names itself ({@code --impl},
 * a {@code ProcessNetwork} built in a test) needs no permission. A spec's {@code java:} needs none
 * either: it can only pick a {@code NetworkUnderTest} already on the class path, and nothing is
 * initialised before that is checked (docs/PROTOCOL.md, "Security").
 *
 * @param everything  every command a spec names may run ({@code --allow-process})
 * @param trusted     the commands a trusted-commands file allows; null for none
 * @param environment what the children see of this process's environment
 * @param howToAllow  how the user allows a command, for the refusal ({@code --allow-process} on the
 *                    command line, {@link #all()} in Java)
 */
@API(status = INTERNAL, since = "0.2")
public record ProcessPermission(boolean everything, TrustedCommands trusted, ChildEnvironment environment, String howToAllow) {

    static final String IN_JAVA = "pass ProcessPermission.all(), or ProcessPermission.trusting(TrustedCommands.read(FILE)), "
            + "to SpecTests";

    public ProcessPermission {
        Objects.requireNonNull(environment, "environment");
        Objects.requireNonNull(howToAllow, "howToAllow");
    }

    /** No spec may run a program; children get the minimal environment. */
    public static ProcessPermission none() {
        return new ProcessPermission(false, null, ChildEnvironment.MINIMAL, IN_JAVA);
    }

    /** Every spec may run its program: for specs you have read. */
    public static ProcessPermission all() {
        return new ProcessPermission(true, null, ChildEnvironment.MINIMAL, IN_JAVA);
    }

    /** The specs may run what {@code trusted} lists. */
    public static ProcessPermission trusting(TrustedCommands trusted) {
        return new ProcessPermission(false, Objects.requireNonNull(trusted), ChildEnvironment.MINIMAL, IN_JAVA);
    }

    public ProcessPermission withEnvironment(ChildEnvironment newEnvironment) {
        return new ProcessPermission(everything, trusted, newEnvironment, howToAllow);
    }

    public ProcessPermission withHowToAllow(String newHowToAllow) {
        return new ProcessPermission(everything, trusted, environment, newHowToAllow);
    }

    /**
     * Why {@code spec}'s own implementation may not start, as {@code FILE:LINE:COLUMN:
     * implementation.process: ...}; empty when it may.
     *
     * @param workingDir the folder the child would run in
     */
    public Optional<String> refusal(Spec spec, Path workingDir) {
        ImplementationSpec impl = spec.implementation();
        if (everything || !impl.kind().equals("process")) {
            return Optional.empty();
        }
        List<String> command;
        try {
            command = ProcessNetwork.parse(impl.target());
        } catch (IllegalArgumentException e) {
            return Optional.empty();   // never started: resolving it reports the broken command
        }
        if (trusted != null && trusted.trusts(command, workingDir)) {
            return Optional.empty();
        }
        String why = trusted == null ? "no trusted-commands file was named"
                : trusted.nearMiss(command, workingDir).orElse("this one is not in " + trusted.file());
        String problem = impl.target() + " was not started: a spec file runs a program only with your permission, and "
                + why + ". Read the spec, then " + howToAllow + " (docs/PROTOCOL.md, \"Security\")";
        return Optional.of(new SpecException(spec.file(), impl.line(), impl.column(), "implementation.process", problem)
                .getMessage());
    }
}
