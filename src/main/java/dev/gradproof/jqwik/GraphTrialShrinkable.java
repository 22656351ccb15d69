package dev.gradproof.jqwik;

import dev.gradproof.network.graph.GraphFactory;
import dev.gradproof.network.graph.GraphRecipe;
import dev.gradproof.network.graph.GraphTrialCase;
import dev.gradproof.spec.GraphSpec;
import dev.gradproof.spec.Spec;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import net.jqwik.api.Shrinkable;
import net.jqwik.api.ShrinkingDistance;

/**
 * A layer graph's trial as jqwik shrinks it: a smaller batch, narrower layers (units, channels, hidden
 * sizes) and a shorter sequence, each candidate drawn again from the same seed. A candidate whose shapes no
 * longer join (a concat of layers narrowed apart) is simply not offered.
 */
final class GraphTrialShrinkable implements Shrinkable<GraphTrialCase> {
    private final Spec spec;
    private final GraphRecipe recipe;
    private GraphTrialCase value;

    GraphTrialShrinkable(Spec spec, GraphRecipe recipe) {
        this.spec = spec;
        this.recipe = recipe;
    }

    @Override
    public synchronized GraphTrialCase value() {
        if (value == null) {
            value = GraphFactory.materialize(spec, recipe);
        }
        return value;
    }

    @Override
    public Stream<Shrinkable<GraphTrialCase>> shrink() {
        GraphSpec graph = spec.network().graph();
        List<GraphRecipe> candidates = new ArrayList<>();
        int examples = recipe.examples() > 0 ? recipe.examples() : spec.data().examples();
        boolean randomData = spec.data().csv() == null && spec.data().generator() == null;
        if (randomData) {
            for (int e : smaller(examples)) {
                candidates.add(new GraphRecipe(recipe.seed(), e, recipe.widths(), recipe.steps()));
            }
        }
        int steps = recipe.steps() > 0 ? recipe.steps() : graph.input().dims()[0];
        var kind = graph.input().kind();
        if (kind == dev.gradproof.spec.layers.Shape.Kind.SEQUENCE || kind == dev.gradproof.spec.layers.Shape.Kind.TOKENS) {
            for (int t : smaller(steps)) {
                candidates.add(new GraphRecipe(recipe.seed(), recipe.examples(), recipe.widths(), t));
            }
        }
        int last = graph.layers().size();
        for (int l = 1; l < last; l++) {   // the output layer's width is the targets'
            int width = recipe.widths().getOrDefault(graph.name(l), graph.width(l));
            for (int w : width > 0 ? smaller(width) : Set.<Integer>of()) {
                candidates.add(recipe.withWidth(graph.name(l), w));
            }
        }
        return candidates.stream().filter(r -> graph.narrowed(r.widths(), r.steps()) != null)
                .map(r -> new GraphTrialShrinkable(spec, r));
    }

    private static Set<Integer> smaller(int n) {
        Set<Integer> out = new LinkedHashSet<>();
        for (int c : new int[] {1, n / 2, n - 1}) {
            if (c >= 1 && c < n) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public ShrinkingDistance distance() {
        long widths = recipe.widths().values().stream().mapToLong(Integer::longValue).sum();
        long untouched = spec.network().graph().layers().size() - recipe.widths().size();
        int examples = recipe.examples() > 0 ? recipe.examples() : spec.data().examples();
        return ShrinkingDistance.of(examples, widths + 1000L * untouched, recipe.steps() > 0 ? recipe.steps() : 1000);
    }

    static GraphTrialShrinkable first(Spec spec, long seed) {
        return new GraphTrialShrinkable(spec, new GraphRecipe(seed, 0, Map.of(), 0));
    }
}
