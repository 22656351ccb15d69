package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * One named parameter tensor of a layer, in PyTorch's name and shape ({@code weight} [out, in, kh, kw],
 * {@code weight_ih} [4·hidden, features], {@code out_proj.weight} ...).
 *
 * @param name   the name within the layer, e.g. {@code weight}, {@code in_proj_bias}
 * @param shape  sizes, row-major in the flat parameter vector
 * @param role   what it is, which decides its initialisation and whether L2 applies by default
 * @param fanIn  inputs per output unit (PyTorch's fan_in: in_channels·kh·kw for a convolution)
 * @param fanOut outputs per input unit (PyTorch's fan_out: out_channels·kh·kw)
 */
@API(status = INTERNAL, since = "0.2")
public record ParameterTensor(String name, int[] shape, Role role, int fanIn, int fanOut) {

    public enum Role {
        /** A weight matrix or kernel (also embedding tables): penalised by L2. */
        WEIGHT,
        /** An additive bias: not penalised unless asked. */
        BIAS,
        /** A normalisation's scale γ: not penalised unless asked; drawn around 1. */
        SCALE,
        /** A normalisation's shift β: not penalised unless asked. */
        SHIFT
    }

    public ParameterTensor {
        shape = shape.clone();
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        int s = 1;
        for (int d : shape) {
            s *= d;
        }
        return s;
    }

    /** Whether it counts as a bias for reports and L2 (biases and normalisation affine parameters). */
    public boolean biasLike() {
        return role != Role.WEIGHT;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterTensor t && t.name.equals(name) && Arrays.equals(t.shape, shape) && t.role == role
                && t.fanIn == fanIn && t.fanOut == fanOut;
    }

    @Override
    public int hashCode() {
        return name.hashCode() * 31 + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape);
    }
}
