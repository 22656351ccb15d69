package dev.gradproof.compare;

import static org.apiguardian.api.API.Status.INTERNAL;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apiguardian.api.API;

/**
 * Turns a set of mismatches into evidence a reader can act on: where they are (layers, weights or
 * biases, which rows and columns), and what shape the error has (a constant factor such as ×N or
 * ×½, a sign flip, swapped rows). It shows the numbers behind each statement, never a guess.
 */
@API(status = INTERNAL, since = "0.2")
public final class Diagnosis {
    /** Ratios agreeing to this relative spread count as one constant factor. */
    static final double CONSTANT_SPREAD = 1e-6;

    private Diagnosis() {
    }

    /**
     * @param all      every parameter-trial compared
     * @param examples examples per trial (to name a factor of N)
     * @param outputs  network outputs (to name a factor of k)
     */
    public static List<String> findings(List<ParameterResult> all, int examples, int outputs) {
        if (all.stream().anyMatch(r -> r.layer() == 0)) {
            long bad = all.stream().filter(r -> r.status() == Status.MISMATCH).count();
            return bad == 0 ? List.of() : List.of("directional check: " + bad + " of " + all.size()
                    + " direction-trials disagree with the exact directional derivative; run with check.mode: exhaustive "
                    + "to locate the parameters");
        }
        List<ParameterResult> bad = all.stream().filter(r -> r.status() == Status.MISMATCH).toList();
        if (bad.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        out.add(where(all, bad));
        List<ParameterResult> nonFinite = bad.stream().filter(r -> !Double.isFinite(r.analytic())).toList();
        if (!nonFinite.isEmpty()) {
            out.add("not a number: the analytic gradient is " + nonFinite.stream().map(r -> Double.toString(r.analytic()))
                    .distinct().sorted().collect(Collectors.joining(" or ")) + " at " + nonFinite.size()
                    + " parameter-trial" + (nonFinite.size() == 1 ? "" : "s") + ", first " + nonFinite.get(0).parameter()
                    + " in trial " + nonFinite.get(0).trial() + " (a declared derivative or a division that is not finite"
                    + " there?)");
        }
        String factor = constantFactor(bad, examples, outputs, "mismatching parameters");
        if (factor != null) {
            out.add(factor);
        } else {
            // A factor confined to one layer or group is still a factor.
            Map<String, List<ParameterResult>> byGroup = new TreeMap<>();
            bad.forEach(r -> byGroup.computeIfAbsent(group(r), g -> new ArrayList<>()).add(r));
            byGroup.forEach((g, rs) -> {
                String f = constantFactor(rs, examples, outputs, g);
                if (f != null) {
                    out.add(f);
                }
            });
        }
        out.addAll(swappedRows(all));
        return out;
    }

    /** The tensor a parameter belongs to, named as the parameter is: {@code W2} or {@code conv1.weight}. */
    private static String group(ParameterResult r) {
        String name = r.parameter();
        int bracket = name.indexOf('[');
        return bracket < 0 ? name : name.substring(0, bracket);
    }

    /** {@code mismatches in W1 (24 of 24 checked: rows 0-3, columns 0-1) and b1 (...)}. */
    static String where(List<ParameterResult> all, List<ParameterResult> bad) {
        Map<String, List<ParameterResult>> byGroup = new TreeMap<>();
        bad.forEach(r -> byGroup.computeIfAbsent(group(r), g -> new ArrayList<>()).add(r));
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, List<ParameterResult>> e : byGroup.entrySet()) {
            String g = e.getKey();
            long checked = all.stream().filter(r -> group(r).equals(g)).count();
            TreeSet<Integer> rows = new TreeSet<>();
            TreeSet<Integer> cols = new TreeSet<>();
            for (ParameterResult r : e.getValue()) {
                int[] rc = rowColumn(r.parameter());
                rows.add(rc[0]);
                if (rc[1] >= 0) {
                    cols.add(rc[1]);
                }
            }
            TreeSet<Integer> allRows = new TreeSet<>();
            all.stream().filter(r -> group(r).equals(g)).forEach(r -> allRows.add(rowColumn(r.parameter())[0]));
            String detail = e.getValue().size() + " of " + checked;
            if (rows.size() < allRows.size()) {
                detail += ", rows " + ranges(rows);
            }
            boolean matrix = rank(e.getValue().get(0).parameter()) == 2;
            if (!cols.isEmpty() && matrix) {
                TreeSet<Integer> allCols = new TreeSet<>();
                all.stream().filter(r -> group(r).equals(g)).forEach(r -> allCols.add(rowColumn(r.parameter())[1]));
                if (cols.size() < allCols.size()) {
                    detail += ", columns " + ranges(cols);
                }
            }
            parts.add(g + " (" + detail + ")");
        }
        boolean onlyBiases = bad.stream().allMatch(ParameterResult::bias);
        boolean onlyWeights = bad.stream().noneMatch(ParameterResult::bias);
        String kind = onlyBiases ? " (biases only)" : onlyWeights ? " (weights only)" : "";
        return "where: " + String.join(", ", parts) + kind;
    }

