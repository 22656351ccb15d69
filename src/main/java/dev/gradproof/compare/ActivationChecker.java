package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import dev.gradproof.network.Activation;

import java.util.ArrayList;
import java.util.List;
import org.apiguardian.api.API;

/**
 * Checks a declared derivative against the exact one on x = 0, ±0.25, ±0.5, …, ±5, nearest to 0
 * first, so the first difference named is the one a reader meets first on the real line.
 */
@API(status = INTERNAL, since = "0.2")
public final class ActivationChecker {
    static final double STEP = 0.25;
    static final double LIMIT = 5.0;

    private ActivationChecker() {
    }

    public static double[] grid() {
        int half = (int) Math.round(LIMIT / STEP);
        double[] xs = new double[2 * half + 1];
        xs[0] = 0;
        for (int i = 1; i <= half; i++) {
            xs[2 * i - 1] = i * STEP;
            xs[2 * i] = -i * STEP;
        }
        return xs;
    }

    public static ActivationCheck check(int layer, Activation f, String description) {
        int differing = 0;
        double maxErr = 0;
        ActivationCheck.Point first = null;
        ActivationCheck.Point sign = null;
        ActivationCheck.Point worst = null;
        double[] xs = grid();
        for (double x : xs) {
            if (onKink(f, x)) {
                continue; // the derivative is a convention there
            }
            double declared = f.derivative(x);
            double exact = f.exactDerivative(x);
            double err = Math.abs(declared - exact);
            double bound = 2 * (f.declaredDerivativeError(x) + f.exactDerivativeError(x)) + Double.MIN_VALUE;
            if (!Within.agrees(declared, exact, bound)) {
                differing++;
                if (first == null) {
                    first = new ActivationCheck.Point("first", x, declared, exact);
                }
                if (sign == null && declared * exact < 0) {
                    sign = new ActivationCheck.Point("sign", x, declared, exact);
                }
                if (worst == null || !(err <= Math.abs(worst.declared() - worst.exact()))) {
                    worst = new ActivationCheck.Point("worst", x, declared, exact);
                }
            }
            if (!Double.isNaN(err)) {
                maxErr = Math.max(maxErr, err);
            } else {
                maxErr = Double.NaN;
            }
        }
        List<ActivationCheck.Point> telling = new ArrayList<>();
        for (ActivationCheck.Point p : new ActivationCheck.Point[] {first, sign, worst}) {
            if (p != null && telling.stream().noneMatch(q -> q.x() == p.x())) {
                telling.add(p);
            }
        }
        return new ActivationCheck(layer, f.name(), description, xs.length, differing, List.copyOf(telling), maxErr);
    }

    private static boolean onKink(Activation f, double x) {
        for (double k : f.kinks()) {
            if (k == x) {
                return true;
            }
        }
        return false;
    }
}
