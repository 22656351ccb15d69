"""Shared by the tests: fixtures, normwise errors, the adapter as a child process, the conv example."""
import importlib.util
import json
import os
import subprocess
import sys

import numpy as np
import torch

from gradproof_torch.graph import SpecGraph
from gradproof_torch.server import Session

HERE = os.path.dirname(os.path.abspath(__file__))
ADAPTER = os.path.abspath(os.path.join(HERE, ".."))
ROOT = os.path.abspath(os.path.join(ADAPTER, "..", ".."))
FIXTURES = os.path.join(ROOT, "src", "test", "resources", "protocol", "v2")
EXAMPLE = os.path.join(ADAPTER, "examples", "conv_function.py")

torch.set_default_dtype(torch.float64)
torch.set_num_threads(1)


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        return json.load(f)


def layer_fixture_names():
    return sorted(f[:-5] for f in os.listdir(FIXTURES) if f[:-5] not in ("negotiation", "parent-checks"))


def normwise(ours, theirs):
    a, b = np.asarray(ours, dtype=np.float64).ravel(), np.asarray(theirs, dtype=np.float64).ravel()
    if a.shape != b.shape:
        return np.inf
    scale = max(np.abs(a).max(initial=0), np.abs(b).max(initial=0))
    diff = np.abs(a - b).max(initial=0)
    return 0.0 if diff == 0 else (diff / scale if scale > 0 else np.inf)


def errors(got, answer):
    out = {"loss": normwise([got["loss"]], [answer["loss"]])}
    for name, value in answer.get("gradient", {}).items():
        out[name] = normwise(got["gradient"][name], value)
    if "input_gradient" in answer:
        out["input_gradient"] = normwise(got["input_gradient"], answer["input_gradient"])
    return out


def spec_session(network):
    return Session(network, SpecGraph(network))


def example():
    """adapters/torch/examples/conv_function.py as a module."""
    spec = importlib.util.spec_from_file_location("conv_function", EXAMPLE)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


class Child:
    """The adapter started as gradproof starts it: adapters/torch/gradproof-torch ARGS (or another launcher)."""

    def __init__(self, *args, program="gradproof-torch"):
        env = dict(os.environ, GRADPROOF_PYTHON=sys.executable)
        self.p = subprocess.Popen([os.path.join(ADAPTER, program), *args], stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env)

    def ask(self, request):
        self.p.stdin.write(json.dumps(request) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise AssertionError("the adapter answered nothing; stderr: " + self.p.stderr.read())
        return json.loads(line)

    def bye(self):
        self.p.stdin.write('{"op": "bye"}\n')
        self.p.stdin.flush()
        code = self.p.wait(timeout=30)
        self.stderr = self.p.stderr.read()
        for stream in (self.p.stdin, self.p.stdout, self.p.stderr):
            stream.close()
        return code
