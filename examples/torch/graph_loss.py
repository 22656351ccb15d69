"""A gradproof layer graph (protocol 2's description, docs/PROTOCOL.md) as a float64 torch loss function.

For gradcheck_bench.py: the loss as a function of the named parameter tensors, so that
torch.autograd.gradcheck checks d loss / d parameters on the very network, parameters and batch gradproof
checked. The conventions are docs/LAYERS.md's (and examples/numpy/layers.py's): PyTorch's layouts and
parameter shapes, LSTM gates i, f, g, o, GRU gates r, z, n with the reset gate on the whole recurrent
part, batch norm on batch statistics, attention as MultiheadAttention with query = key = value.
"""
import math

import torch
import torch.nn.functional as F


def activation(spec):
    name = (spec or {}).get("name", "identity")
    slope, alpha = (spec or {}).get("slope", 0.01), (spec or {}).get("alpha", 1.0)
    table = {
        "identity": lambda z: z,
        "sigmoid": torch.sigmoid,
        "tanh": torch.tanh,
        "relu": torch.relu,
        "leaky_relu": lambda z: F.leaky_relu(z, slope),
        "elu": lambda z: F.elu(z, alpha),
        "softplus": F.softplus,
        "softmax": lambda z: torch.softmax(z, dim=-1),
    }
    if name not in table:
        raise SystemExit(f"gradcheck_bench: activation {name} is not supported here")
    return table[name]


def recurrent(kind, x, P, hidden, sequence):
    """rnn, lstm, gru from a zero state, step by step (as layers.py's Recurrent)."""
    n, steps = x.shape[0], x.shape[1]
    zeros = torch.zeros(P["weight_ih"].shape[0], dtype=x.dtype)
    b_ih, b_hh = P.get("bias_ih", zeros), P.get("bias_hh", zeros)
    from_x = x @ P["weight_ih"].T + b_ih
    h = torch.zeros(n, hidden, dtype=x.dtype)
    c = torch.zeros(n, hidden, dtype=x.dtype)
    out = []
    for t in range(steps):
        from_h = h @ P["weight_hh"].T + b_hh
        if kind == "rnn":
            h = torch.tanh(from_x[:, t] + from_h)
        elif kind == "lstm":
            i, f, g, o = (from_x[:, t] + from_h).chunk(4, dim=1)
            c = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
            h = torch.sigmoid(o) * torch.tanh(c)
        else:
            xr, xz, xn = from_x[:, t].chunk(3, dim=1)
            hr, hz, hn = from_h.chunk(3, dim=1)
            r, z = torch.sigmoid(xr + hr), torch.sigmoid(xz + hz)
            h = (1 - z) * torch.tanh(xn + r * hn) + z * h
        out.append(h)
    return torch.stack(out, dim=1) if sequence else h


