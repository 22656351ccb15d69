package dev.gradproof.cli;

/**
 * The exit statuses of every command, documented in --help and the README. A signal ends the JVM with the
 * shell's own 128 + signal number (130 for SIGINT, 143 for SIGTERM) after the partial report is written.
 */
enum ExitCode {
    /** Every spec met its expectation (or the command did what was asked). */
    OK(0),
    /** Some spec did not meet its expectation. */
    NOT_MET(1),
    /** A usage error, or a spec that could not be read (and did not expect to be refused). */
    USAGE(2),
    /** A bug in gradproof itself: please report it with the spec that caused it. */
    INTERNAL(3);

    final int code;

    ExitCode(int code) {
        this.code = code;
    }
}
