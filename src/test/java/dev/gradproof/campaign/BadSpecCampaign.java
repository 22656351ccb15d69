package dev.gradproof.campaign;

import dev.gradproof.api.Verdict;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.gradproof.campaign.SpecMutations.Kind;
import dev.gradproof.campaign.SpecMutations.Mutation;
import dev.gradproof.cli.Main;
import dev.gradproof.spec.SpecException;
import dev.gradproof.spec.SpecLoader;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import java.util.Comparator;

/**
 * Bad-spec campaign: every bundled spec (specs/**.yaml, found at run time) damaged by each kind of
 * {@link SpecMutations} (deleted required keys, wrong types, huge or negative sizes, unknown
 * activations, malformed expressions, misspelt keys, invalid UTF-8, deep nesting, alias bombs, Java
 * tags), written to a file and loaded. Each one must:
 * <ul>
 *   <li>end in a {@link SpecException} (anything else, OutOfMemoryError and StackOverflowError included,
 *       fails the campaign with the mutation that caused it);</li>
 *   <li>have, for each of its problems (a file may have several), the message form {@code FILE:LINE:COLUMN: [FIELD: ]PROBLEM} with line and column ≥ 1 and,
 *       for the tree mutations, a non-empty field ({@link #MESSAGE});</li>
 *   <li>take less than 1 s to be refused and allocate less than 64 MB on the loading thread (default heap);</li>
 *   <li>build no Java object from a tag ({@link Canary} counts any load, construction or setter call).</li>
 * </ul>
 * A sample of the damaged files then goes through the CLI in process, {@code gradproof check FILE
 * --no-report}: exit status 2, the loader's message printed, no stack trace. Finally the resource limits:
 * a 40,000,000-parameter spec is refused by name of {@code --max-parameters} before anything of that size
 * is allocated (thread allocation and heap measured).
 *
 * <p>spec.SpecLoaderProperties already damages one hand-written spec at the character and byte level;
 * spec.YamlSafetyTest and spec.LimitsTest pin single messages. This campaign adds structured damage to every
 * real spec, the message-form, time and memory bounds on each, and the CLI's behaviour.
 */
@AddLifecycleHook(CampaignSize.class)
class BadSpecCampaign {

    /** FILE:LINE:COLUMN: [FIELD: ]PROBLEM; the field is a dotted path with [i] indices. */
    static final Pattern MESSAGE = Pattern.compile("^(.+?):(\\d+):(\\d+): (?:([A-Za-z_][A-Za-z0-9_.\\[\\]]*): )?(\\S.*)$",
            Pattern.DOTALL);
    static final long MAX_NANOS = 1_000_000_000L;
    static final long MAX_ALLOCATED = 64L << 20;

    static final Map<String, AtomicLong> COUNTS = new ConcurrentSkipListMap<>();
    static final AtomicLong MAX_PARSE_NANOS = new AtomicLong();
    static final AtomicLong MAX_PARSE_BYTES = new AtomicLong();
    static final AtomicLong PARSES = new AtomicLong();
    static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static List<Path> specs;
    private static Path scratch;