def attention(x, P, heads, causal):
    n, steps, dim = x.shape
    qkv = x @ P["in_proj_weight"].T + (P["in_proj_bias"] if "in_proj_bias" in P else 0)
    q, k, v = (t.reshape(n, steps, heads, -1).transpose(1, 2) for t in qkv.chunk(3, dim=-1))
    scores = q @ k.transpose(-1, -2) / math.sqrt(dim // heads)
    if causal:
        scores = scores.masked_fill(torch.triu(torch.ones(steps, steps, dtype=torch.bool), 1), float("-inf"))
    o = (torch.softmax(scores, dim=-1) @ v).transpose(1, 2).reshape(n, steps, dim)
    y = o @ P["out_proj.weight"].T
    return y + P["out_proj.bias"] if "out_proj.bias" in P else y


def layer(spec, P, xs, masks):
    """One layer's z (before its activation) from its inputs."""
    kind, x = spec["type"], xs[0]
    if kind == "dense":
        return F.linear(x, P["weight"], P.get("bias"))
    if kind in ("conv1d", "conv2d"):
        conv = F.conv1d if kind == "conv1d" else F.conv2d
        return conv(x, P["weight"], P.get("bias"), spec["stride"], spec["padding"], spec["dilation"])
    if kind == "max_pool2d":
        return F.max_pool2d(x, spec["kernel"], spec["stride"], spec["padding"])
    if kind == "avg_pool2d":
        return F.avg_pool2d(x, spec["kernel"], spec["stride"], spec["padding"], count_include_pad=True)
    if kind == "global_avg_pool":
        return x.flatten(2).mean(dim=2)
    if kind == "flatten":
        return x.reshape(x.shape[0], -1)
    if kind == "batch_norm":
        return F.batch_norm(x, None, None, P.get("weight"), P.get("bias"), training=True, eps=spec["eps"])
    if kind == "layer_norm":
        return F.layer_norm(x, spec["normalized_shape"], P.get("weight"), P.get("bias"), spec["eps"])
    if kind == "dropout":
        return x * masks[spec["name"]]
    if kind == "embedding":
        return F.embedding(x, P["weight"])
    if kind == "position_embedding":
        return x + P["weight"]
    if kind in ("rnn", "lstm", "gru"):
        return recurrent(kind, x, P, spec["hidden"], spec["return"] == "sequence")
    if kind == "attention":
        return attention(x, P, spec["heads"], spec["causal"])
    if kind == "add":
        return sum(xs[1:], xs[0])
    if kind == "concat":
        return torch.cat(xs, dim=1 if spec["output"]["kind"] == "channels" else -1)
    raise SystemExit(f"gradcheck_bench: layer type {kind} is not supported here")


def per_step_loss(kind, last_activation, z, a, y):
    """[N, S] losses from the last layer's z and a ([N, S, K]), as examples/numpy/net.py's loss_terms."""
    if kind == "softmax_cross_entropy" and last_activation == "softmax":
        return -(y * torch.log_softmax(z, dim=-1)).sum(dim=-1)
    if kind == "binary_cross_entropy" and last_activation == "sigmoid":
        return (y * F.softplus(-z) + (1 - y) * F.softplus(z)).sum(dim=-1)
    if kind == "binary_cross_entropy":
        return -(y * torch.log(a) + (1 - y) * torch.log1p(-a)).sum(dim=-1)
    if kind == "squared_error":
        return 0.5 * ((a - y) ** 2).sum(dim=-1)
    if kind == "mse":
        return ((a - y) ** 2).mean(dim=-1)
    raise SystemExit(f"gradcheck_bench: loss {kind} is not supported here for a layer graph")


def load(dump, examples):
    """(names, parameter tensors, loss(*params)) for a protocol 2 dump, on its first `examples` examples."""
    net = dump["network"]
    tokens = net["input"]["kind"] == "tokens"
    x = torch.tensor(dump["x"], dtype=torch.int64 if tokens else torch.float64)
    y = torch.tensor(dump["y"], dtype=torch.float64)
    masks = {k: torch.tensor(v, dtype=torch.float64) for k, v in (dump.get("masks") or {}).items()}
    if examples is not None:
        if examples > x.shape[0]:
            raise SystemExit(f"gradcheck_bench: the dump has {x.shape[0]} examples, asked for {examples}")
        x, y, masks = x[:examples], y[:examples], {k: v[:examples] for k, v in masks.items()}
    names = list(dump["params"])
    params = tuple(torch.tensor(dump["params"][n], dtype=torch.float64, requires_grad=True) for n in names)
    layers = net["layers"]
    acts = [activation(l.get("activation")) for l in layers]
    last = layers[-1]
    last_act = (last.get("activation") or {}).get("name", "identity")
    spec = net["loss"]
    lam, penalised = net["l2"]["lambda"], net["l2"]["tensors"]

    def loss(*ps):
        by_name = dict(zip(names, ps))
        outputs, z = {"input": x}, None
        for l, act in zip(layers, acts):
            own = {n.split(".", 1)[1]: by_name[n] for n in l["parameters"]}
            z = layer(l, own, [outputs[f] for f in l["from"]], masks)
            outputs[l["name"]] = act(z)
        n = x.shape[0]
        steps = last["output"]["shape"][0] if last["output"]["kind"] == "sequence" else 1
        per_step = per_step_loss(spec["type"], last_act, z.reshape(n, steps, -1), outputs[last["name"]].reshape(n, steps, -1),
                                 y.reshape(n, steps, -1))
        per_example = per_step.sum(dim=1) / (steps if spec.get("steps", "mean") == "mean" else 1)
        m = n if spec["reduction"] == "mean" else 1
        value = per_example.sum() / m
        if lam:
            value = value + lam / (2 * m) * sum((by_name[t] ** 2).sum() for t in penalised)
        return value

    return names, params, loss
