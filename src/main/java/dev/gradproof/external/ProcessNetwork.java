package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apiguardian.api.API;

/**
 * A network under test that runs in another process and answers the JSON Lines protocol of
 * docs/PROTOCOL.md over its stdin and stdout: a numpy script, a PyTorch model, a C++ binary, or a
 * Java class behind {@link ProtocolServer}.
 *
 * <pre>{@code
 * try (ProcessNetwork net = new ProcessNetwork(ProcessNetwork.parse("python3 examples/numpy/net.py"))) {
 *     assertThatGradient(net).agreesWith(Specs.load("specs/tanh-tutorial-fixed.yaml"));
 * }
 * }</pre>
 *
 * The child is started on the first call and greeted with {@code hello} for that call's network;
 * a later call for a different network (shrinking narrows layers) greets it again. The first hello
 * to a process offers protocol 2 (layer graphs, named tensors); a child that speaks only version 1
 * gets a dense chain in version 1 ({@code dense2.weight} travels as {@code W2}) and any other network
 * is an error naming why it needs version 2 (docs/PROTOCOL.md, "Negotiation"). Every failure
 * (no answer in time, a crash, output that is not the protocol, a wrong shape, a number that is
 * not finite) throws an {@link IllegalStateException} whose message starts with the command, names
 * the cause and ends with the last lines of the child's stderr; the child and everything it started
 * are then killed, and the next call starts a fresh one. An answer {@code "ok": false} is the
 * child's own refusal: it is reported the same way but the child is left running.
 *
 * <p>Not for concurrent use from several threads (calls are serialized).
 */
@API(status = INTERNAL, since = "0.2")
public final class ProcessNetwork implements NetworkUnderTest, AutoCloseable {
    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_START_TIMEOUT = Duration.ofSeconds(20);
    /** Perturbations sent in one {@code losses} request, to bound the length of a line. */
    public static final int PERTURBATIONS_PER_REQUEST = 512;
    /** The longest answer line accepted, in bytes. */
    public static final int MAX_LINE_BYTES = 64 << 20;
    /** How long {@link #close()} waits for the child to exit after {@code bye}. */
    static final long BYE_GRACE_MILLIS = 2000;
    /** After the child exits, how long to wait for output it wrote just before. */
    private static final long EXIT_GRACE_MILLIS = 1000;
    private static final int QUOTE = 200;

    private final List<String> command;
    private final String display;
    private final Path workingDir;
    private final Duration requestTimeout;
    private final Duration startTimeout;
    private final ChildEnvironment environment;

    private ChildProcess child;
    private NetworkDescription greeted;
    /** The version the greeting of {@link #greeted} continued in. */
    private int conversing;
    /** Whether this child process has shown it speaks version 1 only, and what it answered version 2 with. */
    private boolean versionOneOnly;
    private String versionOneAnswer;
    private volatile String implementation;
    private volatile String dtype = "float64";
    private boolean lossesUnsupported;
    private boolean closed;
    private boolean leftOnBye; // the last close(): did the child exit by itself?

