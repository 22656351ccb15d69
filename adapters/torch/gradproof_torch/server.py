"""The protocol 2 conversation (docs/PROTOCOL.md): hello builds a model, evaluate and losses run it."""
import json
import math
import sys

import torch

from gradproof_torch import masks as current_masks
from gradproof_torch.graph import SpecGraph
from gradproof_torch.losses import reads_logits, total


class Session:
    """One hello's network and the model that computes it (a SpecGraph, or the user's module, plug.UserModel)."""

    def __init__(self, network, model):
        self.network, self.model = network, model
        self.tensors = model.tensors
        self.shapes = {n: tuple(s) for layer in network["layers"] for n, s in layer["parameters"].items()}
        missing = set(self.shapes) - set(self.tensors)
        if missing:
            raise ValueError(f"no parameter for {', '.join(sorted(missing))}")
        for name, shape in self.shapes.items():
            if tuple(self.tensors[name].shape) != shape:
                raise ValueError(f"{name}: the module's parameter has shape {list(self.tensors[name].shape)}, "
                                 f"the network's is {list(shape)}")
        last = network["layers"][-1]
        self.logits = reads_logits(network["loss"], (last.get("activation") or {}).get("name"))
        self.tokens = network["input"]["kind"] == "tokens"

    def load(self, params, x, y, masks):
        """The request's parameters copied into the model; x, y and the masks as tensors, shapes checked."""
        extra = set(params) - set(self.shapes)
        if extra:
            raise ValueError(f"params has {', '.join(sorted(extra))}, which the network does not have")
        with torch.no_grad():
            for name, shape in self.shapes.items():
                if name not in params:
                    raise ValueError(f"params has no {name}")
                value = torch.tensor(params[name], dtype=torch.float64)
                if tuple(value.shape) != shape:
                    raise ValueError(f"params {name} has shape {list(value.shape)}, expected {list(shape)}")
                self.tensors[name].copy_(value)
        x = self.tensor(x, "x", self.network["input"]["shape"], torch.long if self.tokens else torch.float64)
        if self.tokens and (x.min() < 0 or x.max() >= self.network["input"]["vocabulary"]):
            raise ValueError(f"x holds token ids outside [0, {self.network['input']['vocabulary']})")
        y = self.tensor(y, "y", self.network["layers"][-1]["output"]["shape"], torch.float64)
        current_masks.clear()
        for layer in self.network["layers"]:
            if layer["type"] == "dropout":
                if layer["name"] not in (masks or {}):
                    raise ValueError(f"masks has no entry for dropout layer {layer['name']}")
                current_masks[layer["name"]] = self.tensor(masks[layer["name"]], "masks " + layer["name"],
                                                           layer["output"]["shape"], torch.float64)
        return x, y

    @staticmethod
    def tensor(values, what, shape, dtype):
        t = torch.tensor(values, dtype=dtype)
        if t.dim() == 0 or tuple(t.shape[1:]) != tuple(shape):
            raise ValueError(f"{what} has shape {list(t.shape)}, expected [N, {', '.join(map(str, shape))}]")
        return t

    def loss(self, z, a, y):
        value = total(self.network, z, a, y, self.tensors, self.logits and z is not None)
        if self.logits and z is None and not math.isfinite(value.item()):
            raise ValueError(f"the loss is {value.item()}: {self.network['loss']['type']} took the log of your "
                             "module's output; if the module returns the last layer's output before its "
                             f"{self.network['layers'][-1]['activation']['name']}, serve it with --output logits")
        return value

    def evaluate(self, params, x, y, want, masks):
        for w in want:
            if w not in ("loss", "gradient", "input_gradient"):
                raise ValueError(f"want {w!r} is not one of loss, gradient, input_gradient")
        x, y = self.load(params, x, y, masks)
        if "input_gradient" in want:
            if self.tokens:
                raise ValueError("input_gradient is not defined for token ids")
            x.requires_grad_(True)
        z, a = self.model(x)
        loss = self.loss(z, a, y)
        reply = {"ok": True, "loss": finite(loss.item(), "the loss")}
        wanted = [w for w in ("gradient", "input_gradient") if w in want]
        if wanted:
            names = list(self.shapes)
            wrt = [self.tensors[n] for n in names] + ([x] if "input_gradient" in want else [])
            grads = torch.autograd.grad(loss, wrt, allow_unused=True)
            grads = [torch.zeros_like(t) if g is None else g for t, g in zip(wrt, grads)]  # unused: no effect
            if "gradient" in want:
                reply["gradient"] = {n: g.tolist() for n, g in zip(names, grads)}
            if "input_gradient" in want:
                reply["input_gradient"] = grads[-1].tolist()
        return reply

    def losses(self, params, x, y, perturbations, masks):
        """One loss per perturbation, each applied alone. A spec-built graph recomputes only the layers the
        moved tensor reaches, from the other layers' outputs of one unperturbed pass (the same numbers)."""
        x, y = self.load(params, x, y, masks)
        shared = isinstance(self.model, SpecGraph)
        out = []
        with torch.no_grad():
            if shared:
                self.model(x)
                base = dict(self.model.outputs)
            for k, p in enumerate(perturbations):
                name, index = p["param"], tuple(p["index"])
                if name not in self.shapes or len(index) != len(self.shapes[name]) or not all(
                        0 <= i < s for i, s in zip(index, self.shapes[name])):
                    raise ValueError(f"perturbation {k}: {name}{list(index)} is not an entry of the network")
                t = self.tensors[name]
                old = t[index].item()
                t[index] = old + p["delta"]         # the double addition the parent makes for the same point
                kept = None
                if shared:
                    reached = self.model.reaches[name.split(".", 1)[0]]
                    kept = {n: v for n, v in base.items() if n not in reached and n != "input"}
                z, a = self.model(x, kept) if shared else self.model(x)
                out.append(finite(self.loss(z, a, y).item(), f"the loss of perturbation {k}"))
                t[index] = old
        return {"ok": True, "losses": out}


