#!/usr/bin/env python3
"""A gradproof implementation in numpy, spoken to over the process protocol (docs/PROTOCOL.md).

It builds the network a `hello` describes (protocol 2: a layer graph, every layer type of docs/LAYERS.md;
protocol 1: a dense chain, which it builds as the same graph), then answers `evaluate` with the loss, the
gradient and, if asked, the gradient with respect to the input, and `losses` with one loss per
perturbation. Each layer's forward pass and hand-written backward pass are in layers.py.

    python3 examples/numpy/net.py [--bug NAME] [--dtype float32] [--protocol 1|2]

stdout carries the protocol only; anything else goes to stderr.
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from layers import TYPES, Activation, Dropout, sigmoid, softmax  # noqa: E402

BUGS = {
    "tanh-tan": "tanh' written as 1 - tanh(z)*tan(z) instead of 1 - tanh(z)^2",
    "sum-not-mean": "under reduction mean, the gradient is not divided by the number of examples",
    "half-squared": "squared_error loss computed without the 1/2 that the gradient assumes",
    "bias-first-example": "dense layers' bias gradients taken from the first example only",
    "batchnorm-no-mean-terms": "batch_norm's input gradient without the terms of the batch mean and variance",
    "embedding-assign": "an embedding row used twice gets one use's gradient, not the sum",
}
LOSSES = ("squared_error", "mse", "binary_cross_entropy", "softmax_cross_entropy", "l1", "huber", "hinge",
          "kl_divergence")


def from_v1(network):
    """A protocol 1 network (a dense chain) as the same graph, and the v1 names of its tensors (W1 -> dense1.weight)."""
    layers, names = [], {}
    for l, layer in enumerate(network["layers"], start=1):
        name = f"dense{l}"
        names[f"W{l}"] = name + ".weight"
        parameters = {name + ".weight": [layer["out"], layer["in"]]}
        if layer["bias"]:
            names[f"b{l}"] = name + ".bias"
            parameters[name + ".bias"] = [layer["out"]]
        layers.append({"name": name, "type": "dense", "from": [f"dense{l - 1}" if l > 1 else "input"],
                       "units": layer["out"], "bias": layer["bias"], "output": {"kind": "features", "shape": [layer["out"]]},
                       "activation": {"name": layer["activation"], "slope": layer.get("slope", 0.01),
                                      "alpha": layer.get("alpha", 1.0)}, "parameters": parameters})
    l2 = network.get("l2", {})
    biases = l2.get("biases", False)
    graph = {"input": {"kind": "features", "shape": [network["inputs"]]}, "layers": layers,
             "loss": dict(network["loss"], steps="mean", delta=1.0),
             "l2": {"lambda": l2.get("lambda", 0.0), "biases": biases,
                    "tensors": [n for n in names.values() if biases or n.endswith(".weight")]}}
    return graph, names


class Net:
    def __init__(self, network, bug=None, dtype=np.float64, protocol=1):
        self.wire = {}                          # protocol 1 names (W1, b1) of the graph's tensors
        if protocol == 1:
            network, names = from_v1(network)
            self.wire = {graph: v1 for v1, graph in names.items()}
        self.bug, self.dtype = bug, dtype
        self.input = network["input"]
        for layer in network["layers"]:
            if layer["type"] not in TYPES:
                raise ValueError(f"layer type {layer['type']} is not supported by net.py")
        self.layers = [TYPES[layer["type"]](layer, bug) for layer in network["layers"]]
        self.acts = [Activation(layer.get("activation"), bug) for layer in network["layers"]]
        self.shapes = {n: tuple(s) for layer in network["layers"] for n, s in layer["parameters"].items()}
        self.loss_spec, self.l2 = network["loss"], network["l2"]
        kind, last = self.loss_spec["type"], self.acts[-1].name
        if kind not in LOSSES:
            raise ValueError(f"loss {kind} is not supported by net.py")
        if kind == "softmax_cross_entropy" and last != "softmax":
            raise ValueError("softmax_cross_entropy needs a softmax on the last layer")
        # These losses read the last layer's z (the logits): log softmax(z) and softplus are exact where log(a) is not.
        self.from_logits = (kind, last) in (("binary_cross_entropy", "sigmoid"), ("softmax_cross_entropy", "softmax"),
                                            ("kl_divergence", "softmax"))

    # ---- requests as arrays ----

    def tensors(self, params):
        """The request's params as float64 arrays by graph name, each checked against its shape."""
        out = {}
        for name, shape in self.shapes.items():
            key = self.wire.get(name, name)
            if key not in params:
                raise ValueError(f"params has no {key}")
            out[name] = np.array(params[key], dtype=np.float64)
            if out[name].shape != shape:
                raise ValueError(f"params {key} has shape {list(out[name].shape)}, expected {list(shape)}")
        extra = set(params) - {self.wire.get(n, n) for n in self.shapes}
        if extra:
            raise ValueError(f"params has {', '.join(sorted(extra))}, which the network does not have")
        return out

    def array(self, values, what, shape, dtype=None):
        a = np.array(values, dtype=dtype or self.dtype)
        if a.ndim == 0 or a.shape[1:] != tuple(shape):
            raise ValueError(f"{what} has shape {list(a.shape)}, expected [N, {', '.join(map(str, shape))}]")
        return a

    def data(self, x, y, masks):
        """x, y and the dropout masks as arrays of the network's dtype (token ids as integers)."""
        tokens = self.input["kind"] == "tokens"
        x = self.array(x, "x", self.input["shape"], np.int64 if tokens else None)
        if tokens and (x.min() < 0 or x.max() >= self.input["vocabulary"]):
            raise ValueError(f"x holds token ids outside [0, {self.input['vocabulary']})")
        y = self.array(y, "y", self.layers[-1].spec["output"]["shape"])
        arrays = {}
        for layer in self.layers:
            if isinstance(layer, Dropout):
                if layer.name not in (masks or {}):
                    raise ValueError(f"masks has no entry for dropout layer {layer.name}")
                arrays[layer.name] = self.array(masks[layer.name], "masks " + layer.name, layer.spec["output"]["shape"])
        for a in (y, *arrays.values()):
            if len(a) != len(x):
                raise ValueError(f"x has {len(x)} examples but y or a mask has {len(a)}")
        return x, y, arrays

    # ---- forward, loss, backward ----

    def forward(self, theta, x, masks):
        """Every layer's z (before its activation) and output a, by layer name."""
        by_layer = {layer.name: {} for layer in self.layers}
        for name, value in theta.items():
            layer, tensor = name.split(".", 1)
            by_layer[layer][tensor] = value.astype(self.dtype)
        self.params, self.z, self.a = by_layer, {}, {"input": x}
        for layer, act in zip(self.layers, self.acts):
            if isinstance(layer, Dropout):
                layer.mask = masks[layer.name]
            z = layer.forward(by_layer[layer.name], [self.a[f] for f in layer.spec["from"]])
            self.z[layer.name], self.a[layer.name] = z, act.forward(z)

    def loss(self, y, theta):
        """The loss (a one-element array, so that float32 stays float32) and dL/dv, v the last z or a."""
        last = self.layers[-1]
        v = (self.z if self.from_logits else self.a)[last.name]
        n = len(v)
        out = last.spec["output"]
        steps = out["shape"][0] if out["kind"] == "sequence" else 1      # a sequence output: one loss per step
        per_step, grad = loss_terms(self.loss_spec, self.from_logits, v.reshape(n, steps, -1),
                                    y.reshape(n, steps, -1), self.bug)
        per_example = per_step.sum(axis=1) / (steps if self.loss_spec["steps"] == "mean" else 1)
        grad = grad / (steps if self.loss_spec["steps"] == "mean" else 1)
        m = n if self.loss_spec["reduction"] == "mean" else 1
        total = per_example.sum(keepdims=True) / m
        if self.bug != "sum-not-mean":
            grad = grad / m
        lam = self.l2["lambda"]
        for name in self.l2["tensors"]:
            total = total + lam / (2 * m) * np.sum(theta[name].astype(self.dtype) ** 2).reshape(1)
        return total, grad.reshape(v.shape)

    def backward(self, dv, theta):
        """Gradients by graph name, and dL/dx (None for token ids), from dL/dv of the last layer."""
        m = len(dv) if self.loss_spec["reduction"] == "mean" else 1
        adjoint, grads = {}, {}
        for i in reversed(range(len(self.layers))):
            layer, act = self.layers[i], self.acts[i]
            if i == len(self.layers) - 1 and self.from_logits:
                g = dv
            else:
                g = act.backward(self.z[layer.name], self.a[layer.name], dv if i == len(self.layers) - 1
                                 else adjoint.pop(layer.name))
            own = {}
            for f, dx in zip(layer.spec["from"], layer.backward(self.params[layer.name], g, own)):
                if dx is not None:
                    adjoint[f] = adjoint[f] + dx if f in adjoint else dx
            for tensor, value in own.items():
                grads[layer.name + "." + tensor] = value
        for name in self.l2["tensors"]:
            grads[name] = grads[name] + self.l2["lambda"] / m * theta[name].astype(self.dtype)
        return grads, adjoint.get("input")

    # ---- the two requests ----

    def run(self, theta, x, y, masks, want):
        self.forward(theta, x, masks)
        total, dv = self.loss(y, theta)
        reply = {"ok": True, "loss": float(total[0])}
        if "gradient" in want or "input_gradient" in want:
            grads, dx = self.backward(dv, theta)
            if "gradient" in want:
                reply["gradient"] = {self.wire.get(n, n): grads[n].astype(np.float64).tolist() for n in self.shapes}
            if "input_gradient" in want:
                if dx is None:
                    raise ValueError("input_gradient is not defined for token ids")
                reply["input_gradient"] = dx.astype(np.float64).tolist()
        return reply

    def evaluate(self, params, x, y, want, masks=None):
        for w in want:
            if w not in ("loss", "gradient", "input_gradient"):
                raise ValueError(f"want {w!r} is not one of loss, gradient, input_gradient")
        return self.run(self.tensors(params), *self.data(x, y, masks), want)

    def losses(self, params, x, y, perturbations, masks=None):
        """Each perturbation applied alone; parsing is shared, every loss is a whole forward pass."""
        theta, (x, y, masks) = self.tensors(params), self.data(x, y, masks)
        graph = {self.wire.get(n, n): n for n in self.shapes}
        out = []
        for k, p in enumerate(perturbations):
            name = graph.get(p["param"])
            if name is None or len(p["index"]) != len(self.shapes[name]) or not all(
                    0 <= i < s for i, s in zip(p["index"], self.shapes[name])):
                raise ValueError(f"perturbation {k}: {p['param']}{p['index']} is not an entry of the network")
            moved = dict(theta)
            moved[name] = theta[name].copy()
            moved[name][tuple(p["index"])] += p["delta"]
            out.append(self.run(moved, x, y, masks, ["loss"])["loss"])
        return {"ok": True, "losses": out}