    /**
     * @param command        program and arguments, run directly (no shell)
     * @param workingDir     the child's working directory; null for this process's
     * @param requestTimeout longest wait for one answer
     * @param startTimeout   longest wait for the answer to {@code hello} (includes the child's start-up)
     * @param environment    what the child sees of this process's environment
     */
    public ProcessNetwork(List<String> command, Path workingDir, Duration requestTimeout, Duration startTimeout,
                          ChildEnvironment environment) {
        if (command == null || command.isEmpty() || command.get(0).isBlank()) {
            throw new IllegalArgumentException("ProcessNetwork: empty command");
        }
        this.command = List.copyOf(command);
        this.display = display(this.command);
        this.workingDir = workingDir;
        this.requestTimeout = positive(requestTimeout, "requestTimeout");
        this.startTimeout = positive(startTimeout, "startTimeout");
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** With the minimal environment ({@link ChildEnvironment#MINIMAL}). */
    public ProcessNetwork(List<String> command, Path workingDir, Duration requestTimeout, Duration startTimeout) {
        this(command, workingDir, requestTimeout, startTimeout, ChildEnvironment.MINIMAL);
    }

    /** With the default timeouts (30 s per answer, 20 s for the start), in this process's working directory. */
    public ProcessNetwork(List<String> command) {
        this(command, null, DEFAULT_REQUEST_TIMEOUT, DEFAULT_START_TIMEOUT);
    }

    /** {@code ProcessNetwork.of("python3 examples/numpy/net.py --bug tanh-tan")}, default timeouts. */
    public static ProcessNetwork of(String commandLine) {
        return new ProcessNetwork(parse(commandLine));
    }

    private static Duration positive(Duration d, String what) {
        if (d == null || d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("ProcessNetwork: " + what + " must be positive, got " + d);
        }
        return d;
    }

    /**
     * Splits a command line the way a POSIX shell splits words, without running a shell: words are
     * separated by whitespace; {@code '...'} keeps everything literally; {@code "..."} keeps
     * everything but {@code \"} and {@code \\}; outside quotes a backslash keeps the next character.
     * No variables, globs, pipes or redirections.
     *
     * @throws IllegalArgumentException for an empty command or an unterminated quote
     */
    public static List<String> parse(String commandLine) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < commandLine.length(); i++) {
            char c = commandLine.charAt(i);
            if (quote == '\'') {
                if (c == '\'') {
                    quote = 0;
                } else {
                    word.append(c);
                }
            } else if (quote == '"') {
                if (c == '"') {
                    quote = 0;
                } else if (c == '\\' && i + 1 < commandLine.length()
                        && (commandLine.charAt(i + 1) == '"' || commandLine.charAt(i + 1) == '\\')) {
                    word.append(commandLine.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                inWord = true;
                if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '\\') {
                    if (i + 1 == commandLine.length()) {
                        throw new IllegalArgumentException("command ends with a lone backslash: " + commandLine);
                    }
                    word.append(commandLine.charAt(++i));
                } else {
                    word.append(c);
                }
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unterminated " + quote + " quote in command: " + commandLine);
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return words;
    }

    /** The words joined back, quoted where {@link #parse} needs it. */
    static String display(List<String> words) {
        StringBuilder sb = new StringBuilder();
        for (String w : words) {
            if (sb.length() > 0) {
                sb.append(' ');
            }
            if (!w.isEmpty() && w.chars().noneMatch(c -> Character.isWhitespace(c) || "'\"\\".indexOf(c) >= 0)) {
                sb.append(w);
            } else {
                sb.append('\'').append(w.replace("'", "'\\''")).append('\'');
            }
        }
        return sb.toString();
    }

    /** The command as one line, as it starts every error message. */
    public String command() {
        return display;
    }

    /** What the child sees of this process's environment. */
    public ChildEnvironment environment() {
        return environment;
    }

    /** The running child, if any (for tests and diagnostics). */
    public synchronized Optional<ProcessHandle> process() {
        return child == null ? Optional.empty() : Optional.of(child.process.toHandle());
    }

    /** The running child and every process it is known to have started (for tests and diagnostics). */
    public synchronized Set<ProcessHandle> processTree() {
        if (child == null) {
            return Set.of();
        }
        Set<ProcessHandle> all = child.descendantsSeen();
        all.add(child.process.toHandle());
        return all;
    }

    /** The implementation's name from its {@code hello} answer; the command before that. */
    @Override
    public String name() {
        return implementation != null ? implementation : display;
    }

    /** {@code float64} or {@code float32}, from the {@code hello} answer; {@code float64} before that. */
    @Override
    public String dtype() {
        return dtype;
    }

    /**
     * Starts the child if needed and greets it for this network now, rather than on the first
     * call: a command that does not work fails here, before any check runs.
     */
    public synchronized void start(NetworkDescription network) {
        if (closed) {
            throw new IllegalStateException(display + ": used after close()");
        }
        if (child == null) {
            launch();
        }
        if (!network.equals(greeted)) {
            hello(network);
        }
    }

    // ---------------------------------------------------------------- the three calls

    @Override
    public synchronized Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        return ask(network, parameters, batch, true, false).evaluation();
    }

    @Override
    public synchronized double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        return ask(network, parameters, batch, false, false).evaluation().loss();
    }

    /** An answer to {@code evaluate} with the gradient with respect to the inputs too (version 2). */
    public record WithInputGradient(Evaluation evaluation, double[][] inputGradient) {
    }

    /**
     * Loss, gradient and dL/dx, one flattened row per example (version 2 only; not for token ids).
     *
     * @throws IllegalStateException for a child that speaks version 1 only, as every failure
     */
    public synchronized WithInputGradient evaluateWithInputGradient(NetworkDescription network, Parameters parameters,
                                                                    Batch batch) {
        if (GraphWire.tokens(GraphWire.of(network))) {
            throw new IllegalArgumentException(display + ": the input gradient is not defined for token ids");
        }
        start(network);
        if (conversing != GraphWire.VERSION) {
            throw new IllegalStateException(display + ": the input gradient needs protocol 2; the child answered the"
                    + " protocol 2 hello with: " + versionOneAnswer);
        }
        return ask(network, parameters, batch, true, true);
    }

    private WithInputGradient ask(NetworkDescription network, Parameters parameters, Batch batch, boolean gradient,
                                  boolean input) {
        start(network);
        if (conversing == GraphWire.VERSION) {
            GraphDescription d = GraphWire.of(network);
            JsonNode answer = ok("evaluate", exchange("evaluate",
                    request(GraphWire.evaluate(d, parameters, batch, gradient, input)), requestTimeout));
            return check("evaluate", () -> {
                double loss = Protocol.number(answer.get("loss"), "loss");
                Parameters grad = gradient
                        ? GraphWire.like(GraphWire.tensors(answer.get("gradient"), "gradient", d), parameters) : null;
                double[][] dx = input ? GraphWire.inputGradient(answer.get("input_gradient"), d, batch.size()) : null;
                return new WithInputGradient(new Evaluation(loss, grad), dx);
            });
        }
        NetworkDescription v1 = Negotiation.version1(network);
        JsonNode answer = ok("evaluate", exchange("evaluate",
                evaluateRequest(Negotiation.version1(parameters, network), batch, gradient), requestTimeout));
        return check("evaluate", () -> new WithInputGradient(new Evaluation(Protocol.number(answer.get("loss"), "loss"),
                gradient ? Negotiation.named(Protocol.parameters(answer.get("gradient"), "gradient", v1), network) : null),
                null));
    }

    /**
     * One {@code losses} request per {@value #PERTURBATIONS_PER_REQUEST} perturbations. A child that
     * refuses {@code losses} is asked for each loss with {@code evaluate} instead, from then on.
     */
    @Override
    public synchronized double[] losses(NetworkDescription network, Parameters parameters, Batch batch,
                                        List<Perturbation> perturbations) {
        double[] out = new double[perturbations.size()];
        for (int from = 0; from < out.length; from += PERTURBATIONS_PER_REQUEST) {
            List<Perturbation> chunk = perturbations.subList(from, Math.min(out.length, from + PERTURBATIONS_PER_REQUEST));
            double[] part;
            if (lossesUnsupported) {
                part = NetworkUnderTest.super.losses(network, parameters, batch, chunk);
            } else {
                start(network);
                JsonNode answer = exchange("losses", lossesRequest(network, parameters, batch, chunk), requestTimeout);
                if (!answer.get("ok").booleanValue()) {
                    lossesUnsupported = true;
                    part = NetworkUnderTest.super.losses(network, parameters, batch, chunk);
                } else {
                    part = check("losses", () -> {
                        JsonNode list = Protocol.array(answer.get("losses"), "losses");
                        if (list.size() != chunk.size()) {
                            throw new Protocol.Violation(list.size() + " losses for " + chunk.size() + " perturbations");
                        }
                        return Protocol.vector(list, "losses", chunk.size(), "one per perturbation");
                    });
                }
            }
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    private byte[] lossesRequest(NetworkDescription network, Parameters parameters, Batch batch,
                                 List<Perturbation> chunk) {
        if (conversing == GraphWire.VERSION) {
            return request(GraphWire.losses(GraphWire.of(network), parameters, batch, chunk));
        }
        Parameters v1 = Negotiation.version1(parameters, network);
        return request(g -> {
            g.writeStringField("op", "losses");
            Protocol.writeParameters(g, "params", v1);
            Protocol.writeMatrix(g, "x", "x", batch.x());
            Protocol.writeMatrix(g, "y", "y", batch.y());
            g.writeArrayFieldStart("perturbations");
            for (Perturbation p : chunk) {
                Protocol.writePerturbation(g, Negotiation.version1(p, network));
            }
            g.writeEndArray();
        });
    }

    /** Whether the child refused {@code losses} and is asked point by point instead. */
    public synchronized boolean asksPointByPoint() {
        return lossesUnsupported;
    }

    /** A request line; a value JSON cannot carry (NaN, Infinity) is the caller's error. */
    private byte[] request(Protocol.Body body) {
        try {
            return Protocol.line(body);
        } catch (Protocol.Violation v) {
            throw new IllegalArgumentException(display + ": cannot send " + v.getMessage());
        }
    }

    private byte[] evaluateRequest(Parameters parameters, Batch batch, boolean gradient) {
        return request(g -> {
            g.writeStringField("op", "evaluate");
            Protocol.writeParameters(g, "params", parameters);
            Protocol.writeMatrix(g, "x", "x", batch.x());
            Protocol.writeMatrix(g, "y", "y", batch.y());
            g.writeArrayFieldStart("want");
            g.writeString("loss");
            if (gradient) {
                g.writeString("gradient");
            }
            g.writeEndArray();
        });
    }

    /**
     * Sends {@code bye}, waits up to 2 s for the child to exit, then ends it: destroy, then forcibly
     * the child and every process it started. Waits (bounded) for all of them to exit.
     */
    @Override
    public synchronized void close() {
        closed = true;
        if (child == null) {
            return;
        }
        ChildProcess c = child;
        child = null;
        greeted = null;
        c.rememberDescendants();
        c.write(Protocol.line(g -> g.writeStringField("op", "bye")));
        leftOnBye = c.end(BYE_GRACE_MILLIS);
    }

    /** Whether the child ended by itself after the last {@link #close()}'s {@code bye}, before the grace ran out. */
    boolean leftOnBye() {
        return leftOnBye;
    }

    // ---------------------------------------------------------------- the exchange

    private interface Check<T> {
        T get();
    }

    /** Validates an {@code ok: true} answer; a violation kills the child. */
    private <T> T check(String op, Check<T> body) {
        try {
            return body.get();
        } catch (Protocol.Violation v) {
            throw fail("answer to " + op + ": " + v.getMessage());
        }
    }

    /** The answer if it says {@code ok: true}; the child's refusal as an exception otherwise. */
    private JsonNode ok(String op, JsonNode answer) {
        if (answer.get("ok").booleanValue()) {
            return answer;
        }
        String why = error(answer);
        String message = display + ": refused " + op + ": " + why + stderrSuffix(child);
        throw op.equals("hello") ? new Refusal(message, why) : new IllegalStateException(message);
    }

    private void launch() {
        try {
            // PYTHONUNBUFFERED: the most common mistake of a Python child is answers sitting in a full stdout buffer
            child = ChildProcess.start(command, workingDir, environment, Map.of("PYTHONUNBUFFERED", "1"), MAX_LINE_BYTES);
        } catch (IOException e) {
            throw new IllegalStateException(display + ": could not start: " + e.getMessage() + howToRun(e), e);
        } catch (IllegalStateException shuttingDown) {
            throw new IllegalStateException(display + ": " + shuttingDown.getMessage());
        }
        greeted = null;
        // a fresh process is asked again
        versionOneOnly = false;
        versionOneAnswer = null;
    }

    /** For a program that exists but cannot be run, how to run it (Java's error=13 and error=8). */
    private String howToRun(IOException e) {
        String m = String.valueOf(e.getMessage());
        if (!m.contains("error=13") && !m.contains("error=8")) {
            return "";
        }
        String file = command.get(0);
        String example = file.endsWith(".py") ? "`python3 " + file + "`" : file.endsWith(".sh") ? "`bash " + file + "`"
                : "its interpreter (`python3 " + file + "`, `bash " + file + "`)";
        return m.contains("error=13") ? "; make it executable (chmod +x " + file + ") or run it as " + example
                : "; give it a #! line (#!/usr/bin/env python3) or run it as " + example;
    }

    /**
     * Greets the child in version 2 unless it has shown it speaks version 1 only; a version 1 child
     * gets a dense chain again in version 1, or the error naming why the network needs version 2.
     */
    private void hello(NetworkDescription network) {
        if (!versionOneOnly) {
            GraphDescription d = GraphWire.of(network);
            JsonNode answer = exchange("hello", request(GraphWire.hello(d)), startTimeout);
            switch (Negotiation.read(answer.get("ok").booleanValue(), answer.get("protocol"))) {
                case VERSION_2 -> {
                    greet(answer, network, GraphWire.VERSION);
                    return;
                }
                case REFUSED -> ok("hello", answer);
                case UNKNOWN -> check("hello", () -> {
                    throw new Protocol.Violation("protocol is " + Protocol.show(answer.get("protocol"))
                            + ", the parent accepts 1 and 2");
                });
                case VERSION_1 -> {
                    versionOneOnly = true;
                    versionOneAnswer = answer.get("ok").booleanValue() ? "ok without protocol 2" : error(answer);
                }
            }
        }
        java.util.Optional<String> why = Negotiation.whyNotVersion1(network);
        if (why.isPresent()) {
            throw new IllegalStateException(display + ": " + Negotiation.needsVersion2(why.get(), versionOneAnswer));
        }
        JsonNode answer = ok("hello", exchange("hello", request(g -> {
            g.writeStringField("op", "hello");
            g.writeNumberField("protocol", Protocol.VERSION);
            Protocol.writeNetwork(g, Negotiation.version1(network));
        }), startTimeout));
        check("hello", () -> {
            JsonNode protocol = answer.get("protocol");
            if (protocol != null && !(protocol.isIntegralNumber() && protocol.intValue() == Protocol.VERSION)) {
                throw new Protocol.Violation("protocol is " + Protocol.show(protocol) + ", this is protocol "
                        + Protocol.VERSION);
            }
            return null;
        });
        greet(answer, network, Protocol.VERSION);
    }

    /** Takes the implementation's name and dtype from an accepted hello. */
    private void greet(JsonNode answer, NetworkDescription network, int version) {
        check("hello", () -> {
            String type = answer.has("dtype") ? Protocol.text(answer.get("dtype"), "dtype") : "float64";
            if (!type.equals("float64") && !type.equals("float32")) {
                throw new Protocol.Violation("dtype is \"" + type + "\", expected \"float64\" or \"float32\"");
            }
            String name = answer.has("implementation") ? Protocol.text(answer.get("implementation"), "implementation")
                    : display;
            implementation = name.isBlank() ? display : name;
            dtype = type;
            return null;
        });
        child.rememberDescendants();
        greeted = network;
        conversing = version;
    }

    private static String error(JsonNode answer) {
        JsonNode error = answer.get("error");
        return error == null || error.isNull() ? "(no error message)"
                : error.isTextual() ? error.textValue() : error.toString();
    }

    /** Sends one line and waits for one answer line, every wait bounded by the timeout. */
    private JsonNode exchange(String op, byte[] request, Duration timeout) {
        ChildProcess c = child;
        for (ChildProcess.Out stray; (stray = c.stdout.poll()) != null; ) {
            if (stray instanceof ChildProcess.Line line) {
                if (line.text().isBlank()) {
                    continue;
                }
                throw fail("printed a line nobody asked for, before " + op + ": " + Protocol.quote(line.text(), QUOTE));
            }
            return answer(op, stray);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        Future<?> write = c.write(request);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw fail("no answer to " + op + " within " + human(timeout) + " (the process is still running"
                            + (write.isDone() ? "" : " but had not read the whole request") + "; killed)");
                }
                ChildProcess.Out out = c.stdout.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS);
                if (out == null && !c.process.isAlive()) {
                    // it exited: its last words may still be in the pipe
                    out = c.stdout.poll(EXIT_GRACE_MILLIS, TimeUnit.MILLISECONDS);
                    if (out == null) {
                        throw fail(exited(c) + " before answering " + op
                                + " (its stdout is still open, held by a process it started)");
                    }
                }
                if (out instanceof ChildProcess.Line line && line.text().isBlank()) {
                    continue;   // blank lines are not answers
                }
                if (out != null) {
                    return answer(op, out);
                }
                if (write.isDone() && failed(write) && !c.awaitExit(Math.min(EXIT_GRACE_MILLIS, left / 1_000_000))) {
                    throw fail("stopped reading its stdin before reading " + op
                            + " (the process is still running; killed)");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw fail("interrupted while waiting for the answer to " + op + " (killed)");
        }
    }

    private static boolean failed(Future<?> f) {
        try {
            f.get();
            return false;
        } catch (ExecutionException e) {
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** One thing read from stdout as the answer to {@code op}: a parsed object, or a failure. */
    private JsonNode answer(String op, ChildProcess.Out out) {
        ChildProcess c = child;
        if (out instanceof ChildProcess.Line line) {
            return parse(op, line.text());
        }
        if (out instanceof ChildProcess.Partial partial) {
            String state = c.awaitExit(1000) ? exitedLower(c) : "the process is still running; killed";
            throw fail("answer to " + op + " was cut off: its stdout ended in the middle of a line (" + state + "): "
                    + Protocol.quote(partial.text(), QUOTE));
        }
        if (out instanceof ChildProcess.TooLong tooLong) {
            throw fail("answer to " + op + " is longer than " + (tooLong.limit() >> 20)
                    + " MiB, the limit on one line (killed)");
        }
        if (out instanceof ChildProcess.ReadFailed failed) {
            throw fail("could not read the answer to " + op + ": " + failed.error().getMessage());
        }
        // end of stdout
        if (c.awaitExit(1000)) {
            throw fail(exited(c) + " before answering " + op);
        }
        throw fail("closed its stdout before answering " + op + " (the process is still running; killed)");
    }

    private JsonNode parse(String op, String text) {
        JsonNode node;
        try {
            node = Protocol.STRICT.readTree(text);
        } catch (JsonProcessingException e) {
            throw fail(notJson(op, text));
        }
        if (node == null || !node.isObject()) {
            throw fail("answer to " + op + " is not a JSON object: " + Protocol.quote(text, QUOTE));
        }
        JsonNode ok = node.get("ok");
        if (ok == null || !ok.isBoolean()) {
            throw fail("answer to " + op + (ok == null ? " has no \"ok\"" : " has \"ok\": " + Protocol.show(ok)
                    + ", expected true or false") + ": " + Protocol.quote(text, QUOTE));
        }
        return node;
    }

    /** Why a line is not JSON; for NaN or Infinity, which field holds it if that can be told. */
    private String notJson(String op, String text) {
        String head = "answer to " + op + " is not valid JSON";
        JsonNode lenient;
        try {
            lenient = Protocol.LENIENT.readTree(text);
        } catch (JsonProcessingException e) {
            // Almost always a print() or a progress bar: say where such output belongs.
            return head + " (stdout is reserved for the protocol; write logs to stderr): " + Protocol.quote(text, QUOTE);
        }
        head += " (NaN/Infinity are not JSON numbers)";
        if (lenient != null && lenient.isObject()) {
            try {
                switch (op) {
                    case "evaluate" -> {
                        Protocol.number(lenient.get("loss"), "loss");
                        if (lenient.has("gradient") && greeted != null) {
                            if (conversing == GraphWire.VERSION) {
                                GraphWire.tensors(lenient.get("gradient"), "gradient", GraphWire.of(greeted));
                            } else {
                                Protocol.parameters(lenient.get("gradient"), "gradient", Negotiation.version1(greeted));
                            }
                        }
                        if (lenient.has("input_gradient") && greeted != null && conversing == GraphWire.VERSION) {
                            GraphWire.inputGradient(lenient.get("input_gradient"), GraphWire.of(greeted),
                                    lenient.get("input_gradient").size());
                        }
                    }
                    case "losses" -> Protocol.vector(lenient.get("losses"), "losses", -1, "one per perturbation");
                    default -> {
                    }
                }
            } catch (Protocol.Violation v) {
                if (v.getMessage().endsWith(" is NaN") || v.getMessage().endsWith("Infinity")) {
                    return head + ": " + v.getMessage();
                }
            }
        }
        return head + ": " + Protocol.quote(text, QUOTE);
    }

    /** Kills the child and makes the exception; the message ends with the child's last stderr lines. */
    private IllegalStateException fail(String cause) {
        ChildProcess c = child;
        child = null;
        greeted = null;
        if (c != null) {
            c.kill();
        }
        return new IllegalStateException(display + ": " + cause + stderrSuffix(c));
    }

    private static String exited(ChildProcess c) {
        return "exited with code " + c.process.exitValue();
    }

    private static String exitedLower(ChildProcess c) {
        return "it exited with code " + c.process.exitValue();
    }

    static String stderrSuffix(ChildProcess c) {
        if (c == null) {
            return "";
        }
        if (!c.process.isAlive()) {
            c.awaitStderr(500);
        }
        List<String> tail = c.stderrTail();
        if (tail.isEmpty()) {
            return "\n(nothing on stderr)";
        }
        StringBuilder sb = new StringBuilder("\nlast lines of stderr:");
        for (String line : tail) {
            sb.append("\n  ").append(line);
        }
        return sb.toString();
    }

    /** {@code 30 s}, {@code 500 ms}, {@code 1.5 s}. */
    static String human(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms % 1000 == 0) {
            return ms / 1000 + " s";
        }
        return (ms / 100) / 10.0 + " s";
    }

    /** The command line: how this implementation's messages begin. */
    @Override
    public String toString() {
        return command();
    }
}
