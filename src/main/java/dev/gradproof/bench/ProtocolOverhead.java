package dev.gradproof.bench;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.compare.Conversions;
import dev.gradproof.compare.GraphConversions;
import dev.gradproof.external.ProcessNetwork;
import dev.gradproof.external.ProcessPool;
import dev.gradproof.external.RequestDump;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.TrialCase;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.network.graph.GraphCase;
import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphLayout;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.spec.Spec;
import org.apiguardian.api.API;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Issue #17's fourth target, on a small dense network and on LeNet-5: the perturbed losses of a finite-difference check asked of the
 * numpy child (examples/numpy/net, protocol 2, batched {@code losses}) against the same numpy code timed
 * in-process on exactly that request (examples/numpy/bench_losses.py), and the same request through a
 * pool of {@code workers: N} children.
 */
@API(status = INTERNAL, since = "0.2")
public final class ProtocolOverhead {
    /** The Richardson stencil's four steps, as the finite-difference oracle asks them. */
    private static final double[] STEPS = {1e-3, -1e-3, 2e-3, -2e-3};

    public static final String HEADER = "| network | perturbed losses | workers | through the protocol s | same numpy code "
            + "in-process s | ratio | speed-up over 1 worker |\n|---|---|---|---|---|---|---|";

    private ProtocolOverhead() {
    }

    /**
     * Every perturbed loss of a full finite-difference check (four per parameter) of the 2-25-50-25-2
     * network on 64 examples, asked of {@code examples/numpy/net} through the protocol's batched
     * {@code losses} (best of three), against the same numpy code timed in-process on the same request.
     * Returns {protocol seconds, in-process seconds, perturbations}.
     */
    public static double[] twoMoons(Consumer<String> progress) throws IOException, InterruptedException {
        Spec spec = Workload.twoMoons(64, Workload.exactAndFiniteDifferences());
        Mlp mlp = NetworkFactory.build(spec);
        TrialCase c = TrialRecipe.full(spec, 0).materialize(spec);
        var layout = mlp.layout();
        var network = Conversions.describe(spec);
        var params = Conversions.parameters(layout, c.trial().theta());
        var batch = Conversions.batch(c.trial().data());
        List<Perturbation> ps = new ArrayList<>();
        for (int p = 0; p < layout.total(); p++) {
            for (double d : STEPS) {
                ps.add(new Perturbation(layout.coordinate(p), d));
            }
        }
        try (var child = new ProcessNetwork(List.of("examples/numpy/net"))) {
            child.evaluate(network, params, batch); // start and warm the child
            double best = Double.POSITIVE_INFINITY;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                child.losses(network, params, batch, ps);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            progress.accept(String.format(Locale.ROOT, "protocol: %,d losses in %.3f s", ps.size(), best));
            return new double[] {best, inProcess(network, params, batch, ps, progress), ps.size()};
        }
    }

    /**
     * Markdown rows for {@code workers} = 1, 2, ...: LeNet-5 ({@code specs/architectures/lenet5.yaml}), the
     * four steps of every {@code stride}-th parameter (each a whole forward pass in numpy).
     */
    public static List<String> lenet5(Path specDir, int stride, int[] workers, Consumer<String> progress)
            throws IOException, InterruptedException {
        Spec spec = Architectures.load(specDir.resolve("lenet5.yaml"));
        GraphNetwork g = GraphFactory.build(spec);
        GraphCase c = GraphFactory.draw(spec, g, 0);
        GraphLayout layout = g.layout();
        NetworkDescription network = GraphConversions.describe(spec, g);
        Parameters params = GraphConversions.parameters(layout, c.theta());
        Batch batch = GraphConversions.batch(g, c.data());
        List<Perturbation> ps = new ArrayList<>();
        for (int p = 0; p < layout.total(); p += stride) {
            for (double d : STEPS) {
                ps.add(new Perturbation(layout.coordinate(p), d));
            }
        }
        double inProcess = inProcess(network, params, batch, ps, progress);
        List<String> rows = new ArrayList<>();
        double one = Double.NaN;
        for (int n : workers) {
            double through = throughProtocol(n, network, params, batch, ps);
            one = n == workers[0] ? through : one;
            progress.accept(String.format(Locale.ROOT, "protocol, %d worker(s): %,d losses in %.3f s", n, ps.size(), through));
            rows.add(row(String.format(Locale.ROOT, "LeNet-5, batch %d", c.data().examples()), ps.size(), n, through,
                    n == 1 ? inProcess : Double.NaN, one / through));
        }
        return rows;
    }

    public static String row(String network, int losses, int workers, double through, double inProcess, double speedUp) {
        return String.format(Locale.ROOT, "| %s | %,d | %d | %.3f | %s | %s | %s |", network, losses, workers, through,
                Double.isNaN(inProcess) ? "-" : String.format(Locale.ROOT, "%.3f", inProcess),
                Double.isNaN(inProcess) ? "-" : String.format(Locale.ROOT, "%.2f %s", through / inProcess,
                        through / inProcess <= 1.2 ? "met (≤ 1.2)" : "**missed** (≤ 1.2)"),
                workers == 1 ? "1 (reference)" : String.format(Locale.ROOT, "×%.2f", speedUp));
    }

    /** Best of three through a pool of {@code workers} children, each started and warmed first. */
    private static double throughProtocol(int workers, NetworkDescription network, Parameters params, Batch batch,
                                          List<Perturbation> ps) {
        List<ProcessNetwork> children = new ArrayList<>();
        for (int i = 0; i < workers; i++) {
            children.add(new ProcessNetwork(List.of("examples/numpy/net")));
        }
        try (ProcessPool pool = new ProcessPool(children)) {
            for (ProcessNetwork child : children) {
                child.evaluate(network, params, batch); // start and warm each child
            }
            NetworkUnderTest n = pool;
            double best = Double.POSITIVE_INFINITY;
            for (int rep = 0; rep < 3; rep++) {
                long t0 = System.nanoTime();
                n.losses(network, params, batch, ps);
                best = Math.min(best, (System.nanoTime() - t0) / 1e9);
            }
            return best;
        }
    }

    /** examples/numpy/bench_losses.py's best of three on the very request, in one Python process. */
    private static double inProcess(NetworkDescription network, Parameters params, Batch batch, List<Perturbation> ps,
                                    Consumer<String> progress) throws IOException, InterruptedException {
        Path request = Files.createTempFile("gradproof-losses", ".json");
        try {
            RequestDump.write(request, network, params, batch, ps);
            Process py = new ProcessBuilder("bash", "-c", "for py in python3 /usr/bin/python3; do "
                    + "$py -c 'import numpy' 2>/dev/null && exec $py examples/numpy/bench_losses.py \"$0\"; done; exit 3",
                    request.toString()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(py.getInputStream().readAllBytes()).strip();
            if (py.waitFor() != 0) {
                throw new IOException("examples/numpy/bench_losses.py failed");
            }
            double seconds = Double.parseDouble(out);
            progress.accept(String.format(Locale.ROOT, "in-process numpy: %,d losses in %.3f s", ps.size(), seconds));
            return seconds;
        } finally {
            Files.deleteIfExists(request);
        }
    }
}
