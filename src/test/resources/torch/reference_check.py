"""Independent check of gradproof's graph reference: every case's forward pass and gradients by PyTorch.

Reads a JSON list of cases (file given as argv[1]), writes a JSON list of answers (argv[2]). Each case
describes a network the way gradproof's GraphNetwork holds it (input shape, layers with their options,
`from` and activation, named parameters, inputs) and either a linear functional of the last layer's
output (`c`) or a loss (with targets, reduction, L2). Everything is computed in float64 with torch.nn
modules and torch.nn.functional, and differentiated by autograd: nothing here is gradproof's code.

Answer per case: {"id", "out": last layer's output, "loss": scalar (loss mode), "grad_x": dL/dx or
null for token ids, "grads": {parameter name: dL/dθ}} or {"id", "error": message}.
"""
import json
import sys

import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def t(values, shape):
    return torch.tensor(values, dtype=torch.float64).reshape(shape)


def activation(spec, z):
    if spec is None:
        return z
    name = spec["name"]
    if name == "identity":
        return z
    if name == "sigmoid" or name == "logistic":
        return torch.sigmoid(z)
    if name == "tanh":
        return torch.tanh(z)
    if name == "relu":
        return torch.relu(z)
    if name == "leaky_relu":
        return F.leaky_relu(z, negative_slope=spec["slope"])
    if name == "elu":
        return F.elu(z, alpha=spec["alpha"])
    if name == "softplus":
        # log(1 + e^z) without softplus's linear cut-off above 20
        return torch.logaddexp(z, torch.zeros_like(z))
    if name == "softmax":
        return torch.softmax(z, dim=-1)
    raise ValueError("activation " + name)


class Recurrent:
    """nn.RNN/LSTM/GRU with gradproof's parameter names mapped to PyTorch's *_l0 ones."""

    def __init__(self, kind, features, options, params, name):
        cls = {"rnn": torch.nn.RNN, "lstm": torch.nn.LSTM, "gru": torch.nn.GRU}[kind]
        kwargs = {"nonlinearity": "tanh"} if kind == "rnn" else {}
        self.module = cls(features, options["hidden"], batch_first=True, bias=options["bias"], **kwargs).double()
        self.names = {}
        with torch.no_grad():
            for ours in ["weight_ih", "weight_hh", "bias_ih", "bias_hh"]:
                key = name + "." + ours
                if key in params:
                    p = getattr(self.module, ours + "_l0")
                    p.copy_(params[key].detach().reshape(p.shape))
                    self.names[key] = p

    def __call__(self, x, options):
        out, _ = self.module(x)
        return out if options["return_sequence"] else out[:, -1, :]


def layer(spec, inputs, params, extra, case):
    kind = spec["type"]
    o = spec["options"]
    name = spec["name"]
    x = inputs[0]
    p = lambda n: params.get(name + "." + n)
    if kind == "dense":
        return F.linear(x, p("weight"), p("bias"))
    if kind == "conv1d":
        return F.conv1d(x, p("weight"), p("bias"), stride=o["stride"], padding=o["padding"], dilation=o["dilation"])
    if kind == "conv2d":
        return F.conv2d(x, p("weight"), p("bias"), stride=o["stride"], padding=o["padding"], dilation=o["dilation"])
    if kind == "max_pool2d":
        return F.max_pool2d(x, o["kernel"], stride=o["stride"], padding=o["padding"])
    if kind == "avg_pool2d":
        return F.avg_pool2d(x, o["kernel"], stride=o["stride"], padding=o["padding"], count_include_pad=True)
    if kind == "global_avg_pool":
        return x.mean(dim=tuple(range(2, x.dim())))
    if kind == "flatten":
        return x.flatten(1)
    if kind == "batch_norm":
        return F.batch_norm(x, None, None, p("weight"), p("bias"), training=True, momentum=0.0, eps=o["eps"])
    if kind == "layer_norm":
        return F.layer_norm(x, o["normalized_shape"], p("weight"), p("bias"), eps=o["eps"])
    if kind == "dropout":
        return x * t(case["masks"][name], x.shape)
    if kind == "embedding":
        return F.embedding(x.long(), p("weight"))
    if kind == "position_embedding":
        return x + p("weight")
    if kind in ("rnn", "lstm", "gru"):
        r = Recurrent(kind, x.shape[-1], o, params, name)
        extra.update(r.names)
        return r(x, o)
    if kind == "attention":
        dim = x.shape[-1]
        m = torch.nn.MultiheadAttention(dim, o["heads"], bias=o["bias"], batch_first=True).double()
        with torch.no_grad():
            m.in_proj_weight.copy_(p("in_proj_weight").detach())
            m.out_proj.weight.copy_(p("out_proj.weight").detach())
            if o["bias"]:
                m.in_proj_bias.copy_(p("in_proj_bias").detach())
                m.out_proj.bias.copy_(p("out_proj.bias").detach())
        extra[name + ".in_proj_weight"] = m.in_proj_weight
        extra[name + ".out_proj.weight"] = m.out_proj.weight
        if o["bias"]:
            extra[name + ".in_proj_bias"] = m.in_proj_bias
            extra[name + ".out_proj.bias"] = m.out_proj.bias
        steps = x.shape[1]
        mask = torch.triu(torch.ones(steps, steps, dtype=torch.bool), diagonal=1) if o["causal"] else None
        out, _ = m(x, x, x, attn_mask=mask, need_weights=False)
        return out
    if kind == "add":
        s = inputs[0]
        for other in inputs[1:]:
            s = s + other
        return s
    if kind == "concat":
        axis = 1 if spec["input_kinds"][0] == "CHANNELS" else -1
        return torch.cat(inputs, dim=axis)
    raise ValueError("layer type " + kind)


