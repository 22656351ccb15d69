package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/**
 * One trial of a spec: weights, inputs and targets drawn as the spec says, from a recipe that draws it
 * again exactly. jqwik's {@code Trials.of(spec)} generates and shrinks them.
 */
@API(status = STABLE, since = "0.2")
public interface Trial {

    /** The spec the trial was drawn from (its network narrowed if the trial was shrunk). */
    GradientSpec spec();

    /**
     * How to draw it again, e.g. {@code seed=-42 examples=1 digits=2 units=1,3}: give it to
     * {@code ./gradproof check SPEC --recipe "..."}.
     */
    String recipe();

    /** Examples in the trial's batch. */
    int examples();

    /** Parameters of its network. */
    int parameters();
}