    /** A constant analytic/reference ratio, with its spread and what it usually means. */
    static String constantFactor(List<ParameterResult> rs, int examples, int outputs, String what) {
        double[] ratios = rs.stream().filter(r -> Math.abs(r.reference()) > 10 * r.absoluteTolerance() && r.reference() != 0)
                .mapToDouble(r -> r.analytic() / r.reference()).sorted().toArray();
        if (ratios.length < 2) {
            return null;
        }
        double median = ratios[ratios.length / 2];
        double spread = 0;
        for (double x : ratios) {
            spread = Math.max(spread, Math.abs(x - median));
        }
        if (median == 0 || !(spread <= CONSTANT_SPREAD * Math.abs(median))) {
            return null;
        }
        return String.format(Locale.ROOT, "constant factor: analytic/exact = %.6g (spread %.1e) over %d %s%s", median,
                spread / Math.abs(median), ratios.length, what, meaning(median, examples, outputs));
    }

    /** What a constant factor between an implementation's loss and the spec's usually means. */
    static String lossMeaning(double k, int examples, int outputs) {
        if (examples > 1 && near(k, examples)) {
            return ": ×N (N = " + examples + "): its loss is summed over examples where the spec averages";
        }
        if (examples > 1 && near(k, 1.0 / examples)) {
            return ": ×1/N (N = " + examples + "): its loss is averaged over examples where the spec sums";
        }
        if (near(k, 2)) {
            return ": ×2: its squared error has no ½ (the spec's is ½(a−y)²)";
        }
        if (near(k, 0.5)) {
            return ": ×½: its squared error has a ½ the spec's does not";
        }
        if (outputs > 1 && near(k, outputs)) {
            return ": ×k (k = " + outputs + " outputs): its loss sums over outputs where the spec averages (mse)";
        }
        if (outputs > 1 && near(k, 1.0 / outputs)) {
            return ": ×1/k (k = " + outputs + " outputs): its loss averages over outputs where the spec sums";
        }
        return "";
    }

    /** What a constant factor between analytic and exact gradients usually means in backprop code. */
    static String meaning(double k, int examples, int outputs) {
        if (near(k, -1)) {
            return ": a sign flip";
        }
        if (examples > 1 && near(k, examples)) {
            return ": ×N (N = " + examples + "): the gradient is summed over examples while the loss is averaged";
        }
        if (examples > 1 && near(k, 1.0 / examples)) {
            return ": ×1/N (N = " + examples + "): the gradient is averaged while the loss is summed";
        }
        if (near(k, 2)) {
            return ": ×2: the gradient of (a−y)² where the loss is ½(a−y)² (or a missing ½ in the backward pass)";
        }
        if (examples > 1 && near(k, 2.0 * examples)) {
            return ": ×2N (N = " + examples + "): a gradient summed over examples and of (a−y)² without the ½";
        }
        if (examples > 1 && outputs > 1 && near(k, (double) examples / outputs)) {
            return ": ×N/k (N = " + examples + ", k = " + outputs + "): summed over examples, averaged over outputs";
        }
        if (near(k, 0.5)) {
            return ": ×½: the gradient of ½(a−y)² where the loss is (a−y)²";
        }
        if (outputs > 1 && near(k, outputs)) {
            return ": ×k (k = " + outputs + " outputs): summed over outputs where the loss averages them (mse)";
        }
        if (outputs > 1 && near(k, 1.0 / outputs)) {
            return ": ×1/k (k = " + outputs + " outputs): averaged over outputs where the loss sums them";
        }
        return "";
    }

