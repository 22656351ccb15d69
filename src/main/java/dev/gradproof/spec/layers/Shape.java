package dev.gradproof.spec.layers;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * The shape of one example's tensor (the batch dimension N is not part of it), in PyTorch's layout,
 * with what its axes mean: the same [16, 8] is a sequence of 16 steps of 8 features for an LSTM but 16
 * channels of length 8 for a conv1d, and a layer's rules (which axis concat joins, what batch_norm
 * normalises) depend on which.
 *
 * @param kind what the axes are
 * @param dims sizes, outermost first
 */
@API(status = INTERNAL, since = "0.2")
public record Shape(Kind kind, int[] dims) {

    public enum Kind {
        /** [F]: a feature vector. */
        FEATURES,
        /** [C, L] or [C, H, W]: channels first, then space. */
        CHANNELS,
        /** [T, F]: T steps of F features. */
        SEQUENCE,
        /** [T]: integer token ids, the input of an embedding. */
        TOKENS
    }

    public Shape {
        dims = dims.clone();
        for (int d : dims) {
            if (d <= 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has a non-positive size");
            }
        }
    }

    public static Shape features(int f) {
        return new Shape(Kind.FEATURES, new int[] {f});
    }

    public static Shape channels(int... dims) {
        return new Shape(Kind.CHANNELS, dims);
    }

    public static Shape sequence(int steps, int features) {
        return new Shape(Kind.SEQUENCE, new int[] {steps, features});
    }

    public static Shape tokens(int steps) {
        return new Shape(Kind.TOKENS, new int[] {steps});
    }

    /** Number of scalars per example. */
    public int size() {
        int s = 1;
        for (int d : dims) {
            s *= d;
        }
        return s;
    }

    public int rank() {
        return dims.length;
    }

    public int dim(int axis) {
        return dims[axis];
    }

    @Override
    public int[] dims() {
        return dims.clone();
    }

    /** The axis concat joins and a per-step loss reads classes from: channels, or the last (features). */
    public int featureAxis() {
        return kind == Kind.CHANNELS ? 0 : dims.length - 1;
    }

    /** {@code [1, 28, 28]}. */
    @Override
    public String toString() {
        return Arrays.toString(dims);
    }

    /** {@code channels [1, 28, 28]}: used in messages, where the kind decides what fits. */
    public String describe() {
        return switch (kind) {
            case FEATURES -> "features " + this;
            case CHANNELS -> "channels " + this;
            case SEQUENCE -> "sequence " + this + " (steps, features)";
            case TOKENS -> "token ids " + this;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape s && s.kind == kind && Arrays.equals(s.dims, dims);
    }

    @Override
    public int hashCode() {
        return 31 * kind.hashCode() + Arrays.hashCode(dims);
    }
}
