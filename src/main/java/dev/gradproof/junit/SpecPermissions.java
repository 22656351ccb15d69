package dev.gradproof.junit;

import static org.apiguardian.api.API.Status.STABLE;

import dev.gradproof.run.ProcessPermission;
import dev.gradproof.run.TrustedCommands;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

import org.apiguardian.api.API;

/**
 * Whether specs checked as tests may start the programs they name ({@code implementation: {process: ...}}):
 * by default they may not, since a spec from a pull request could run anything (docs/PROTOCOL.md, Security).
 *
 * <pre>{@code
 * SpecTests.inFolder(Path.of("specs"), SpecPermissions.trusting(Path.of("trusted-commands")))
 * }</pre>
 */
@API(status = STABLE, since = "0.2")
public final class SpecPermissions {
    private SpecPermissions() {
    }

    /** No spec starts a program (the default). */
    public static ProcessPermission none() {
        return ProcessPermission.none();
    }

    /** Every spec may start the program it names: for specs you have read. */
    public static ProcessPermission all() {
        return ProcessPermission.all();
    }

    /** Only the commands a trusted-commands file lists (its format: docs/PROTOCOL.md, Security). */
    public static ProcessPermission trusting(Path trustedCommandsFile) {
        try {
            return ProcessPermission.trusting(TrustedCommands.read(trustedCommandsFile));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the trusted-commands file " + trustedCommandsFile, e);
        }
    }
}
