package dev.gradproof.api;

/** An implementation's answer: its loss and its gradient (shaped like the parameters). */
public record Evaluation(double loss, Parameters gradient) {
}
