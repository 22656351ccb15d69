package dev.gradproof.api;

import static org.apiguardian.api.API.Status.EXPERIMENTAL;

import java.util.Arrays;

import org.apiguardian.api.API;

/**
 * A parameter tensor of a layer graph (or its gradient): a shape in PyTorch's layout and its values in
 * row-major order ({@code conv1.weight} [out, in, kh, kw]: entry [o, i, y, x] at
 * ((o·in + i)·kh + y)·kw + x). {@link #data()} is the live array.
 */
@API(status = EXPERIMENTAL, since = "0.2")
public final class Tensor {
    private final int[] shape;
    private final double[] data;

    public Tensor(int[] shape, double[] data) {
        this.shape = shape.clone();
        long size = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("a negative size in shape " + Arrays.toString(shape));
            }
            size *= d;
        }
        if (data.length != size) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + size + " values, got "
                    + data.length);
        }
        this.data = data;
    }

    public static Tensor zeros(int... shape) {
        long size = 1;
        for (int d : shape) {
            size *= d;
        }
        return new Tensor(shape, new double[Math.toIntExact(size)]);
    }

    public int[] shape() {
        return shape.clone();
    }

    public int size() {
        return data.length;
    }

    /** The values, row-major; writing them writes the tensor. */
    public double[] data() {
        return data;
    }

    /** The flat position of an index, checked against the shape. */
    public int offset(int... index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("an index of " + index.length + " axes for a tensor of shape "
                    + Arrays.toString(shape));
        }
        int off = 0;
        for (int a = 0; a < shape.length; a++) {
            if (index[a] < 0 || index[a] >= shape[a]) {
                throw new IndexOutOfBoundsException("index " + Arrays.toString(index) + " outside shape "
                        + Arrays.toString(shape));
            }
            off = off * shape[a] + index[a];
        }
        return off;
    }

    public double get(int... index) {
        return data[offset(index)];
    }

    public void set(double value, int... index) {
        data[offset(index)] = value;
    }

    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
