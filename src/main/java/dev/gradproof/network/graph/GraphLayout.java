package dev.gradproof.network.graph;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.api.Coordinate;
import dev.gradproof.spec.layers.ParameterTensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Where each scalar parameter of a graph lives in the flat vector θ, and its one name: {@code
 * conv1.weight[3,0,1,2]} is entry [3,0,1,2] of layer conv1's tensor {@code weight} (PyTorch's shape,
 * row-major, indices from 0). Tensors follow the layers in spec order, each layer's in PyTorch's order.
 * A dense chain's {@code W2[3,7]} is {@code dense2.weight[3,7]} here, {@code b1[0]} is {@code dense1.bias[0]}.
 */
@API(status = INTERNAL, since = "0.2")
public final class GraphLayout {

    /**
     * One named tensor.
     *
     * @param group     {@code conv1.weight}: layer name, dot, tensor name
     * @param layer     1-based layer index in spec order
     * @param layerName the layer's name
     * @param tensor    its name, shape, role and fans
     * @param offset    where its first entry is in θ
     * @param frozen    whether its layer is frozen (takes part in the forward pass, is not checked)
     */
    public record Tensor(String group, int layer, String layerName, ParameterTensor tensor, int offset, boolean frozen) {
        public int size() {
            return tensor.size();
        }
    }

    private final List<Tensor> tensors;
    private final int[] starts;
    private final int total;

    GraphLayout(List<Tensor> tensors) {
        this.tensors = List.copyOf(tensors);
        starts = new int[tensors.size()];
        int t = 0;
        for (int i = 0; i < tensors.size(); i++) {
            starts[i] = tensors.get(i).offset();
            t = tensors.get(i).offset() + tensors.get(i).size();
        }
        total = t;
    }

    public int total() {
        return total;
    }

    public List<Tensor> tensors() {
        return tensors;
    }

    /** The tensor parameter p belongs to. */
    public Tensor tensorOf(int p) {
        if (p < 0 || p >= total) {
            throw new IndexOutOfBoundsException("parameter " + p + " of " + total);
        }
        int i = Arrays.binarySearch(starts, p);
        return tensors.get(i >= 0 ? i : -i - 2);
    }

    /** The tensor called {@code group} ({@code conv1.weight}), or null. */
    public Tensor tensor(String group) {
        for (Tensor t : tensors) {
            if (t.group().equals(group)) {
                return t;
            }
        }
        return null;
    }

    /** {@code conv1.weight}. */
    public String group(int p) {
        return tensorOf(p).group();
    }

    /** 1-based layer index in spec order. */
    public int layer(int p) {
        return tensorOf(p).layer();
    }

    /** Biases and normalisation affine parameters (excluded from L2 unless asked). */
    public boolean isBias(int p) {
        return tensorOf(p).tensor().biasLike();
    }

    public boolean frozen(int p) {
        return tensorOf(p).frozen();
    }

    /** p's indices within its tensor, outermost first. */
    public int[] index(int p) {
        Tensor t = tensorOf(p);
        int[] shape = t.tensor().shape();
        int[] idx = new int[shape.length];
        int rest = p - t.offset();
        for (int a = shape.length - 1; a >= 0; a--) {
            idx[a] = rest % shape[a];
            rest /= shape[a];
        }
        return idx;
    }

    /** {@code conv1.weight[3,0,1,2]}. */
    /** Where parameter p lives, as a typed coordinate ({@code conv1.weight[3,0,1,2]}). */
    public Coordinate coordinate(int p) {
        List<Integer> index = new ArrayList<>();
        for (int i : index(p)) {
            index.add(i);
        }
        return new Coordinate(layer(p), group(p), isBias(p), index);
    }

    public String name(int p) {
        int[] idx = index(p);
        StringBuilder sb = new StringBuilder(group(p)).append('[');
        for (int a = 0; a < idx.length; a++) {
            sb.append(a == 0 ? "" : ",").append(idx[a]);
        }
        return sb.append(']').toString();
    }

    /** Indices of every parameter not in a frozen layer. */
    public List<Integer> trainable() {
        List<Integer> out = new ArrayList<>();
        for (Tensor t : tensors) {
            if (!t.frozen()) {
                for (int p = t.offset(); p < t.offset() + t.size(); p++) {
                    out.add(p);
                }
            }
        }
        return out;
    }
}
