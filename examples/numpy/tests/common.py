"""Shared by the tests: the fixtures, a normwise comparison, a child process speaking the protocol."""
import json
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", "..", ".."))
FIXTURES = os.path.join(ROOT, "src", "test", "resources", "protocol", "v2")
NET_PY = os.path.join(ROOT, "examples", "numpy", "net.py")


def fixture(name):
    with open(os.path.join(FIXTURES, name + ".json")) as f:
        return json.load(f)


def layer_fixtures():
    """(name, hello, evaluate, losses, evaluate's answer, losses' answer) of every layer-type fixture."""
    out = []
    for file in sorted(os.listdir(FIXTURES)):
        name = file[:-len(".json")]
        if name in ("negotiation", "parent-checks"):
            continue
        ex = fixture(name)["exchanges"]
        out.append((name, ex[0]["request"], ex[1]["request"], ex[2]["request"], ex[1]["answer"], ex[2]["answer"]))
    return out


def normwise(ours, theirs):
    """max |ours - theirs| over the largest magnitude of either; 0 when both are all zeros."""
    a, b = np.asarray(ours, dtype=np.float64).ravel(), np.asarray(theirs, dtype=np.float64).ravel()
    if a.shape != b.shape:
        return np.inf
    scale = max(np.abs(a).max(initial=0), np.abs(b).max(initial=0))
    diff = np.abs(a - b).max(initial=0)
    return 0.0 if diff == 0 else (diff / scale if scale > 0 else np.inf)


def errors(got, answer):
    """Normwise error of every part of an evaluate answer: 'loss', each tensor, 'input_gradient'."""
    out = {"loss": normwise([got["loss"]], [answer["loss"]])}
    for name, value in answer.get("gradient", {}).items():
        out[name] = normwise(got["gradient"][name], value) if name in got.get("gradient", {}) else np.inf
    if "input_gradient" in answer:
        out["input_gradient"] = normwise(got.get("input_gradient", []), answer["input_gradient"])
    return out


class Child:
    """A child process spoken to line by line."""

    def __init__(self, *command):
        self.p = subprocess.Popen(list(command), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)

    def ask(self, request):
        self.p.stdin.write(json.dumps(request) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise AssertionError("the child answered nothing; stderr: " + self.p.stderr.read())
        return json.loads(line)

    def bye(self):
        self.p.stdin.write('{"op": "bye"}\n')
        self.p.stdin.flush()
        code = self.p.wait(timeout=20)
        self.p.stdout.close()
        self.p.stderr.close()
        self.p.stdin.close()
        return code


def numpy_child(*flags):
    return Child(sys.executable, NET_PY, *flags)
