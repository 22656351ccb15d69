package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import java.util.List;
import org.apiguardian.api.API;

/**
 * {@code max_pool2d} and {@code avg_pool2d} on [C, H, W]: windows of {@code kernel} every {@code
 * stride} (default: the kernel) over the input padded by {@code padding}. Max pooling ignores the
 * padding (PyTorch pads with −∞); average pooling counts it as zeros and always divides by kh·kw
 * (PyTorch's default {@code count_include_pad=True}). No parameters.
 */
@API(status = INTERNAL, since = "0.2")
public record PoolOptions(boolean max, int[] kernel, int[] stride, int[] padding) implements LayerOptions {

    public PoolOptions {
        kernel = LayerOptions.perAxis("kernel", kernel, 2, 1);
        stride = stride == null ? kernel.clone() : LayerOptions.perAxis("stride", stride, 2, 1);
        padding = LayerOptions.perAxis("padding", padding == null ? new int[] {0} : padding, 2, 0);
        for (int a = 0; a < 2; a++) {
            // PyTorch refuses a window that could lie in the padding only.
            LayerOptions.require(2 * padding[a] <= kernel[a], "padding", "padding " + padding[a] + " ("
                    + LayerOptions.axisName(a, 2) + ") is more than half the kernel " + kernel[a]
                    + ": a window could then cover padding only (PyTorch refuses it too)");
        }
    }

    public static PoolOptions max(int kernel) {
        return new PoolOptions(true, new int[] {kernel}, null, null);
    }

    public static PoolOptions avg(int kernel) {
        return new PoolOptions(false, new int[] {kernel}, null, null);
    }

    public LayerType type() {
        return max ? LayerType.MAX_POOL2D : LayerType.AVG_POOL2D;
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

    public Shape outputShape(List<Shape> inputs, List<String> names) {
        Shape in = LayerOptions.single(type(), inputs);
        if (in.kind() != Shape.Kind.CHANNELS || in.rank() != 3) {
            throw new LayerOptionException("input", type().yamlName() + " needs channels [C, H, W]; its input is "
                    + in.describe());
        }
        int h = ConvOptions.outputSize(in.dim(1), kernel[0], stride[0], padding[0], 1, 0, 2);
        int w = ConvOptions.outputSize(in.dim(2), kernel[1], stride[1], padding[1], 1, 1, 2);
        return Shape.channels(in.dim(0), h, w);
    }

    public List<ParameterTensor> parameters(List<Shape> inputs) {
        return List.of();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolOptions p && p.max == max && Arrays.equals(p.kernel, kernel)
                && Arrays.equals(p.stride, stride) && Arrays.equals(p.padding, padding);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(kernel) * 31 + (max ? 1 : 0);
    }

    @Override
    public String toString() {
        return type().yamlName() + "(kernel=" + Arrays.toString(kernel) + ", stride=" + Arrays.toString(stride)
                + ", padding=" + Arrays.toString(padding) + ")";
    }
}
