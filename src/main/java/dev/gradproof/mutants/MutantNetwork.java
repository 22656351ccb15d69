package dev.gradproof.mutants;

import dev.gradproof.api.Batch;
import dev.gradproof.compare.Conversions;
import dev.gradproof.api.Evaluation;
import dev.gradproof.api.NetworkDescription;
import dev.gradproof.api.NetworkUnderTest;
import dev.gradproof.api.Parameters;
import dev.gradproof.api.Perturbation;
import dev.gradproof.network.Dataset;
import dev.gradproof.network.Mlp;
import dev.gradproof.network.NetworkFactory;
import dev.gradproof.network.ParameterLayout;
import dev.gradproof.spec.LayerSpec;
import dev.gradproof.spec.NetworkSpec;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * A mutant as the engine sees any other implementation: it gets the description, parameters and
 * batch through the SPI and answers with its own loss and gradient. The network is rebuilt from the
 * spec's activations at the widths the description gives, so a narrowed (shrunk) network works too.
 */
final class MutantNetwork implements NetworkUnderTest {
    private final String name;
    private final String dtype;
    private final Spec spec;
    private final Function<Mlp, Backprop> backprop;

    MutantNetwork(String name, String dtype, Spec spec, Function<Mlp, Backprop> backprop) {
        this.name = name;
        this.dtype = dtype;
        this.spec = spec;
        this.backprop = backprop;
    }

    @Override
    public Evaluation evaluate(NetworkDescription network, Parameters parameters, Batch batch) {
        Mlp mlp = NetworkFactory.build(spec.withNetwork(shaped(network)));
        double[] theta = Conversions.flatten(mlp.layout(), parameters, name);
        Backprop.Result r = backprop.apply(mlp).run(theta, dataset(network, batch));
        return new Evaluation(r.loss(), Conversions.parameters(mlp.layout(), r.gradient()));
    }

    /** Its own forward pass alone (the default would run the backward pass too). */
    @Override
    public double loss(NetworkDescription network, Parameters parameters, Batch batch) {
        Mlp mlp = NetworkFactory.build(spec.withNetwork(shaped(network)));
        return backprop.apply(mlp).loss(Conversions.flatten(mlp.layout(), parameters, name), dataset(network, batch));
    }

    /** Its own forward pass per perturbation: incrementally where it is the reference's ({@link Backprop#losses}). */
    @Override
    public double[] losses(NetworkDescription network, Parameters parameters, Batch batch,
                           List<Perturbation> perturbations) {
        Mlp mlp = NetworkFactory.build(spec.withNetwork(shaped(network)));
        ParameterLayout layout = mlp.layout();
        double[] theta = Conversions.flatten(layout, parameters, name);
        int[] params = new int[perturbations.size()];
        double[] deltas = new double[params.length];
        for (int q = 0; q < params.length; q++) {
            Perturbation p = perturbations.get(q);
            params[q] = layout.indexOf(p.parameter());
            deltas[q] = p.delta();
        }
        return backprop.apply(mlp).losses(theta, dataset(network, batch), params, deltas);
    }

    private NetworkSpec shaped(NetworkDescription d) {
        List<LayerSpec> layers = spec.network().layers();
        if (d.layers().size() != layers.size() || d.inputs() != spec.network().inputs()) {
            throw new IllegalArgumentException(name + " was built for " + describe(spec.network())
                    + " and cannot evaluate a network with " + d.layers().size() + " layers and " + d.inputs() + " inputs");
        }
        List<LayerSpec> out = new ArrayList<>();
        for (int l = 0; l < layers.size(); l++) {
            LayerSpec s = layers.get(l);
            out.add(new LayerSpec(d.layers().get(l).out(), s.activation(), s.bias(), s.frozen()));
        }
        return new NetworkSpec(d.inputs(), out);
    }

    private static String describe(NetworkSpec n) {
        StringBuilder s = new StringBuilder().append(n.inputs());
        n.layers().forEach(l -> s.append('-').append(l.units()));
        return s.toString();
    }

    private static Dataset dataset(NetworkDescription d, Batch batch) {
        int n = batch.size();
        int in = d.inputs();
        int k = d.outputs();
        double[] x = new double[n * in];
        double[] y = new double[n * k];
        for (int e = 0; e < n; e++) {
            System.arraycopy(batch.x()[e], 0, x, e * in, in);
            System.arraycopy(batch.y()[e], 0, y, e * k, k);
        }
        return new Dataset(n, in, k, x, y);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String dtype() {
        return dtype;
    }
}
