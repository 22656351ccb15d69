package dev.gradproof.api;

import static org.apiguardian.api.API.Status.STABLE;

import org.apiguardian.api.API;

/** An implementation's answer: its loss and its gradient (shaped like the parameters). */
@API(status = STABLE, since = "0.2")
public record Evaluation(double loss, Parameters gradient) {
}