def loss_terms(spec, from_logits, v, y, bug):
    """Per-step losses [N, S] and their gradient with respect to v, for v and y of shape [N, S, K]."""
    kind, k = spec["type"], v.shape[-1]
    d = v - y
    if kind == "squared_error":
        return (1 if bug == "half-squared" else 0.5) * (d ** 2).sum(axis=-1), d
    if kind == "mse":
        return (d ** 2).sum(axis=-1) / k, 2 * d / k
    if kind == "l1":
        return np.abs(d).sum(axis=-1) / k, np.sign(d) / k                       # sign(0) = 0
    if kind == "huber":
        delta = spec["delta"]
        h = np.where(np.abs(d) < delta, 0.5 * d ** 2, delta * (np.abs(d) - 0.5 * delta))
        return h.sum(axis=-1) / k, np.clip(d, -delta, delta) / k
    if kind == "hinge":
        c = y.argmax(axis=-1)[..., None]                                        # the one-hot target's class
        margin = 1 - np.take_along_axis(v, c, axis=-1) + v
        active = (margin > 0) & (np.arange(k) != c)                             # 0 at a margin of exactly 0
        grad = active / k - (np.arange(k) == c) * active.sum(axis=-1, keepdims=True) / k
        return np.where(active, margin, 0).sum(axis=-1) / k, grad.astype(v.dtype)
    if kind == "binary_cross_entropy" and from_logits:
        softplus = lambda t: np.logaddexp(0, t)  # noqa: E731
        return (y * softplus(-v) + (1 - y) * softplus(v)).sum(axis=-1), sigmoid(v) - y
    if kind == "binary_cross_entropy":
        return -(y * np.log(v) + (1 - y) * np.log1p(-v)).sum(axis=-1), d / (v * (1 - v))
    log_q = v - v.max(axis=-1, keepdims=True)
    log_q = log_q - np.log(np.exp(log_q).sum(axis=-1, keepdims=True)) if from_logits else v
    dv = softmax(v) * y.sum(axis=-1, keepdims=True) - y if from_logits else -y
    if kind == "softmax_cross_entropy":
        return -(y * log_q).sum(axis=-1), dv
    y_log_y = np.where(y > 0, y * np.log(np.where(y > 0, y, 1)), 0)            # 0 log 0 = 0
    return (y_log_y - np.where(y > 0, y * log_q, 0)).sum(axis=-1), dv          # kl_divergence


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bug", choices=sorted(BUGS), help="deliberately break the backpropagation")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    parser.add_argument("--protocol", choices=["1", "2"], default="2",
                        help="the newest protocol to speak (1: behave as a child written against version 1)")
    args = parser.parse_args()
    dtype = np.float32 if args.dtype == "float32" else np.float64
    speaks = (1, 2) if args.protocol == "2" else (1,)
    name = "numpy-net" + (f" --bug {args.bug}" if args.bug else "") + (" float32" if args.dtype == "float32" else "")
    net = None
    for line in iter(sys.stdin.readline, ""):
        if not line.strip():
            continue
        version = None
        try:
            msg = json.loads(line)
            op = msg.get("op")
            if op == "hello":
                version = msg.get("protocol")
                if version not in speaks:
                    version = None
                    raise ValueError(f"protocol {msg.get('protocol')} is not supported (this is protocol 1)"
                                     if speaks == (1,) else f"protocol {msg.get('protocol')} is not supported "
                                     "(this child speaks protocols 1 and 2)")
                net = None
                net = Net(msg["network"], args.bug, dtype, version)
                reply = {"ok": True, "implementation": name, "dtype": args.dtype, "protocol": version}
            elif op == "bye":
                break
            elif net is None:
                raise ValueError(f"{op} before a hello this child accepted")
            elif op == "evaluate":
                reply = net.evaluate(msg["params"], msg["x"], msg["y"], msg.get("want", ["loss", "gradient"]),
                                     msg.get("masks"))
            elif op == "losses":
                reply = net.losses(msg["params"], msg["x"], msg["y"], msg["perturbations"], msg.get("masks"))
            else:
                raise ValueError(f"unknown op {op!r}")
            text = json.dumps(reply, allow_nan=False)
        except Exception as e:  # every failure is an answer, never a crash
            refusal = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            if version == 2:
                refusal["protocol"] = 2           # a protocol 2 child refusing this network, not an older child
            text = json.dumps(refusal)
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