def finite(v, what):
    if not math.isfinite(v):
        raise ValueError(f"{what} is {v}")
    return v


def serve(build, name, stdin=None, stdout=None):
    """Answers requests until bye or end of input. `build(network)` returns the model of a hello's network.

    Everything the model's code prints goes to stderr: stdout carries the protocol only."""
    stdin = stdin or sys.stdin
    protocol_out = stdout or sys.stdout
    sys.stdout = sys.stderr
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    session = None
    for line in iter(stdin.readline, ""):
        if not line.strip():
            continue
        hello_v2 = False
        try:
            msg = json.loads(line)
            op = msg.get("op")
            if op == "hello":
                session = None
                if msg.get("protocol") != 2:
                    raise ValueError(f"protocol {msg.get('protocol')} is not supported (gradproof-torch speaks protocol 2)")
                hello_v2 = True
                session = Session(msg["network"], build(msg["network"]))
                reply = {"ok": True, "implementation": name, "dtype": "float64", "protocol": 2}
            elif op == "bye":
                break
            elif session is None:
                raise ValueError(f"{op} before a hello this child accepted")
            elif op == "evaluate":
                reply = session.evaluate(msg["params"], msg["x"], msg["y"], msg.get("want", ["loss", "gradient"]),
                                         msg.get("masks"))
            elif op == "losses":
                reply = session.losses(msg["params"], msg["x"], msg["y"], msg["perturbations"], msg.get("masks"))
            else:
                raise ValueError(f"unknown op {op!r}")
            text = json.dumps(reply, allow_nan=False)
        except Exception as e:  # every failure is an answer, never a crash
            refusal = {"ok": False, "error": f"{type(e).__name__}: {e}"}
            if hello_v2:
                refusal["protocol"] = 2
            text = json.dumps(refusal)
        protocol_out.write(text + "\n")
        protocol_out.flush()
