package dev.gradproof.spec;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Scalar text helpers: YAML core-schema numbers, quoting values in messages, and "did you mean". */
final class Scalars {

    /** Longer integers are only ever "too large"; parsing them exactly would cost quadratic time. */
    private static final int MAX_DIGITS = 1000;

    /**
     * Names from other libraries (Keras, PyTorch) and tutorials for what a spec calls otherwise; only
     * those among the options of the field at hand are offered.
     */
    private static final Map<String, List<String>> ALIASES = Map.ofEntries(
            Map.entry("cross_entropy", List.of("binary_cross_entropy", "softmax_cross_entropy")),
            Map.entry("crossentropy", List.of("binary_cross_entropy", "softmax_cross_entropy")),
            Map.entry("categorical_cross_entropy", List.of("softmax_cross_entropy")),
            Map.entry("categorical_crossentropy", List.of("softmax_cross_entropy")),
            Map.entry("crossentropyloss", List.of("softmax_cross_entropy")),
            Map.entry("binary_crossentropy", List.of("binary_cross_entropy")),
            Map.entry("bce", List.of("binary_cross_entropy")),
            Map.entry("bceloss", List.of("binary_cross_entropy")),
            Map.entry("mean_squared_error", List.of("mse")),
            Map.entry("mseloss", List.of("mse")),
            Map.entry("smooth_l1", List.of("huber")),
            Map.entry("kl_div", List.of("kl_divergence")),
            Map.entry("kldivloss", List.of("kl_divergence")),
            Map.entry("leakyrelu", List.of("leaky_relu")),
            Map.entry("linear", List.of("identity")),
            Map.entry("logistic", List.of("sigmoid")));

    private Scalars() {
    }

    /**
     * {@code " (did you mean 'x'?)"} or {@code " (did you mean 'x' or 'y'?)"} for a word that is not among
     * {@code options}, or "" when nothing is close: a known alias, then options of which the word is a
     * whole part ({@code cross_entropy} in {@code softmax_cross_entropy}), then the nearest by spelling.
     */
    static String didYouMean(String given, List<String> options) {
        List<String> close = close(given, options);
        if (close.isEmpty()) {
            return "";
        }
        List<String> quoted = close.stream().map(o -> "'" + o + "'").toList();
        return " (did you mean " + String.join(" or ", quoted) + "?)";
    }

    static List<String> close(String given, List<String> options) {
        String word = given.toLowerCase(Locale.ROOT).replace('-', '_');
        List<String> found = new ArrayList<>(ALIASES.getOrDefault(word, List.of()).stream().filter(options::contains).toList());
        if (found.isEmpty() && word.length() >= 3) {
            for (String option : options) {
                if (!option.equals(word) && (option.endsWith("_" + word) || option.startsWith(word + "_"))) {
                    found.add(option);
                }
            }
        }
        if (found.isEmpty()) {
            String nearest = suggest(given, options);
            if (nearest != null) {
                found.add(nearest);
            }
        }
        return found;
    }

    /** A string as messages show it: quoted, control characters escaped, cut after 40 code points. */
    static String quote(String text) {
        StringBuilder sb = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < text.length(); i = text.offsetByCodePoints(i, 1), shown++) {
            if (shown == 40) {
                sb.append("...");
                break;
            }
            int c = text.codePointAt(i);
            if (c == '\n') {
                sb.append("\\n");
            } else if (c == '\t') {
                sb.append("\\t");
            } else if (Character.isISOControl(c) || Character.getType(c) == Character.SURROGATE) {
                sb.append(String.format(Locale.ROOT, "\\u%04X", c));
            } else {
                sb.appendCodePoint(c);
            }
        }
        return sb.append('\'').toString();
    }

    static BigInteger parseInteger(String text) {
        boolean negative = text.startsWith("-");
        String digits = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        int radix = 10;
        if (digits.startsWith("0o")) {
            radix = 8;
            digits = digits.substring(2);
        } else if (digits.startsWith("0x")) {
            radix = 16;
            digits = digits.substring(2);
        }
        final int base = radix;
        if (digits.isEmpty() || !digits.chars().allMatch(c -> c < 128 && Character.digit(c, base) >= 0)) {
            return null;
        }
        BigInteger value = digits.length() > MAX_DIGITS ? BigInteger.TEN.pow(MAX_DIGITS) : new BigInteger(digits, base);
        return negative ? value.negate() : value;
    }

    static Double parseFloat(String text) {
        String lower = text.toLowerCase(Locale.ROOT);
        String unsigned = lower.startsWith("-") || lower.startsWith("+") ? lower.substring(1) : lower;
        if (unsigned.equals(".inf")) {
            return lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
        }
        if (unsigned.equals(".nan")) {
            return Double.NaN;
        }
        // Double.parseDouble also takes forms YAML does not (hex floats, "Infinity", a trailing d).
        if (!lower.matches("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)(e[-+]?[0-9]+)?")) {
            return null;
        }
        return Double.parseDouble(lower);
    }

    /** The option within edit distance 2 of {@code given} (and not merely a rewrite of it), or null. */
    static String suggest(String given, List<String> options) {
        String best = null;
        int bestDistance = 3;
        for (String option : options) {
            int d = distance(given.toLowerCase(Locale.ROOT), option, bestDistance);
            if (d < bestDistance && d < option.length()) {
                best = option;
                bestDistance = d;
            }
        }
        return best;
    }

    /** Optimal-string-alignment distance (transpositions count 1), cut off at {@code cap}. */
    private static int distance(String a, String b, int cap) {
        if (Math.abs(a.length() - b.length()) >= cap || a.length() > 200) {
            return cap;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
