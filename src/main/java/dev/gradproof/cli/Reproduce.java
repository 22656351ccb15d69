package dev.gradproof.cli;

import dev.gradproof.compare.ParameterResult;
import dev.gradproof.compare.SpecResult;
import dev.gradproof.network.TrialGenerator;
import dev.gradproof.network.TrialRecipe;
import dev.gradproof.network.graph.GraphRecipe;
import dev.gradproof.spec.Spec;

import java.util.Map;
import java.util.regex.Pattern;

/**
 * The command that checks a failing spec's first failing trial again, printed under its FAIL and kept
 * in report.json. A trial is redrawn exactly with {@code --recipe}: a dense chain's on any
 * implementation, a layer graph's (its trial seed) on the reference network, which is where
 * {@code --recipe} runs a graph; for a graph under another implementation the command redraws the
 * spec's trials up to and including the failing one from the seed.
 */
final class Reproduce {
    private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./:=,+@%-]+");

    private Reproduce() {
    }

    /**
     * @param given the --recipe this run checked, if any (the result then holds that one trial)
     * @param impl  the --impl given, if any, which the command must name again
     * @param shard the --shard given, if any
     * @return null for a result without a mismatching parameter-trial (a pass, an error, a skip)
     */
    static SpecResult.Reproduction of(SpecResult r, String given, String impl, String shard) {
        Spec spec = r.spec();
        if (spec == null || r.file() == null || r.isSkipped() || r.mismatches().isEmpty()) {
            return null;
        }
        int first = r.mismatches().stream().mapToInt(ParameterResult::trial).min().orElse(0);
        StringBuilder command = new StringBuilder("./gradproof check ").append(shell(r.file().toString()));
        String recipe = null;
        boolean reference = impl == null && spec.implementation().isReference();
        if (spec.network().isGraph() && !reference) {
            command.append(" --seed ").append(spec.seed()).append(" --trials ").append(first + 1);
        } else if (spec.network().isGraph()) {
            recipe = given != null ? given.strip()
                    : new GraphRecipe(TrialGenerator.trialSeed(spec.seed(), first), 0, Map.of(), 0).toString();
            command.append(" --recipe \"").append(recipe).append('"');
        } else {
            recipe = given != null ? given.strip() : TrialRecipe.full(spec, first).toString();
            command.append(" --recipe \"").append(recipe).append('"');
        }
        if (impl != null) {
            command.append(" --impl ").append(shell(impl));
        }
        if (shard != null) {
            command.append(" --shard ").append(shell(shard));
        }
        return new SpecResult.Reproduction(recipe, command.toString());
    }

    /** A word as a POSIX shell reads it back: as it is when plain, else in single quotes. */
    static String shell(String word) {
        return PLAIN.matcher(word).matches() ? word : "'" + word.replace("'", "'\\''") + "'";
    }
}
