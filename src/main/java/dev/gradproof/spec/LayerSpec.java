package dev.gradproof.spec;

import static org.apiguardian.api.API.Status.INTERNAL;

import org.apiguardian.api.API;

/**
 * One dense layer {@code a = f(W a_prev + b)}.
 *
 * @param units      output width
 * @param activation nonlinearity, with its declared derivative
 * @param bias       whether the layer has a bias vector
 * @param frozen     parameters take part in the forward pass but are excluded from the check
 *                   (PyTorch's {@code requires_grad=False})
 */
@API(status = INTERNAL, since = "0.2")
public record LayerSpec(int units, ActivationSpec activation, boolean bias, boolean frozen) {
}
