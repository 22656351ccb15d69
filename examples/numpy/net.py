#!/usr/bin/env python3
"""A gradproof implementation in numpy, spoken to over the process protocol (docs/PROTOCOL.md).

Backpropagation is written the way the tutorials write it: a forward pass that stores every
layer's pre-activation z and activation a, then deltas layer by layer from the output back.
Rows are examples: a layer computes z = a_prev @ W.T + b with W of shape [out][in].

    python3 examples/numpy/net.py [--bug NAME] [--dtype float32]

stdout carries the protocol only; anything else goes to stderr.
"""
import argparse
import json
import sys

import numpy as np

BUGS = {
    "tanh-tan": "tanh' written as 1 - tanh(z)*tan(z) instead of 1 - tanh(z)^2",
    "sum-not-mean": "under reduction mean, the gradient is not divided by the number of examples",
    "half-squared": "squared_error loss computed without the 1/2 that the gradient assumes",
    "bias-first-example": "bias gradients taken from the first example only",
}


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def activation(layer, bug):
    """(f, f') for one layer; f' takes the pre-activation z and the activation a = f(z)."""
    name = layer["activation"]
    if name == "identity":
        return (lambda z: z), (lambda z, a: np.ones_like(z))
    if name == "sigmoid":
        return sigmoid, (lambda z, a: a * (1 - a))
    if name == "tanh":
        if bug == "tanh-tan":
            return np.tanh, (lambda z, a: 1 - np.tanh(z) * np.tan(z))
        return np.tanh, (lambda z, a: 1 - a ** 2)
    if name == "relu":
        return (lambda z: np.maximum(z, 0)), (lambda z, a: (z > 0).astype(z.dtype))
    if name == "leaky_relu":
        s = layer.get("slope", 0.01)
        return (lambda z: np.where(z > 0, z, s * z)), (lambda z, a: np.where(z > 0, 1, s).astype(z.dtype))
    if name == "elu":
        al = layer.get("alpha", 1.0)
        return (lambda z: np.where(z > 0, z, al * np.expm1(np.minimum(z, 0)))), \
               (lambda z, a: np.where(z > 0, 1, al * np.exp(np.minimum(z, 0))).astype(z.dtype))
    if name == "softplus":
        return (lambda z: np.logaddexp(0, z)), (lambda z, a: sigmoid(z))
    if name == "softmax":
        def softmax(z):
            e = np.exp(z - z.max(axis=1, keepdims=True))
            return e / e.sum(axis=1, keepdims=True)
        return softmax, None  # its Jacobian is applied in backward()
    raise ValueError(f"activation {name} is not supported by net.py")


