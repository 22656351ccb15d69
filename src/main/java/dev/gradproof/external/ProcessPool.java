package dev.gradproof.external;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apiguardian.api.API;

/**
 * Several copies of one external process (a spec's {@code workers: N}): the perturbed losses of a
 * finite difference are split into N contiguous parts answered side by side, one part per child;
 * everything else goes to the first child. Each child is an ordinary {@link ProcessNetwork}, with
 * its own timeouts and its own refusals; the first failure is the pool's failure.
 */
@API(status = INTERNAL, since = "0.2")
public final class ProcessPool implements NetworkUnderTest, AutoCloseable {
    private final List<ProcessNetwork> children;
    private final ExecutorService threads;

    public ProcessPool(List<ProcessNetwork> children) {
        if (children.isEmpty()) {
            throw new IllegalArgumentException("a pool needs at least one process");
        }
        this.children = List.copyOf(children);
        this.threads = Executors.newFixedThreadPool(children.size(), r -> {
            Thread t = new Thread(r, "gradproof-worker");
            t.setDaemon(true);
            return t;
        });
    }

    public List<ProcessNetwork> children() {
        return children;
    }

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        return children.get(0).evaluate(network, parameters, batch);
    }

    @Override
    public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        return children.get(0).loss(network, parameters, batch);
    }

    @Override
    public double[] losses(NetworkDescription network, Parameters parameters, Batch batch,
                           List<Perturbation> perturbations) {
        int n = perturbations.size();
        int parts = Math.min(children.size(), Math.max(1, n));
        List<Future<double[]>> answers = new ArrayList<>();
        for (int w = 0; w < parts; w++) {
            List<Perturbation> part = perturbations.subList(n * w / parts, n * (w + 1) / parts);
            ProcessNetwork child = children.get(w);
            answers.add(threads.submit(() -> child.losses(network, parameters, batch, part)));
        }
        double[] out = new double[n];
        for (int w = 0; w < parts; w++) {
            double[] part;
            try {
                part = answers.get(w).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(children.get(w) + ": interrupted while waiting for perturbed losses", e);
            } catch (ExecutionException e) {
                answers.forEach(f -> f.cancel(true));
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(children.get(w) + ": " + e.getCause(), e.getCause());
            }
            System.arraycopy(part, 0, out, n * w / parts, part.length);
        }
        return out;
    }

    @Override
    public String name() {
        return children.get(0).name();
    }

    @Override
    public String dtype() {
        return children.get(0).dtype();
    }

    /** Closes every child (each is waited for, then killed if it stays), then the threads. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (ProcessNetwork child : children) {
            try {
                child.close();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        threads.shutdownNow();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return children.get(0) + " (" + children.size() + " workers)";
    }
}