    @BeforeContainer
    static void findSpecsAndWarmUp() throws IOException {
        try (Stream<Path> walk = Files.walk(Path.of("specs"))) {
            specs = walk.filter(Files::isRegularFile)
                    .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList();
        }
        assertTrue(specs.size() >= 20, "bundled specs found: " + specs);
        scratch = Files.createTempDirectory("gradproof-bad-specs");
        // A copy of specs/ (data files included), so a damaged spec's csv path still resolves and the
        // damage itself is what gets refused.
        try (Stream<Path> walk = Files.walk(Path.of("specs"))) {
            for (Path p : walk.toList()) {
                Path target = scratch.resolve(Path.of("specs").relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else if (!p.toString().endsWith(".yaml") && !p.toString().endsWith(".yml")) {
                    Files.copy(p, target);
                }
            }
        }
        SpecLoader loader = new SpecLoader();
        for (Path p : specs) { // warm-up: the first parses pay for class loading and JIT
            try {
                loader.load(p);
            } catch (SpecException expected) {
                // a spec meant to be rejected
            }
        }
        assertEquals(0, CanaryFlags.TOUCHED.get());
    }

    @Provide
    Arbitrary<Integer> specIndex() {
        return Arbitraries.integers().between(0, specs.size() - 1);
    }

    /** Random spec, random kind, random details: every kind must be refused properly. */
    @Property(tries = 500, shrinking = ShrinkingMode.OFF)
    void everyDamagedSpecIsRefusedWithAPositionedMessage(@ForAll("specIndex") int spec, @ForAll Kind kind,
                                                         @ForAll long seed) throws IOException {
        Path source = specs.get(spec);
        Mutation m = SpecMutations.apply(Files.readString(source), kind, new SplittableRandom(seed));
        refused(source, m);
        Statistics.label("kind").collect(kind);
    }

    /** Coverage guarantee for the random property: every bundled spec with every kind. */
    @Example
    void everySpecWithEveryKind() throws IOException {
        for (Path source : specs) {
            String text = Files.readString(source);
            for (Kind kind : Kind.values()) {
                refused(source, SpecMutations.apply(text, kind, new SplittableRandom(source.toString().hashCode() * 31L
                        + kind.ordinal())));
            }
        }
    }

    private static Path write(Path source, Mutation m) throws IOException {
        Path folder = scratch.resolve(Path.of("specs").relativize(source.getParent()).toString());
        Path file = Files.createTempFile(folder, source.getFileName().toString().replace(".yaml", "") + "-"
                + m.kind().name().toLowerCase() + "-", ".yaml");
        Files.write(file, m.bytes());
        return file;
    }

    static SpecException refused(Path source, Mutation m) throws IOException {
        Path file = write(source, m);
        String context = source + " with " + m;
        SpecLoader loader = new SpecLoader();
        long tid = Thread.currentThread().getId();
        long bytes0 = THREADS.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        SpecException refusal = null;
        try {
            loader.load(file);
        } catch (SpecException e) {
            refusal = e;
        } catch (Throwable t) {
            fail("not a SpecException: " + t + " for " + context, t);
        }
        long nanos = System.nanoTime() - t0;
        long bytes = THREADS.getThreadAllocatedBytes(tid) - bytes0;
        try {
            Files.delete(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        PARSES.incrementAndGet();
        MAX_PARSE_NANOS.accumulateAndGet(nanos, Math::max);
        MAX_PARSE_BYTES.accumulateAndGet(bytes, Math::max);
        assertTrue(refusal != null, () -> "accepted: " + context);
        String msg = refusal.getMessage();
        assertTrue(nanos < MAX_NANOS, () -> "took " + nanos / 1_000_000 + " ms: " + context + ": " + msg);
        assertTrue(bytes < MAX_ALLOCATED, () -> "allocated " + (bytes >> 20) + " MB: " + context + ": " + msg);
        assertEquals(0, CanaryFlags.TOUCHED.get(), () -> "a Java object was built from a tag: " + context);
        assertTrue(msg.startsWith(refusal.all().get(0).getMessage()), () -> msg);
        for (SpecException single : refusal.all()) {
            positioned(file, single, m);
        }
        COUNTS.computeIfAbsent(m.kind() + " -> " + family(refusal.problem()), k -> new AtomicLong()).incrementAndGet();
        return refusal;
    }

    /** One problem of a refusal (a file may have several): FILE:LINE:COLUMN: [FIELD: ]PROBLEM on one line. */
    private static void positioned(Path file, SpecException refusal, Mutation m) {
        String msg = refusal.getMessage();
        String context = file + " with " + m;
        Matcher mm = MESSAGE.matcher(msg);
        assertTrue(mm.matches(), () -> "message not FILE:LINE:COLUMN: [FIELD: ]PROBLEM: '" + msg + "' for " + context);
        assertEquals(file.toString(), mm.group(1), () -> msg);
        assertTrue(Integer.parseInt(mm.group(2)) >= 1 && Integer.parseInt(mm.group(3)) >= 1, () -> msg);
        assertEquals(refusal.line(), Integer.parseInt(mm.group(2)));
        assertEquals(refusal.column(), Integer.parseInt(mm.group(3)));
        assertFalse(msg.contains("\n"), () -> "one line: " + msg);
        boolean tree = m.kind().ordinal() <= Kind.UNKNOWN_KEY.ordinal();
        if (tree && !msg.contains("invalid YAML")) {
            assertTrue(mm.group(4) != null || refusal.field().isEmpty(), () -> msg);
            // a tree mutation is a semantic error: it names the field, or (top-level keys) the place
            assertTrue(!refusal.field().isEmpty() || refusal.problem().contains("'"),
                    () -> "no field named: '" + msg + "' for " + context);
        }
        if (refusal.field() != null && !refusal.field().isEmpty()) {
            assertEquals(refusal.field(), mm.group(4), () -> msg);
        }
    }

    /** The problem without numbers and quoted values, e.g. "unknown activation". */
    static String family(String problem) {
        String p = problem.replaceAll("'[^']*'", "'…'").replaceAll("\\(.*", "").replaceAll("[-0-9.,e+]+[0-9]", "N");
        return p.length() > 60 ? p.substring(0, 60) : p.strip();
    }

    // ---- the CLI on a sample ---------------------------------------------------------------------

    /** Two damaged files of every kind through `gradproof check FILE --no-report`, in process. */
    @Example
    void theCliExitsWith2AndNoStackTrace() throws IOException {
        List<Path> eligible = new ArrayList<>();
        for (Path p : specs) {
            Expectation e = expectation(p);
            if (e == Expectation.NOT_ERROR) {
                eligible.add(p);
            }
        }
        SplittableRandom r = new SplittableRandom(2024);
        int runs = 0;
        for (Kind kind : Kind.values()) {
            for (int i = 0; i < 2; i++) {
                Path source = eligible.get(r.nextInt(eligible.size()));
                Mutation m = SpecMutations.apply(Files.readString(source), kind, r.split());
                Path file = write(source, m);
                SpecException expected;
                try {
                    new SpecLoader().load(file);
                    fail("accepted: " + source + " with " + m);
                    return;
                } catch (SpecException e) {
                    expected = e;
                }
                Captured c = cli("check", file.toString(), "--no-report");
                String context = source + " with " + m + ":\n" + c.all();
                assertEquals(2, c.exit(), () -> "exit status for " + context);
                assertFalse(c.all().contains("\tat "), () -> "stack trace: " + context);
                assertFalse(c.all().contains("Exception"), () -> "exception named: " + context);
                for (SpecException single : expected.all()) {
                    assertTrue(c.all().contains(single.getMessage()), () -> "the loader's message is shown: " + context);
                }
                runs++;
            }
        }
        Campaign.report("bad-spec CLI: %d damaged specs through `gradproof check --no-report`: exit 2, no stack trace",
                runs);
    }

    private enum Expectation { ERROR, NOT_ERROR }

    private static Expectation expectation(Path p) throws IOException {
        dev.gradproof.spec.Expectation e = SpecLoader.declaredExpectation(Files.readString(p));
        return e != null && e.verdict() == Verdict.ERROR ? Expectation.ERROR
                : Expectation.NOT_ERROR;
    }

    record Captured(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    /** Main.run with System.out and System.err captured (picocli binds them when the command line is built). */
    static synchronized Captured cli(String... args) {
        PrintStream out0 = System.out;
        PrintStream err0 = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit;
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            exit = Main.run(args);
        } finally {
            System.out.flush();
            System.err.flush();
            System.setOut(out0);
            System.setErr(err0);
        }
        return new Captured(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    // ---- resource limits -------------------------------------------------------------------------

    private static final String FORTY_MILLION = """
            # 4000 inputs x 10000 units = 40,000,000 weights (320 MB of doubles), plus 10,000 biases and 10,001 above.
            name: forty-million
            network:
              inputs: 4000
              layers:
                - units: 10000
                  activation: sigmoid
                - units: 1
                  activation: sigmoid
            loss:
              type: binary_cross_entropy
            data:
              examples: 10
            """;

    @Example
    void fortyMillionParametersFailFastBeforeAllocating() throws IOException {
        Path file = scratch.resolve("forty-million.yaml");
        Files.writeString(file, FORTY_MILLION);
        String expected = file + ":4:3: network: 40,020,001 parameters exceed the limit of 10,000,000 "
                + "(raise it with --max-parameters)";

        long tid = Thread.currentThread().getId();
        long heap0 = usedHeapAfterGc();
        long bytes0 = THREADS.getThreadAllocatedBytes(tid);
        long t0 = System.nanoTime();
        SpecException e = null;
        try {
            new SpecLoader().load(file);
        } catch (SpecException refused) {
            e = refused;
        }
        long loaderNanos = System.nanoTime() - t0;
        long loaderBytes = THREADS.getThreadAllocatedBytes(tid) - bytes0;
        assertTrue(e != null, "40,000,000 parameters accepted");
        assertEquals(expected, e.getMessage());

        long bytes1 = THREADS.getThreadAllocatedBytes(tid);
        long t1 = System.nanoTime();
        Captured c = cli("check", file.toString(), "--no-report");
        long cliNanos = System.nanoTime() - t1;
        long cliBytes = THREADS.getThreadAllocatedBytes(tid) - bytes1;
        long heap1 = usedHeapAfterGc();

        assertEquals(2, c.exit(), c::all);
        assertTrue(c.all().contains(expected), c::all);
        assertTrue(c.all().contains("--max-parameters"), c::all);
        assertFalse(c.all().contains("\tat ") || c.all().contains("Exception"), c::all);
        // 40M doubles would be 320 MB: nothing near that may be allocated, and the heap is unchanged.
        assertTrue(loaderNanos < MAX_NANOS && cliNanos < 5 * MAX_NANOS, () -> loaderNanos + " / " + cliNanos + " ns");
        assertTrue(loaderBytes < (8L << 20), () -> "loader allocated " + loaderBytes + " bytes");
        assertTrue(cliBytes < (32L << 20), () -> "CLI allocated " + cliBytes + " bytes");
        assertTrue(Math.abs(heap1 - heap0) < (32L << 20), () -> "heap " + heap0 + " -> " + heap1);
        Campaign.report("bad-spec limits: 40,020,001-parameter spec refused in %.1f ms by the loader (%d KB allocated) "
                        + "and %.1f ms by the CLI (%d KB allocated, exit 2); heap after GC %d MB -> %d MB",
                loaderNanos / 1e6, loaderBytes >> 10, cliNanos / 1e6, cliBytes >> 10, heap0 >> 20, heap1 >> 20);
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    @AfterContainer
    static void summary() throws IOException {
        Map<Kind, Long> perKind = new EnumMap<>(Kind.class);
        COUNTS.forEach((k, v) -> {
            Kind kind = Kind.valueOf(k.substring(0, k.indexOf(' ')));
            perKind.merge(kind, v.get(), Long::sum);
        });
        Campaign.report("bad-spec: %d damaged specs from %d bundled specs refused with FILE:LINE:COLUMN messages; "
                        + "slowest %.1f ms, most allocated %d KB, Java objects from tags: %d; per kind %s",
                PARSES.get(), specs.size(), MAX_PARSE_NANOS.get() / 1e6, MAX_PARSE_BYTES.get() >> 10,
                CanaryFlags.TOUCHED.get(), perKind);
        COUNTS.forEach((k, v) -> Campaign.report("bad-spec   %s: %d", k, v.get()));
        if (scratch != null) {
            try (Stream<Path> walk = Files.walk(scratch)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }
}
