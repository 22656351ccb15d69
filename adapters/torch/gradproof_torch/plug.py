"""Your own module, or your own layer, in place of the spec-built one (adapters/torch/README.md).

A whole model: `factory(network)` returns an nn.Module mapping x to the last layer's output, and `names`
maps the spec's names to its parameters: a layer name maps a prefix (`conv1` -> `features.0` makes
`conv1.weight` the module's `features.0.weight`), a tensor name maps one tensor. Unmapped spec tensors
are looked up under their own name. One layer: `factory(layer)` returns a module computing that layer
(before its activation) from its input(s), with parameters named as the spec's tensors within the layer.
"""
import importlib
import importlib.util
import inspect
import os
import sys

import torch.nn as nn

from gradproof_torch.graph import activation, parameter


def load(ref):
    """`pkg.module:function` (imported, the working folder on the path) or `path/to/file.py:function`."""
    if ":" not in ref:
        raise ValueError(f"{ref}: expected MODULE:FUNCTION or FILE.py:FUNCTION")
    where, function = ref.rsplit(":", 1)
    if where.endswith(".py") or os.sep in where:
        path = os.path.abspath(where)
        if not os.path.isfile(path):
            raise ValueError(f"{ref}: no file {where}")
        sys.path.insert(0, os.path.dirname(path))
        spec = importlib.util.spec_from_file_location(os.path.splitext(os.path.basename(path))[0], path)
        mod = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(mod)
    else:
        sys.path.insert(0, os.getcwd())
        mod = importlib.import_module(where)
    if not hasattr(mod, function):
        raise ValueError(f"{ref}: {where} has no {function}")
    return getattr(mod, function)


def call_factory(factory, argument):
    """factory(argument), or factory() if it takes no argument."""
    return factory(argument) if inspect.signature(factory).parameters else factory()


class UserModel(nn.Module):
    """The user's whole model, with the spec's tensor names bound to its parameters."""

    def __init__(self, network, user, names=None, output="activated"):
        super().__init__()
        if not isinstance(user, nn.Module):
            raise ValueError(f"the factory returned a {type(user).__name__}, not a torch.nn.Module")
        if output not in ("activated", "logits"):
            raise ValueError(f"output must be activated or logits, got {output}")
        self.user, self.output = user.double().train(), output
        self.last = activation(network["layers"][-1].get("activation"))
        names = names or {}
        self.tensors, where = {}, {}
        for layer in network["layers"]:
            for tensor in layer["parameters"]:
                short = tensor[len(layer["name"]) + 1:]
                path = names.get(tensor) or (names[layer["name"]] + "." + short if layer["name"] in names else tensor)
                p = parameter(self.user, path)
                if p is None:
                    raise ValueError(f"{tensor}: the module has no parameter {path}"
                                     + ("" if tensor in names or layer["name"] in names else
                                        f" (map it: --map {layer['name']}=PREFIX or --map {tensor}=PATH)"))
                if id(p) in where:
                    raise ValueError(f"{tensor} and {where[id(p)]} both map to the module's {path}")
                self.tensors[tensor], where[id(p)] = p, tensor
        unused = [n for n, p in self.user.named_parameters() if id(p) not in where]
        if unused:
            raise ValueError(f"the module's parameters {', '.join(unused)} are none of the network's tensors "
                             f"({', '.join(self.tensors)}): map them with --map, or make them buffers")

    def forward(self, x):
        out = self.user(x)
        return (out, self.last(out)) if self.output == "logits" else (None, out)
