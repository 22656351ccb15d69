package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.List;
import java.util.Locale;
import org.apiguardian.api.API;

/**
 * A layer's declared derivative compared with the exact derivative on a grid of x.
 *
 * @param layer       1-based layer
 * @param activation  how the activation is described, e.g. {@code tanh with declared f'(x) = 1 - tanh(x) * tan(x)}
 * @param points      grid points compared
 * @param differing   points where the two disagree beyond their rounding bounds
 * @param firstDifferences the telling ones: the first difference from 0 outward, the first where the
 *                         declared derivative has the wrong sign, and the worst
 * @param maxAbsoluteError largest |declared − exact| on the grid
 */
@API(status = INTERNAL, since = "0.2")
public record ActivationCheck(int layer, String name, String activation, int points, int differing,
                              List<Point> firstDifferences, double maxAbsoluteError) {

    /** @param kind {@code first}, {@code sign} or {@code worst} */
    public record Point(String kind, double x, double declared, double exact) {
        /** {@code tanh' at x=1.00: declared -0.186, exact 0.420}. */
        public String describe(String name) {
            return String.format(Locale.ROOT, "%s' at x=%.2f: declared %.3g, exact %.3g", name, x, declared, exact);
        }

        /** {@code wrong sign from x=1.00: tanh' at x=1.00: declared -0.186, exact 0.420}. */
        public String explain(String name) {
            String lead = switch (kind) {
                case "first" -> "first differs at ";
                case "sign" -> "wrong sign at ";
                default -> "worst at ";
            };
            return lead + describe(name);
        }
    }

    public boolean passed() {
        return differing == 0;
    }
}