class Net:
    def __init__(self, network, bug, dtype):
        self.net, self.bug, self.dtype = network, bug, dtype
        self.layers = network["layers"]
        self.acts = [activation(layer, bug) for layer in self.layers]
        for i, layer in enumerate(self.layers):
            if layer["activation"] == "softmax" and i != len(self.layers) - 1:
                raise ValueError("softmax is supported on the last layer only")
        self.loss_type = network["loss"]["type"]
        self.mean = network["loss"]["reduction"] == "mean"
        if self.loss_type not in ("squared_error", "mse", "binary_cross_entropy", "softmax_cross_entropy"):
            raise ValueError(f"loss {self.loss_type} is not supported by net.py")
        self.lam = network.get("l2", {}).get("lambda", 0.0)
        self.l2_biases = network.get("l2", {}).get("biases", False)

    def unpack(self, params):
        W, b = [], []
        for l, layer in enumerate(self.layers, start=1):
            W.append(self.array(params, f"W{l}", (layer["out"], layer["in"])))
            b.append(self.array(params, f"b{l}", (layer["out"],)) if layer["bias"] else None)
        return W, b

    def array(self, params, name, shape):
        a = np.array(params[name], dtype=self.dtype)
        if a.shape != shape:
            raise ValueError(f"params {name} has shape {list(a.shape)}, expected {list(shape)}")
        return a

    def forward(self, W, b, x):
        zs, acts = [], [x]
        for l, (f, _) in enumerate(self.acts):
            z = acts[-1] @ W[l].T
            if b[l] is not None:
                z = z + b[l]
            zs.append(z)
            acts.append(f(z))
        return zs, acts

    def loss(self, W, b, x, y, zs, acts):
        a, z, last = acts[-1], zs[-1], self.layers[-1]["activation"]
        if self.loss_type == "squared_error":
            half = 1 if self.bug == "half-squared" else 0.5   # the bug: forward forgets the 1/2
            per_example = half * np.sum((a - y) ** 2, axis=1)
        elif self.loss_type == "mse":
            per_example = np.mean((a - y) ** 2, axis=1)
        elif self.loss_type == "binary_cross_entropy":
            if last == "sigmoid":  # log a and log(1 - a) from z, so a rounded to 1 gives no log(0)
                log_a, log_1a = -np.logaddexp(0, -z), -np.logaddexp(0, z)
            else:
                log_a, log_1a = np.log(a), np.log(1 - a)
            per_example = -np.sum(y * log_a + (1 - y) * log_1a, axis=1)
        else:  # softmax_cross_entropy
            log_softmax = z - z.max(axis=1, keepdims=True)
            log_softmax = log_softmax - np.log(np.exp(log_softmax).sum(axis=1, keepdims=True))
            per_example = -np.sum(y * log_softmax, axis=1)
        m = len(x) if self.mean else 1
        total = per_example.sum() / m
        penalty = sum(np.sum(w ** 2) for w in W)
        if self.l2_biases:
            penalty += sum(np.sum(v ** 2) for v in b if v is not None)
        return total + self.lam / (2 * m) * penalty

    def backward(self, W, b, x, y, zs, acts):
        m = len(x) if self.mean else 1
        a, z, last = acts[-1], zs[-1], self.layers[-1]["activation"]
        # delta = dLoss/dz of the output layer, per example
        if (self.loss_type, last) in (("binary_cross_entropy", "sigmoid"), ("softmax_cross_entropy", "softmax")):
            delta = a - y
        else:
            if self.loss_type in ("squared_error",):
                da = a - y
            elif self.loss_type == "mse":
                da = 2 * (a - y) / y.shape[1]
            elif self.loss_type == "binary_cross_entropy":
                da = (a - y) / (a * (1 - a))
            else:
                da = -y / a
            if last == "softmax":
                delta = a * (da - np.sum(da * a, axis=1, keepdims=True))
            else:
                delta = da * self.acts[-1][1](z, a)
        if self.bug != "sum-not-mean":
            delta = delta / m
        gW, gb = [None] * len(W), [None] * len(W)
        for l in reversed(range(len(W))):
            gW[l] = delta.T @ acts[l]                      # sum over examples of np.outer(delta_n, a_n)
            if b[l] is not None:
                gb[l] = delta[0] if self.bug == "bias-first-example" else delta.sum(axis=0)
            gW[l] = gW[l] + self.lam / m * W[l]
            if b[l] is not None and self.l2_biases:
                gb[l] = gb[l] + self.lam / m * b[l]
            if l > 0:
                delta = (delta @ W[l]) * self.acts[l - 1][1](zs[l - 1], acts[l])
        grad = {}
        for l in range(len(W)):
            grad[f"W{l + 1}"] = gW[l].astype(np.float64).tolist()
            if gb[l] is not None:
                grad[f"b{l + 1}"] = gb[l].astype(np.float64).tolist()
        return grad

    def evaluate(self, params, x, y, want):
        W, b = self.unpack(params)
        x, y = np.array(x, dtype=self.dtype), np.array(y, dtype=self.dtype)
        zs, acts = self.forward(W, b, x)
        reply = {"ok": True, "loss": float(self.loss(W, b, x, y, zs, acts))}
        if "gradient" in want:
            reply["gradient"] = self.backward(W, b, x, y, zs, acts)
        return reply

    def losses(self, params, x, y, perturbations):
        out = []
        for p in perturbations:
            moved = dict(params)
            value = np.array(params[p["param"]], dtype=np.float64)
            value[tuple(p["index"])] += p["delta"]
            moved[p["param"]] = value.tolist()
            out.append(self.evaluate(moved, x, y, ["loss"])["loss"])
        return {"ok": True, "losses": out}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--bug", choices=sorted(BUGS), help="deliberately break the backpropagation")
    parser.add_argument("--dtype", choices=["float64", "float32"], default="float64")
    args = parser.parse_args()
    dtype = np.float32 if args.dtype == "float32" else np.float64
    name = "numpy-net" + (f" --bug {args.bug}" if args.bug else "") + (" float32" if args.dtype == "float32" else "")
    net = None
    for line in iter(sys.stdin.readline, ""):
        if not line.strip():
            continue
        try:
            msg = json.loads(line)
            op = msg.get("op")
            if op == "hello":
                if msg.get("protocol") != 1:
                    raise ValueError(f"protocol {msg.get('protocol')} is not supported (this is protocol 1)")
                net = Net(msg["network"], args.bug, dtype)
                reply = {"ok": True, "implementation": name, "dtype": args.dtype, "protocol": 1}
            elif op == "bye":
                break
            elif net is None:
                raise ValueError(f"{op} before hello")
            elif op == "evaluate":
                reply = net.evaluate(msg["params"], msg["x"], msg["y"], msg.get("want", ["loss", "gradient"]))
            elif op == "losses":
                reply = net.losses(msg["params"], msg["x"], msg["y"], msg["perturbations"])
            else:
                raise ValueError(f"unknown op {op!r}")
            text = json.dumps(reply, allow_nan=False)
        except Exception as e:  # every failure is an answer, never a crash
            text = json.dumps({"ok": False, "error": f"{type(e).__name__}: {e}"})
        sys.stdout.write(text + "\n")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