    private static boolean near(double a, double b) {
        return Math.abs(a - b) <= 1e-6 * Math.abs(b);
    }

    /** Rows i and j of a weight gradient that equal each other's exact rows. */
    static List<String> swappedRows(List<ParameterResult> all) {
        List<String> out = new ArrayList<>();
        Map<String, Map<Integer, Map<Integer, ParameterResult>>> byGroup = new TreeMap<>();
        for (ParameterResult r : all) {
            if (r.bias() || r.trial() != all.get(0).trial()) {
                continue;
            }
            int[] rc = rowColumn(r.parameter());
            byGroup.computeIfAbsent(group(r), g -> new TreeMap<>()).computeIfAbsent(rc[0], x -> new TreeMap<>()).put(rc[1], r);
        }
        for (Map.Entry<String, Map<Integer, Map<Integer, ParameterResult>>> g : byGroup.entrySet()) {
            Map<Integer, Map<Integer, ParameterResult>> rows = g.getValue();
            List<Integer> bad = rows.entrySet().stream()
                    .filter(e -> e.getValue().values().stream().anyMatch(r -> r.status() == Status.MISMATCH))
                    .map(Map.Entry::getKey).toList();
            for (int a = 0; a < bad.size(); a++) {
                for (int b = a + 1; b < bad.size(); b++) {
                    if (rowEqualsExact(rows.get(bad.get(a)), rows.get(bad.get(b)))
                            && rowEqualsExact(rows.get(bad.get(b)), rows.get(bad.get(a)))) {
                        out.add("swapped rows: " + g.getKey() + " row " + bad.get(a) + " holds the exact gradient of row "
                                + bad.get(b) + " and vice versa");
                    }
                }
            }
        }
        return out;
    }

    private static boolean rowEqualsExact(Map<Integer, ParameterResult> analyticRow, Map<Integer, ParameterResult> exactRow) {
        if (!analyticRow.keySet().equals(exactRow.keySet())) {
            return false;
        }
        for (Integer c : analyticRow.keySet()) {
            ParameterResult a = analyticRow.get(c);
            ParameterResult e = exactRow.get(c);
            if (!(Math.abs(a.analytic() - e.reference()) <= a.absoluteTolerance() + e.absoluteTolerance())) {
                return false;
            }
        }
        return true;
    }

    /** {@code W2[3,7]} → {3, 7}; {@code b1[0]} → {0, -1}. */
    /**
     * The first index (a row, an output channel) and the rest as one number: the column of a matrix, or
     * the remaining indices of a higher-rank tensor (each below 1000, as any bundled layer's are), so
     * that entries of one row stay apart. -1 for a vector.
     */
    static int[] rowColumn(String name) {
        int[] rc = indices(name);
        if (rc.length == 1) {
            return new int[] {rc[0], -1};
        }
        int rest = 0;
        for (int k = 1; k < rc.length; k++) {
            rest = rest * 1000 + rc[k];
        }
        return new int[] {rc[0], rest};
    }

    private static int rank(String name) {
        return indices(name).length;
    }

    private static int[] indices(String name) {
        String inside = name.substring(name.indexOf('[') + 1, name.length() - 1);
        return Arrays.stream(inside.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
    }

    /** {@code 0-3, 7}. */
    static String ranges(TreeSet<Integer> values) {
        List<String> out = new ArrayList<>();
        Integer start = null;
        Integer prev = null;
        for (int v : values) {
            if (start == null) {
                start = v;
            } else if (v != prev + 1) {
                out.add(start.equals(prev) ? "" + start : start + "-" + prev);
                start = v;
            }
            prev = v;
        }
        if (start != null) {
            out.add(start.equals(prev) ? "" + start : start + "-" + prev);
        }
        return out.stream().collect(Collectors.joining(", "));
    }
}
