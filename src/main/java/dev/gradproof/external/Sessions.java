package dev.gradproof.external;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A child in a session of its own, so that everything it starts can be found after it died. Java
 * cannot call setsid(2); util-linux's {@code setsid} program can: {@code setsid -w CMD} makes itself
 * a session leader and execs CMD, so CMD keeps the pid Java knows and becomes session leader, and
 * every process it starts (a helper, a shell pipeline, a worker pool) stays in that session unless it
 * makes a session of its own. Orphans re-parented to init when the child crashes are no longer in
 * its process tree ({@link ProcessHandle#descendants()} misses them) but still in its session, which
 * {@code /proc/PID/stat} names. The session also keeps the child out of the terminal's foreground
 * process group, so Ctrl-C reaches gradproof alone and the child is not killed behind its back.
 */
final class Sessions {
    /** The setsid program, when there is one and /proc can name a process's session. */
    private static final Optional<Path> SETSID = find();

    private Sessions() {
    }

    private static Optional<Path> find() {
        if (!Files.isReadable(Path.of("/proc/self/stat"))) {
            return Optional.empty();
        }
        List<String> dirs = new ArrayList<>(List.of("/usr/bin", "/bin"));
        String path = System.getenv("PATH");
        if (path != null) {
            dirs.addAll(List.of(path.split(File.pathSeparator)));
        }
        for (String dir : dirs) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "setsid");
            if (p.isAbsolute() && Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    static boolean available() {
        return SETSID.isPresent();
    }

    /**
     * The command to give ProcessBuilder: {@code setsid -w} before it when setsid exists and the
     * program can be found. A program that cannot be found is started as it is, so that Java's own
     * message says why it cannot run ({@code Cannot run program "x": error=2, ...}), not setsid's.
     */
    static List<String> wrap(List<String> command, Path dir, Map<String, String> environment) {
        if (SETSID.isEmpty() || !runnable(command.get(0), dir, environment.get("PATH"))) {
            return command;
        }
        List<String> wrapped = new ArrayList<>(List.of(SETSID.get().toString(), "-w"));
        wrapped.addAll(command);
        return wrapped;
    }

    private static boolean runnable(String program, Path dir, String path) {
        if (program.contains("/")) {
            Path p = Path.of(program);
            if (!p.isAbsolute()) {
                p = (dir != null ? dir : Path.of("")).toAbsolutePath().resolve(p);
            }
            return Files.isRegularFile(p) && Files.isExecutable(p);
        }
        if (path == null) {
            return false;
        }
        for (String d : path.split(File.pathSeparator)) {
            Path p = Path.of(d.isEmpty() ? "." : d, program);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Every process alive in session {@code sid}, the leader included; zombies (dead, not yet reaped)
     * do not count. Empty where /proc cannot be read.
     */
    static List<ProcessHandle> members(long sid) {
        List<ProcessHandle> found = new ArrayList<>();
        try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"),
                p -> p.getFileName().toString().chars().allMatch(Character::isDigit))) {
            for (Path proc : procs) {
                Stat stat = stat(proc);
                if (stat != null && stat.session == sid && stat.state != 'Z' && stat.state != 'X') {
                    ProcessHandle.of(Long.parseLong(proc.getFileName().toString())).ifPresent(found::add);
                }
            }
        } catch (IOException | RuntimeException e) {
            // no /proc, or it changed under us: what was found so far
        }
        return found;
    }

    /** The session a process is in, if it is alive and /proc says. */
    static Optional<Long> sessionOf(long pid) {
        Stat stat = stat(Path.of("/proc", Long.toString(pid)));
        return stat == null ? Optional.empty() : Optional.of(stat.session);
    }

    private record Stat(char state, long session) {
    }

    /** Fields 3 and 6 of /proc/PID/stat; the name in field 2 may hold spaces and parentheses, hence the last ')'. */
    private static Stat stat(Path proc) {
        try {
            String s = Files.readString(proc.resolve("stat"));
            int end = s.lastIndexOf(')');
            String[] f = s.substring(end + 2).split(" ");
            return new Stat(f[0].charAt(0), Long.parseLong(f[3]));
        } catch (IOException | RuntimeException e) {
            return null;   // gone meanwhile, or not ours to read
        }
    }
}
