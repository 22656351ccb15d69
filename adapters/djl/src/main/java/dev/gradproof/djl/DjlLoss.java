package dev.gradproof.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.nn.Activation;
import dev.gradproof.api.GraphDescription;

import java.util.List;
import java.util.Map;

/**
 * The spec's loss from DJL ops (docs/LAYERS.md, "Losses"): per step over its K values, then over a
 * sequence's steps, then over examples, plus λ/(2m)·ΣW². Cross-entropy after a sigmoid or softmax is taken
 * from the logits z, as PyTorch's BCEWithLogitsLoss and CrossEntropyLoss do (and the spec's reference).
 */
final class DjlLoss {
    private DjlLoss() {
    }

    /** Whether the loss reads z rather than the output a (the same pairs as the torch adapter's). */
    static boolean readsLogits(String loss, String lastActivation) {
        return loss.equals("binary_cross_entropy") && "sigmoid".equals(lastActivation)
                || loss.equals("softmax_cross_entropy") && "softmax".equals(lastActivation)
                || loss.equals("kl_divergence") && "softmax".equals(lastActivation);
    }

    /**
     * @param z the last layer's output before its activation, [N, ...]
     * @param a the same after its activation
     * @param y the targets, shaped like a
     */
    @SuppressWarnings("unchecked")
    static NDArray total(GraphDescription g, NDArray z, NDArray a, NDArray y, Map<String, NDArray> tensors) {
        Map<String, Object> loss = g.loss();
        String type = (String) loss.get("type");
        GraphDescription.Layer last = g.layers().get(g.layers().size() - 1);
        boolean logits = readsLogits(type, last.activation());
        long n = a.getShape().get(0);
        long steps = "sequence".equals(last.outputKind()) ? last.output().get(0) : 1;
        NDArray v = (logits ? z : a).reshape(n, steps, -1);
        NDArray t = y.reshape(n, steps, -1);
        NDArray values = perStep(type, ((Number) loss.get("delta")).doubleValue(), logits, v, t);
        NDArray perExample = "mean".equals(loss.get("steps")) ? values.mean(new int[] {1}) : values.sum(new int[] {1});
        NDArray result = "mean".equals(loss.get("reduction")) ? perExample.mean() : perExample.sum();
        double lambda = ((Number) loss.get("l2")).doubleValue();
        if (lambda != 0) {
            double m = "mean".equals(loss.get("reduction")) ? n : 1;
            NDArray squares = null;
            for (String name : (List<String>) loss.get("l2_tensors")) {
                NDArray s = tensors.get(name).square().sum();
                squares = squares == null ? s : squares.add(s);
            }
            if (squares != null) {
                result = result.add(squares.mul(lambda / (2 * m)));
            }
        }
        return result;
    }

    /** [N, S] losses from v and y of shape [N, S, K]. */
    private static NDArray perStep(String type, double delta, boolean logits, NDArray v, NDArray y) {
        int last = 2;
        return switch (type) {
            case "squared_error" -> v.sub(y).square().sum(new int[] {last}).mul(0.5);
            case "mse" -> v.sub(y).square().mean(new int[] {last});
            case "l1" -> v.sub(y).abs().mean(new int[] {last});
            case "huber" -> {
                NDArray d = v.sub(y);
                NDArray abs = d.abs();
                NDArray quadratic = d.square().mul(0.5);
                NDArray linear = abs.sub(0.5 * delta).mul(delta);
                yield NDArrays.where(abs.lt(delta), quadratic, linear).mean(new int[] {last});
            }
            case "hinge" -> {
                // PyTorch's MultiMarginLoss: (1/K) Σ_{i≠c} max(0, 1 − v_c + v_i), c the one-hot target's class
                NDArray vc = v.mul(y).sum(new int[] {last}, true);
                NDArray margins = Activation.relu(v.sub(vc).add(1.0)).mul(y.neg().add(1.0));
                yield margins.mean(new int[] {last});
            }
            case "binary_cross_entropy" -> logits
                    // y·softplus(−z) + (1 − y)·softplus(z): BCEWithLogitsLoss, exact at z = 0
                    ? y.mul(Activation.softPlus(v.neg())).add(y.neg().add(1.0).mul(Activation.softPlus(v)))
                            .sum(new int[] {last})
                    : y.mul(v.log()).add(y.neg().add(1.0).mul(v.neg().add(1.0).log())).neg().sum(new int[] {last});
            case "softmax_cross_entropy" -> y.mul(logits ? v.logSoftmax(last) : v.log()).neg().sum(new int[] {last});
            case "kl_divergence" -> {
                // Σ_{y>0} y (log y − log q): 0·log 0 = 0, as PyTorch's KLDivLoss
                NDArray logQ = logits ? v.logSoftmax(last) : v;
                NDArray positive = y.gt(0.0);
                NDArray logY = NDArrays.where(positive, y, y.onesLike()).log();
                yield NDArrays.where(positive, y.mul(logY.sub(logQ)), y.zerosLike()).sum(new int[] {last});
            }
            default -> throw new UnsupportedOperationException("DJL adapter: loss " + type
                    + " is not one this adapter knows");
        };
    }
}
