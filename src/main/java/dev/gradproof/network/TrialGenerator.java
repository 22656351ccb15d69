package dev.gradproof.network;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.spec.DataSpec;
import dev.gradproof.spec.Distribution;
import dev.gradproof.spec.LossSpec;
import dev.gradproof.spec.Spec;
import dev.gradproof.spec.WeightSpec;

import java.util.SplittableRandom;
import java.util.Random;
import org.apiguardian.api.API;

/**
 * Draws trials from a spec deterministically: trial t of a spec with seed s always gets the same
 * weights and data, on any machine, so a printed seed reproduces a failure exactly.
 */
@API(status = INTERNAL, since = "0.2")
public final class TrialGenerator {
    private TrialGenerator() {
    }

    /** The seed of trial t: a 64-bit mix so that nearby (seed, t) pairs give unrelated streams. */
    public static long trialSeed(long seed, int t) {
        long z = seed * 0x9E3779B97F4A7C15L + (t + 1) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public static TrialData draw(Spec spec, int t) {
        return draw(spec, t, trialSeed(spec.seed(), t));
    }

    /** Trial number {@code t} (for reports) drawn from an explicit trial seed. */
    public static TrialData draw(Spec spec, int t, long seed) {
        SplittableRandom root = new SplittableRandom(seed);
        SplittableRandom weights = root.split();
        SplittableRandom data = root.split();
        ParameterLayout layout = NetworkFactory.layout(spec.network());
        return new TrialData(t, seed, weights(layout, spec.weights(), weights), data(spec, data));
    }

    public static double[] weights(ParameterLayout layout, WeightSpec w, SplittableRandom rnd) {
        double[] theta = new double[layout.total()];
        for (int l = 0; l < layout.layers(); l++) {
            int in = layout.size(l);
            int out = layout.size(l + 1);
            int off = layout.weightOffset(l);
            for (int p = 0; p < in * out; p++) {
                theta[off + p] = draw(w, in, out, rnd);
            }
            int b = layout.biasOffset(l);
            if (b >= 0) {
                for (int i = 0; i < out; i++) {
                    theta[b + i] = "zero".equals(w.biases()) ? 0 : draw(w, in, out, rnd);
                }
            }
        }
        return theta;
    }

    /** One weight of a tensor with these fans, by the spec's rule (also what graph layers draw with). */
    public static double draw(WeightSpec w, int fanIn, int fanOut, SplittableRandom rnd) {
        return switch (w.init()) {
            case "normal" -> w.std() * gaussian(rnd);
            case "uniform" -> w.low() + (w.high() - w.low()) * rnd.nextDouble();
            case "he" -> Math.sqrt(2.0 / fanIn) * gaussian(rnd);
            default -> {
                double limit = Math.sqrt(6.0 / (fanIn + fanOut));
                yield -limit + 2 * limit * rnd.nextDouble();
            }
        };
    }

    /** Box–Muller, so the stream does not depend on Random's implementation. */
    static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
    }

    public static double draw(Distribution d, SplittableRandom rnd) {
        if (d.zeros() > 0 && rnd.nextDouble() < d.zeros()) {
            return 0.0;
        }
        return "uniform".equals(d.kind()) ? d.a() + (d.b() - d.a()) * rnd.nextDouble() : d.a() + d.b() * gaussian(rnd);
    }

    public static Dataset data(Spec spec, SplittableRandom rnd) {
        DataSpec d = spec.data();
        int in = spec.network().inputs();
        int out = spec.network().outputs();
        if (d.csv() != null) {
            return CsvData.of(d.table(), in, out);
        }
        if (d.generator() != null) {
            return Generators.generate(d, in, out, rnd);
        }
        int n = d.examples();
        double[] x = new double[n * in];
        double[] y = new double[n * out];
        for (int p = 0; p < x.length; p++) {
            x[p] = draw(d.inputs(), rnd);
        }
        DataSpec.Targets targets = d.targets();
        for (int e = 0; e < n; e++) {
            switch (targets.kind()) {
                case "one_hot" -> y[e * out + rnd.nextInt(out)] = 1;
                case "binary" -> {
                    for (int i = 0; i < out; i++) {
                        y[e * out + i] = rnd.nextBoolean() ? 1 : 0;
                    }
                }
                case "constant" -> {
                    for (int i = 0; i < out; i++) {
                        y[e * out + i] = targets.value();
                    }
                }
                default -> {
                    for (int i = 0; i < out; i++) {
                        y[e * out + i] = draw(targets.distribution(), rnd);
                    }
                }
            }
        }
        if (spec.loss().type() == LossSpec.LossType.BINARY_CROSS_ENTROPY) {
            for (int p = 0; p < y.length; p++) {
                y[p] = Math.min(1, Math.max(0, y[p]));
            }
        }
        return new Dataset(n, in, out, x, y);
    }
}