def per_step_loss(loss, z, a, y, steps_of):
    """One loss value per example and step: [N, S]."""
    kind = loss["kind"]
    n = a.shape[0]
    k = a.numel() // n // steps_of
    a = a.reshape(n, steps_of, k)
    z = z.reshape(n, steps_of, k)
    y = y.reshape(n, steps_of, k)
    if kind == "SQUARED_ERROR":
        return 0.5 * ((a - y) ** 2).sum(-1)
    if kind == "MSE":
        return F.mse_loss(a, y, reduction="none").mean(-1)
    if kind == "BINARY_CROSS_ENTROPY":
        if loss["logits"]:
            return F.binary_cross_entropy_with_logits(z, y, reduction="none").sum(-1)
        return F.binary_cross_entropy(a, y, reduction="none").sum(-1)
    if kind == "SOFTMAX_CROSS_ENTROPY":
        # CrossEntropyLoss with probability targets; classes on dim 1
        return F.cross_entropy(z.transpose(1, 2), y.transpose(1, 2), reduction="none")
    if kind == "L1":
        return F.l1_loss(a, y, reduction="none").mean(-1)
    if kind == "HUBER":
        return F.huber_loss(a, y, reduction="none", delta=loss["delta"]).mean(-1)
    if kind == "HINGE":
        return F.multi_margin_loss(a.reshape(-1, k), y.reshape(-1, k).argmax(-1), reduction="none").reshape(n, steps_of)
    if kind == "KL_DIVERGENCE":
        logq = F.log_softmax(z, dim=-1) if loss["logits"] else a
        return F.kl_div(logq, y, reduction="none").sum(-1)
    raise ValueError("loss " + kind)


def run(case):
    n = case["n"]
    params = {}
    for name, spec in case["params"].items():
        params[name] = t(spec["values"], spec["shape"]).requires_grad_(True)
    tokens = case["input"]["kind"] == "TOKENS"
    x = t(case["x"], [n] + case["input"]["dims"])
    if not tokens:
        x.requires_grad_(True)
    outputs = []
    pre = []
    extra = {}
    for spec in case["layers"]:
        ins = [x if f < 0 else outputs[f] for f in spec["from"]]
        z = layer(spec, ins, params, extra, case)
        pre.append(z)
        outputs.append(activation(spec.get("activation"), z))
    a, z = outputs[-1], pre[-1]
    answer = {"id": case["id"], "out": a.detach().reshape(-1).tolist()}
    # Parameters a module owns (recurrent cells, attention) are its own tensors, not ours.
    leaves = dict(params)
    leaves.update(extra)
    if "c" in case:
        total = (a.reshape(-1) * t(case["c"], [-1])).sum()
    else:
        loss = case["loss"]
        y = t(case["y"], a.shape)
        per_example = per_step_loss(loss, z, a, y, loss["steps_of"])
        per_example = per_example.mean(-1) if loss["steps"] == "MEAN" else per_example.sum(-1)
        total = per_example.mean() if case["reduction"] == "mean" else per_example.sum()
        if case["l2"] != 0:
            scale = case["l2"] / (n if case["reduction"] == "mean" else 1)
            squares = sum((leaves[name] ** 2).sum() for name in case["penalised"])
            total = total + 0.5 * scale * squares
        answer["loss"] = total.item()
    names = list(leaves.keys())
    wrt = [leaves[k] for k in names] + ([] if tokens else [x])
    grads = torch.autograd.grad(total, wrt, allow_unused=True)
    answer["grads"] = {}
    for name, g in zip(names, grads):
        answer["grads"][name] = None if g is None else g.reshape(-1).tolist()
    answer["grad_x"] = None if tokens else (grads[-1].reshape(-1).tolist() if grads[-1] is not None else None)
    return answer


def main():
    with open(sys.argv[1]) as f:
        cases = json.load(f)
    answers = []
    for case in cases:
        try:
            answers.append(run(case))
        except Exception as e:  # one broken case must not hide the others' answers
            answers.append({"id": case["id"], "error": type(e).__name__ + ": " + str(e)})
    with open(sys.argv[2], "w") as f:
        json.dump({"torch": torch.__version__, "answers": answers}, f)


if __name__ == "__main__":
    main()
