package dev.gradproof.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import dev.gradproof.api.Batch;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.GraphDescription;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PyTorch 2.7.1 through Deep Java Library 0.36.0, in this JVM: the spec's network built from DJL's ops
 * on float64 arrays, its gradient from autograd through DJL's {@link GradientCollector}. Dense chains and
 * layer graphs (docs/DJL.md lists each layer type's DJL call and what is refused). Used as
 * {@code gradproof check SPEC --impl java:dev.gradproof.djl.DjlNetwork --classpath ...}, or through
 * {@code adapters/djl/gradproof-djl}.
 */
public class DjlNetwork implements NetworkUnderTest {
    /**
     * The system property that makes batch and layer norm use DJL's own kernels (BatchNorm.batchNorm,
     * LayerNorm.layerNorm). They take ε as a float: the spec's 1e-5 becomes 9.99999974738e-06, a slightly
     * different network whose gradient the check tells apart. By default the norms are composed from DJL's
     * mean, sqrt and division in float64 with the spec's ε (docs/DJL.md).
     */
    public static final String FUSED_NORMS = "gradproof.djl.fusedNorms";

    /**
     * DJL's PyTorch engine allows one open GradientCollector per JVM ("A PtGradientCollector is already
     * collecting"), so gradient evaluations from parallel checks take turns.
     */
    private static final Object COLLECTOR = new Object();

    private final boolean fusedNorms;

    /** Norms as {@value #FUSED_NORMS} says (composed unless it is {@code true}). */
    public DjlNetwork() {
        this(Boolean.getBoolean(FUSED_NORMS));
    }

    /** @param fusedNorms whether batch and layer norm use DJL's float-ε kernels */
    public DjlNetwork(boolean fusedNorms) {
        this.fusedNorms = fusedNorms;
    }

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        Engine engine = DjlSetup.engine();
        GraphDescription g = graph(network);
        Parameters given = network.isGraph() ? parameters : DenseChain.asTensors(parameters);
        synchronized (COLLECTOR) {
            Evaluation e = evaluate(engine, g, given, batch);
            String glitch = nonFinite(e);
            if (glitch != null) {
                // Measured here: about one full run of this adapter's tests in four, PyTorch 2.7.1 through DJL left
                // one entry of a finite loss's gradient at -Infinity (always attn.in_proj_weight[6,3] of
                // OptionsTest's spec) and gave the right value when asked again. One recomputation tells such a
                // glitch from a gradient that is really not finite, which stays as it is, for the check to report.
                Evaluation again = evaluate(engine, g, given, batch);
                if (nonFinite(again) == null) {
                    System.err.println("gradproof-djl: PyTorch returned " + glitch + " once and a finite value when "
                            + "asked again; the second answer is used");
                    e = again;
                }
            }
            return network.isGraph() ? e : new Evaluation(e.loss(), DenseChain.fromTensors(e.gradient(), parameters));
        }
    }

    /** The first non-finite gradient entry of an evaluation (by tensor) whose loss is finite, or null. */
    private static String nonFinite(Evaluation e) {
        if (!Double.isFinite(e.loss())) {
            return null;
        }
        for (String name : e.gradient().names()) {
            double[] v = e.gradient().tensor(name).data();
            for (int i = 0; i < v.length; i++) {
                if (!Double.isFinite(v[i])) {
                    return v[i] + " for " + name + " (flat entry " + i + ")";
                }
            }
        }
        return null;
    }

    /** Loss and gradient by tensor, as the graph names them (a dense chain's too). */
    private Evaluation evaluate(Engine engine, GraphDescription g, Parameters given, Batch batch) {
        try (NDManager m = engine.newBaseManager(); GradientCollector collector = engine.newGradientCollector()) {
            DjlGraph run = new DjlGraph(m, g, given, batch, true, fusedNorms);
            collector.backward(run.loss);
            Map<String, Tensor> gradient = new LinkedHashMap<>();
            for (Map.Entry<String, NDArray> t : run.tensors.entrySet()) {
                gradient.put(t.getKey(), new Tensor(given.tensor(t.getKey()).shape(),
                        gradientOf(t.getKey(), t.getValue())));
            }
            return new Evaluation(run.loss.getDouble(), new Parameters(gradient));
        }
    }

    @Override
    public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        Engine engine = DjlSetup.engine();
        Parameters given = network.isGraph() ? parameters : DenseChain.asTensors(parameters);
        try (NDManager m = engine.newBaseManager()) {
            return new DjlGraph(m, graph(network), given, batch, false, fusedNorms).loss.getDouble();
        }
    }

    /**
     * What the gradient collector left for one tensor, row-major in the spec's layout (a tensor the loss
     * does not reach has a zero gradient). The tests plant a layout bug here.
     */
    protected double[] gradientOf(String tensor, NDArray parameter) {
        return parameter.getGradient().toDoubleArray();
    }

    private static GraphDescription graph(NetworkDescription network) {
        return network.isGraph() ? network.graph() : DenseChain.asGraph(network);
    }

    @Override
    public String name() {
        return "PyTorch 2.7 (DJL)";
    }
}
