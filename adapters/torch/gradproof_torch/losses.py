"""The spec's loss in torch.nn.functional: per step, then over the steps of a sequence, then over examples,
plus the L2 term (docs/LAYERS.md, "Losses"; docs/PROTOCOL.md for reduction and L2)."""
import torch
import torch.nn.functional as F


def reads_logits(loss, last_activation):
    """Whether the loss is taken from the last layer's z: sigmoid + binary cross-entropy, softmax + cross-entropy
    or KL divergence (exact where log(a) of a rounded probability is not)."""
    return (loss["type"], last_activation) in (("binary_cross_entropy", "sigmoid"), ("softmax_cross_entropy", "softmax"),
                                               ("kl_divergence", "softmax"))


def per_step(loss, logits, softmax_last, v, y):
    """[N, S] losses from v and y of shape [N, S, K]; v is z when `logits`, else the output a (probabilities
    after a softmax last layer, which cross-entropy and KL divergence then take the log of)."""
    kind, k = loss["type"], v.shape[-1]
    if kind == "squared_error":
        return 0.5 * F.mse_loss(v, y, reduction="none").sum(-1)
    if kind == "mse":
        return F.mse_loss(v, y, reduction="none").mean(-1)
    if kind == "l1":
        return F.l1_loss(v, y, reduction="none").mean(-1)
    if kind == "huber":
        return F.huber_loss(v, y, reduction="none", delta=loss["delta"]).mean(-1)
    if kind == "hinge":
        n, s = v.shape[:2]
        return F.multi_margin_loss(v.reshape(-1, k), y.reshape(-1, k).argmax(-1), reduction="none").reshape(n, s)
    if kind == "binary_cross_entropy":
        bce = F.binary_cross_entropy_with_logits if logits else F.binary_cross_entropy
        return bce(v, y, reduction="none").sum(-1)
    log_q = F.log_softmax(v, dim=-1) if logits else (torch.log(v) if softmax_last else v)
    if kind == "softmax_cross_entropy":
        if logits:   # CrossEntropyLoss with probability targets, classes on dim 1
            return F.cross_entropy(v.transpose(1, 2), y.transpose(1, 2), reduction="none")
        return -(y * log_q).sum(-1)
    if kind == "kl_divergence":
        return F.kl_div(log_q, y, reduction="none").sum(-1)
    raise ValueError(f"loss {kind} is not supported by gradproof-torch")


def total(network, z, a, y, tensors, logits):
    """The scalar loss of the batch: z, a the last layer's output before and after its activation."""
    loss, out = network["loss"], network["layers"][-1]["output"]
    n = a.shape[0]
    steps = out["shape"][0] if out["kind"] == "sequence" else 1
    v = z if logits else a
    softmax_last = (network["layers"][-1].get("activation") or {}).get("name") == "softmax"
    values = per_step(loss, logits, softmax_last, v.reshape(n, steps, -1), y.reshape(n, steps, -1))
    per_example = values.mean(-1) if loss["steps"] == "mean" else values.sum(-1)
    result = per_example.mean() if loss["reduction"] == "mean" else per_example.sum()
    l2 = network["l2"]
    if l2["lambda"] != 0:
        m = n if loss["reduction"] == "mean" else 1
        result = result + l2["lambda"] / (2 * m) * sum((tensors[t] ** 2).sum() for t in l2["tensors"])
    return result
