package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.WeightSpec;
import dev.gradproof.spec.layers.LossOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.apiguardian.api.API;

/**
 * A small network that exercises one layer type, with the inputs and parameters it needs: catalogue
 * metadata that every check iterates (reference vs tape, backward vs exact, vs finite differences, vs
 * PyTorch). Awkward cases (stride 2 with padding, ties, kinks at exactly 0, repeated token ids, length-1
 * sequences) are samples like any other.
 *
 * @param name     what it shows, e.g. {@code conv2d stride 2 padding 1}
 * @param input    the network's input shape
 * @param examples N
 * @param layers   adds the layers after the input
 * @param inputs   how inputs are drawn
 * @param theta    what is done to drawn parameters (e.g. a zero shift to put a ReLU at exactly 0)
 */
@API(status = INTERNAL, since = "0.2")
public record Sample(String name, Shape input, int examples, Consumer<GraphBuilder> layers, Inputs inputs,
                     ThetaFix theta) {

    /** Draws a trial's inputs. */
    @FunctionalInterface
    public interface Inputs {
        double[] draw(Shape shape, int examples, SplittableRandom rnd);
    }

    /** Adjusts drawn parameters in place. */
    @FunctionalInterface
    public interface ThetaFix {
        void apply(GraphLayout layout, double[] theta);
    }

    public static Sample of(String name, Shape input, int examples, Consumer<GraphBuilder> layers) {
        return new Sample(name, input, examples, layers, SampleData::normal, (l, t) -> { });
    }

    public Sample withInputs(Inputs i) {
        return new Sample(name, input, examples, layers, i, theta);
    }

    public Sample withTheta(ThetaFix t) {
        return new Sample(name, input, examples, layers, inputs, t);
    }

    /** The sample's input and layers, for a caller to add the loss (and L2, reduction). */
    public GraphBuilder builder() {
        GraphBuilder b = GraphNetwork.builder().input(input);
        layers.accept(b);
        return b;
    }

    /** The sample's layers with a loss on the last one, mean over examples. */
    public GraphNetwork network(LossOptions loss) {
        return builder().loss(loss).build();
    }

    /** Parameters, inputs and targets drawn from the seed. */
    public GraphCase draw(GraphNetwork g, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] theta = GraphInit.draw(g.layout(), new WeightSpec("xavier", 0.1, -0.12, 0.12, "same"), rnd.split());
        this.theta.apply(g.layout(), theta);
        double[] x = inputs.draw(input, examples, rnd.split());
        double[] y = SampleData.targets(g, examples, rnd.split());
        return new GraphCase(name, g, theta, new GraphData(examples, x, y, seed));
    }

    @Override
    public String toString() {
        return name;
    }
}
