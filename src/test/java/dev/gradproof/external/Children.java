package dev.gradproof.external;

import dev.gradproof.api.Batch;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.Parameters;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;

/** The fake children of src/test/resources/external and a small network to send them. */
final class Children {
    /** Passed to every fake (and by grandchild.py to its grandchild), to find any survivor. */
    static final String MARKER = "--run=" + UUID.randomUUID();

    /** 3 inputs, 3 tanh units, 4 sigmoid outputs: W1 [3][3], b1 [3], W2 [4][3], b2 [4]. */
    static final NetworkDescription NET = new NetworkDescription(3, List.of(
            new NetworkDescription.Layer(3, 3, "tanh", 0.01, 1.0, null, true),
            new NetworkDescription.Layer(3, 4, "sigmoid", 0.01, 1.0, null, true)),
            "squared_error", "mean", 0.0, false);

    /** 2 inputs, 2 tanh units, 1 identity output without bias: a narrower network. */
    static final NetworkDescription SMALL = new NetworkDescription(2, List.of(
            new NetworkDescription.Layer(2, 2, "tanh", 0.01, 1.0, null, true),
            new NetworkDescription.Layer(2, 1, "identity", 0.01, 1.0, null, false)),
            "squared_error", "sum", 0.0, false);

    private Children() {
    }

    static Parameters params(NetworkDescription net) {
        int layers = net.layers().size();
        double[][][] w = new double[layers][][];
        double[][] b = new double[layers][];
        double v = 0.1;
        for (int l = 0; l < layers; l++) {
            NetworkDescription.Layer layer = net.layers().get(l);
            w[l] = new double[layer.out()][layer.in()];
            for (double[] row : w[l]) {
                for (int j = 0; j < row.length; j++) {
                    row[j] = v;
                    v = -v * 1.1;
                }
            }
            if (layer.bias()) {
                b[l] = new double[layer.out()];
                for (int i = 0; i < b[l].length; i++) {
                    b[l][i] = 0.05 * (i + 1);
                }
            }
        }
        return new Parameters(w, b);
    }

    static Batch batch(NetworkDescription net) {
        double[][] x = new double[5][net.inputs()];
        double[][] y = new double[5][net.outputs()];
        for (int n = 0; n < 5; n++) {
            for (int j = 0; j < x[n].length; j++) {
                x[n][j] = Math.sin(n + 3 * j);
            }
            for (int k = 0; k < y[n].length; k++) {
                y[n][k] = (n + k) % 2;
            }
        }
        return new Batch(x, y);
    }

    static List<String> fakeCommand(String script, String... args) {
        List<String> command = new ArrayList<>(List.of("python3", "src/test/resources/external/" + script));
        command.addAll(List.of(args));
        command.add(MARKER);
        return command;
    }

    /** The command as it starts messages. */
    static String display(String script, String... args) {
        return String.join(" ", fakeCommand(script, args));
    }

    static ProcessNetwork fake(String script, Duration requestTimeout, String... args) {
        return new ProcessNetwork(fakeCommand(script, args), null, requestTimeout, Duration.ofSeconds(20));
    }

    static ProcessNetwork fake(String script, String... args) {
        return fake(script, Duration.ofSeconds(20), args);
    }

    /** Processes still alive whose arguments carry this run's marker. */
    static List<ProcessHandle> survivors() {
        List<ProcessHandle> alive = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(p -> {
            if (p.isAlive() && p.info().arguments().map(a -> List.of(a).contains(MARKER)).orElse(false)) {
                alive.add(p);
            }
        });
        return alive;
    }

    static void assertAllDead(Collection<ProcessHandle> processes) {
        for (ProcessHandle p : processes) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                // checked below
            }
            assertFalse(p.isAlive(), "process " + p.pid() + " " + p.info().commandLine().orElse("") + " is still alive");
        }
    }
}
