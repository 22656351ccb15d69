package dev.gradproof.dl4j;

import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.Objects;

/**
 * A DL4J dropout that multiplies by the mask the harness sends with each request (0 or 1/(1 − p) per
 * entry, docs/PROTOCOL.md), forward and backward, instead of drawing one: DL4J's own
 * {@code Dropout} draws from ND4J's generator, which the reference cannot reproduce. DL4J clones
 * layer configurations; every clone shares one {@link Holder}, so setting the mask once reaches the
 * layer DL4J actually runs.
 */
final class FixedMaskDropout implements IDropout {
    private static final long serialVersionUID = 1L;

    /** The current mask, in DL4J's layout for the layer's input. */
    static final class Holder implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        transient INDArray mask;
    }

    private final String layer;
    private final Holder holder;

    FixedMaskDropout(String layer) {
        this(layer, new Holder());
    }

    private FixedMaskDropout(String layer, Holder holder) {
        this.layer = layer;
        this.holder = holder;
    }

    Holder holder() {
        return holder;
    }

    private INDArray mask(INDArray like) {
        INDArray m = holder.mask;
        if (m == null) {
            throw new IllegalStateException("DL4J adapter: no mask for dropout layer " + layer);
        }
        if (!java.util.Arrays.equals(m.shape(), like.shape())) {
            throw new IllegalStateException("DL4J adapter: the mask of dropout layer " + layer + " has shape "
                    + java.util.Arrays.toString(m.shape()) + ", DL4J's input is " + java.util.Arrays.toString(like.shape()));
        }
        return m;
    }

    @Override
    public INDArray applyDropout(INDArray input, INDArray output, int iteration, int epoch, LayerWorkspaceMgr workspaceMgr) {
        return output.assign(input.mul(mask(input)));
    }

    @Override
    public INDArray backprop(INDArray gradAtOutput, INDArray gradAtInput, int iteration, int epoch) {
        return gradAtInput.assign(gradAtOutput.mul(mask(gradAtOutput)));
    }

    @Override
    public void clear() {
        // The mask belongs to the request, not to one forward pass: kept until the next request sets another.
    }

    @Override
    public IDropout clone() {
        return new FixedMaskDropout(layer, holder);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FixedMaskDropout f && f.layer.equals(layer) && f.holder == holder;
    }

    @Override
    public int hashCode() {
        return Objects.hash(layer);
    }
}
