"""A protocol 2 network (docs/PROTOCOL.md, "Version 2") built from torch.nn modules, in float64.

Each layer is the torch.nn module PyTorch users would write (nn.Conv2d, nn.LSTM, nn.MultiheadAttention,
...), differentiated by autograd; docs/LAYERS.md says which call each layer type corresponds to. The
spec's tensor names map to the modules' parameters (`lstm1.weight_ih` is nn.LSTM's `weight_ih_l0`).
"""
import torch
import torch.nn as nn

from gradproof_torch import masks as current_masks


class FixedDropout(nn.Module):
    """Dropout with the mask the parent sent for the spec layer `name` (multipliers 0 or 1/(1 - p)).

    Put it in your own module where the spec has a dropout layer: nn.Dropout draws a new mask on every
    call, which no gradient check can follow.
    """

    def __init__(self, name):
        super().__init__()
        self.name = name

    def forward(self, x):
        mask = current_masks.get(self.name)
        if mask is None:
            raise ValueError(f"FixedDropout {self.name}: the request carries no mask for it")
        return x * mask


class LogAddExpSoftplus(nn.Module):
    """log(1 + e^z) everywhere: nn.Softplus returns z itself above z = 20, which differs by e^-20 ~ 2e-9."""

    def forward(self, z):
        return torch.logaddexp(z, torch.zeros_like(z))


def activation(spec):
    if spec is None:
        return nn.Identity()
    name = spec["name"]
    table = {"identity": nn.Identity, "sigmoid": nn.Sigmoid, "tanh": nn.Tanh, "relu": nn.ReLU,
             "softplus": LogAddExpSoftplus, "leaky_relu": lambda: nn.LeakyReLU(spec["slope"]),
             "elu": lambda: nn.ELU(spec["alpha"]), "softmax": lambda: nn.Softmax(dim=-1)}
    if name not in table:
        raise ValueError(f"activation {name} is not supported by gradproof-torch")
    return table[name]()


def module(spec, inputs):
    """The torch.nn module of one layer, given its inputs' {"kind", "shape"} (one example, no batch axis)."""
    t, shape = spec["type"], inputs[0]["shape"]
    if t == "dense":
        return nn.Linear(shape[-1], spec["units"], bias=spec["bias"])
    if t in ("conv1d", "conv2d"):
        cls = nn.Conv1d if t == "conv1d" else nn.Conv2d
        return cls(shape[0], spec["out_channels"], spec["kernel"], stride=spec["stride"], padding=spec["padding"],
                   dilation=spec["dilation"], bias=spec["bias"])
    if t == "max_pool2d":
        return nn.MaxPool2d(spec["kernel"], stride=spec["stride"], padding=spec["padding"])
    if t == "avg_pool2d":
        return nn.AvgPool2d(spec["kernel"], stride=spec["stride"], padding=spec["padding"], count_include_pad=True)
    if t == "global_avg_pool":
        return nn.Sequential(nn.AdaptiveAvgPool1d(1) if len(shape) == 2 else nn.AdaptiveAvgPool2d(1), nn.Flatten())
    if t == "flatten":
        return nn.Flatten()
    if t == "batch_norm":
        cls = nn.BatchNorm2d if len(shape) == 3 else nn.BatchNorm1d
        return cls(shape[0], eps=spec["eps"], affine=spec["affine"], track_running_stats=False)
    if t == "layer_norm":
        return nn.LayerNorm(spec["normalized_shape"], eps=spec["eps"], elementwise_affine=spec["affine"])
    if t == "dropout":
        return FixedDropout(spec["name"])
    if t == "embedding":
        return nn.Embedding(spec["vocabulary"], spec["dim"])
    if t == "position_embedding":
        return nn.Embedding(shape[0], shape[1])
    if t in ("rnn", "lstm", "gru"):
        cls = {"rnn": nn.RNN, "lstm": nn.LSTM, "gru": nn.GRU}[t]
        return cls(shape[-1], spec["hidden"], batch_first=True, bias=spec["bias"])
    if t == "attention":
        return nn.MultiheadAttention(spec["dim"], spec["heads"], bias=spec["bias"], batch_first=True)
    if t in ("add", "concat"):
        return nn.Identity()   # no parameters: joined in call()
    raise ValueError(f"layer type {t} is not supported by gradproof-torch")


def call(spec, m, xs, replaced):
    """One layer's output from its inputs (the few types whose module call is not simply m(x))."""
    t = spec["type"]
    if replaced:
        return m(*xs)
    if t == "add":
        return sum(xs[1:], xs[0])
    if t == "concat":
        return torch.cat(xs, dim=1 if spec["output"]["kind"] == "channels" else -1)
    x = xs[0]
    if t == "position_embedding":
        return x + m(torch.arange(x.shape[1]))
    if t in ("rnn", "lstm", "gru"):
        out, _ = m(x)
        return out if spec["return"] == "sequence" else out[:, -1]
    if t == "attention":
        steps = x.shape[1]
        causal = torch.triu(torch.ones(steps, steps, dtype=torch.bool), diagonal=1) if spec["causal"] else None
        return m(x, x, x, attn_mask=causal, need_weights=False)[0]
    return m(x)


def parameter(m, path):
    """A module's parameter by dotted path, allowing PyTorch's recurrent suffix (weight_ih -> weight_ih_l0)."""
    for candidate in (path, path + "_l0"):
        try:
            return m.get_parameter(candidate)
        except AttributeError:
            pass
    return None


class SpecGraph(nn.Module):
    """The hello's layer graph; `replace` maps a layer name to a module of the user's that computes it."""

    def __init__(self, network, replace=None):
        super().__init__()
        replace = replace or {}
        self.network, self.specs = network, network["layers"]
        self.replaced = set(replace)
        self.layers, self.acts = nn.ModuleDict(), nn.ModuleDict()
        shapes = {"input": network["input"]}
        for spec in self.specs:
            inputs = [shapes[f] for f in spec["from"]]
            self.layers[spec["name"]] = replace[spec["name"]] if spec["name"] in replace else module(spec, inputs)
            self.acts[spec["name"]] = activation(spec.get("activation"))
            shapes[spec["name"]] = spec["output"]
        self.double()
        self.tensors = {}
        for spec in self.specs:
            for name in spec["parameters"]:
                p = parameter(self.layers[spec["name"]], name[len(spec["name"]) + 1:])
                if p is None:
                    raise ValueError(f"{name}: layer {spec['name']}'s module has no parameter "
                                     f"{name[len(spec['name']) + 1:]}")
                self.tensors[name] = p
        self.reaches = {}       # layer -> itself and every layer downstream of it
        for spec in reversed(self.specs):
            self.reaches[spec["name"]] = {spec["name"]}.union(
                *(self.reaches[s["name"]] for s in self.specs if spec["name"] in s["from"]))

    def forward(self, x, kept=None):
        """(z, a) of the last layer; `kept` holds layer outputs to reuse (a perturbation did not reach them)."""
        out = {"input": x}
        z = None
        for spec in self.specs:
            name = spec["name"]
            if kept is not None and name in kept:
                out[name] = kept[name]
                continue
            z = call(spec, self.layers[name], [out[f] for f in spec["from"]], name in self.replaced)
            out[name] = self.acts[name](z)
        self.outputs = out
        return z, out[self.specs[-1]["name"]]
