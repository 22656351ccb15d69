package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code conv1d} ([C, L] → [out_channels, L']) and {@code conv2d} ([C, H, W] → [out_channels, H', W']),
 * PyTorch's cross-correlation with zero padding: per spatial axis L' = ⌊(L + 2p − d(k − 1) − 1)/s⌋ + 1.
 * Parameters {@code weight} [out_channels, C, k...] and {@code bias} [out_channels].
 *
 * @param axes        1 for conv1d, 2 for conv2d
 * @param kernel      per spatial axis (a single value applies to every axis)
 * @param stride      per axis, default 1
 * @param padding     per axis, zeros on both sides, default 0
 * @param dilation    per axis, default 1
 */
@API(status = INTERNAL, since = "0.2")
public record ConvOptions(int axes, int outChannels, int[] kernel, int[] stride, int[] padding, int[] dilation,
                          boolean bias) implements LayerOptions {

    public ConvOptions {
        LayerOptions.require(axes == 1 || axes == 2, "type", "a convolution has 1 or 2 spatial axes, got " + axes);
        LayerOptions.positive("out_channels", outChannels);
        kernel = LayerOptions.perAxis("kernel", kernel, axes, 1);
        stride = LayerOptions.perAxis("stride", stride == null ? new int[] {1} : stride, axes, 1);
        padding = LayerOptions.perAxis("padding", padding == null ? new int[] {0} : padding, axes, 0);
        dilation = LayerOptions.perAxis("dilation", dilation == null ? new int[] {1} : dilation, axes, 1);
    }

    public static ConvOptions conv2d(int outChannels, int kernel, int stride, int padding) {
        return new ConvOptions(2, outChannels, new int[] {kernel}, new int[] {stride}, new int[] {padding}, null, true);
    }

    public static ConvOptions conv1d(int outChannels, int kernel, int stride, int padding) {
        return new ConvOptions(1, outChannels, new int[] {kernel}, new int[] {stride}, new int[] {padding}, null, true);
    }

    public LayerType type() {
        return axes == 1 ? LayerType.CONV1D : LayerType.CONV2D;
    }

    @Override
    public int[] kernel() {
        return kernel.clone();
    }

    @Override
    public int[] stride() {
        return stride.clone();
    }

    @Override
    public int[] padding() {
        return padding.clone();
    }

    @Override
    public int[] dilation() {
        return dilation.clone();
    }

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = checkedInput(inputs);
        int[] out = new int[axes + 1];
        out[0] = outChannels;
        for (int a = 0; a < axes; a++) {
            out[a + 1] = outputSize(in.dim(a + 1), kernel[a], stride[a], padding[a], dilation[a], a, axes);
        }
        return Shape.channels(out);
    }

    /**
     * One spatial axis's output size, or a {@code kernel} error saying by how much the window overshoots:
     * "kernel 7 is larger than the padded input 5 (input 3 + 2×padding 1)".
     */
    static int outputSize(int size, int k, int s, int p, int d, int axis, int axes) {
        int span = d * (k - 1) + 1;
        int padded = size + 2 * p;
        if (span > padded) {
            String axisName = axes == 1 ? "" : " (" + LayerOptions.axisName(axis, axes) + ")";
            String kernelText = d == 1 ? "kernel " + k : "kernel " + k + " with dilation " + d + " spans " + span + ", which";
            String verb = d == 1 ? " is larger than" : " is more than";
            throw new LayerOptionException("kernel", kernelText + axisName + verb + " the padded input " + padded
                    + " (input " + size + " + 2×padding " + p + ")");
        }
        return (padded - span) / s + 1;
    }

    private Shape checkedInput(List<Shape> inputs) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.CHANNELS || in.rank() != axes + 1) {
            throw new LayerOptionException("input", type().yamlName() + " needs channels " + (axes == 1 ? "[C, L]" : "[C, H, W]")
                    + "; its input is " + in.describe());
        }
        return in;
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        Shape in = checkedInput(inputs);
        int[] shape = new int[axes + 2];
        shape[0] = outChannels;
        shape[1] = in.dim(0);
        int receptive = 1;
        for (int a = 0; a < axes; a++) {
            shape[a + 2] = kernel[a];
            receptive *= kernel[a];
        }
        int fanIn = in.dim(0) * receptive;
        int fanOut = outChannels * receptive;
        List<ParameterTensor> out = new ArrayList<>();
        out.add(new ParameterTensor("weight", shape, ParameterTensor.Role.WEIGHT, fanIn, fanOut));
        if (bias) {
            out.add(new ParameterTensor("bias", new int[] {outChannels}, ParameterTensor.Role.BIAS, fanIn, fanOut));
        }
        return out;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConvOptions c && c.axes == axes && c.outChannels == outChannels && c.bias == bias
                && Arrays.equals(c.kernel, kernel) && Arrays.equals(c.stride, stride)
                && Arrays.equals(c.padding, padding) && Arrays.equals(c.dilation, dilation);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kernel) * 31 + outChannels;
    }

    @Override
    public String toString() {
        return type().yamlName() + "(out_channels=" + outChannels + ", kernel=" + Arrays.toString(kernel)
                + ", stride=" + Arrays.toString(stride) + ", padding=" + Arrays.toString(padding)
                + ", dilation=" + Arrays.toString(dilation) + (bias ? "" : ", bias=false") + ")";
    }
}
