package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * Examples in row-major flat arrays: example n's inputs are {@code x[n*inputs .. n*inputs+inputs)},
 * its targets {@code y[n*outputs ..)}. Flat arrays keep the hot loops cache-friendly.
 */
@API(status = INTERNAL, since = "0.2")
public record Dataset(int examples, int inputs, int outputs, double[] x, double[] y) {
    public Dataset {
        if (x.length != examples * inputs || y.length != examples * outputs) {
            throw new IllegalArgumentException("dataset shape: " + examples + " examples of " + inputs + " inputs and "
                    + outputs + " outputs need arrays of " + examples * inputs + " and " + examples * outputs
                    + ", got " + x.length + " and " + y.length);
        }
    }

    public double input(int n, int j) {
        return x[n * inputs + j];
    }

    public double target(int n, int i) {
        return y[n * outputs + i];
    }
}
