package dev.gradproof.compare;

import dev.gradproof.network.graph.Batch;
import dev.gradproof.network.graph.GraphNetwork;
import dev.gradproof.network.graph.GraphNode;
import dev.gradproof.network.graph.Layer;
import dev.gradproof.network.graph.Tape;
import dev.gradproof.spec.layers.ConvOptions;
import dev.gradproof.spec.layers.Shape;

import java.util.ArrayList;
import java.util.List;

/**
 * A hypothesis, not a layer to train with: a convolution whose input gradient is computed from its kernel
 * rotated by 180 degrees (w[kh−1−ky, kw−1−kx] read for w[ky, kx]), its own parameters' gradients and its
 * forward pass right. {@link GraphFindings} compares a run's analytic gradients with this network's.
 */
final class MirroredKernel extends Layer {
    private final Layer conv;
    private final int outC;
    private final int c;
    private final int kh;
    private final int kw;

    MirroredKernel(GraphNetwork g, GraphNode node) {
        super(node.options(), inputShapes(g, node));
        ConvOptions o = (ConvOptions) node.options();
        conv = node.layer();
        outC = o.outChannels();
        c = in[0].dim(0);
        kh = o.axes() == 2 ? o.kernel()[0] : 1;
        kw = o.kernel()[o.axes() - 1];
    }

    private static List<Shape> inputShapes(GraphNetwork g, GraphNode node) {
        List<Shape> shapes = new ArrayList<>();
        for (int i : node.inputs()) {
            shapes.add(i < 0 ? g.inputShape() : g.nodes().get(i).shape());
        }
        return shapes;
    }

    @Override
    public Object forward(double[] theta, int base, double[][] x, double[] y, Batch b) {
        return conv.forward(theta, base, x, y, b);
    }

    @Override
    public void exact(Tape tape, int base, int[][] x, int[] y, Batch b) {
        conv.exact(tape, base, x, y, b);
    }

    @Override
    public void backward(double[] theta, int base, double[][] x, double[] y, Object saved, double[] dy, double[][] dx,
                         double[] grad, Batch b) {
        double[][] unused = new double[dx.length][];
        for (int k = 0; k < dx.length; k++) {
            unused[k] = dx[k] == null ? null : new double[dx[k].length];
        }
        conv.backward(theta, base, x, y, saved, dy, unused, grad, b);
        double[] mirrored = theta.clone();
        for (int o = 0; o < outC; o++) {
            for (int ci = 0; ci < c; ci++) {
                for (int ky = 0; ky < kh; ky++) {
                    for (int kx = 0; kx < kw; kx++) {
                        int at = ((o * c + ci) * kh + ky) * kw + kx;
                        mirrored[base + at] = theta[base + ((o * c + ci) * kh + kh - 1 - ky) * kw + kw - 1 - kx];
                    }
                }
            }
        }
        conv.backward(mirrored, base, x, y, saved, dy, dx, new double[grad.length], b);
    }
}
