#!/usr/bin/env python3
"""Records a real exchange with a protocol child, for docs/PROTOCOL.md.

    python3 examples/numpy/transcript.py [command ...]     (default: python3 examples/numpy/net.py)

Prints each request (">") and the answer it got ("<"), one JSON line each.
"""
import json
import subprocess
import sys

command = sys.argv[1:] or [sys.executable, "examples/numpy/net.py"]
network = {
    "inputs": 2,
    "layers": [{"in": 2, "out": 2, "activation": "tanh", "bias": True},
               {"in": 2, "out": 1, "activation": "sigmoid", "bias": False}],
    "loss": {"type": "squared_error", "reduction": "mean"},
    "l2": {"lambda": 0.0, "biases": False},
}
params = {"W1": [[0.5, -0.25], [1.0, 2.0]], "b1": [0.0, 0.5], "W2": [[1.0, -1.0]]}
x, y = [[1.0, 0.0], [0.0, 1.0]], [[1.0], [0.0]]
requests = [
    {"op": "hello", "protocol": 1, "network": network},
    {"op": "evaluate", "params": params, "x": x, "y": y, "want": ["loss", "gradient"]},
    {"op": "evaluate", "params": params, "x": x, "y": y, "want": ["loss"]},
    {"op": "losses", "params": params, "x": x, "y": y,
     "perturbations": [{"param": "W1", "index": [0, 1], "delta": 1e-6},
                       {"param": "b1", "index": [1], "delta": -1e-6}]},
    {"op": "evaluate", "params": {"W1": [[0.5, -0.25]]}, "x": x, "y": y},
    {"op": "bye"},
]
child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for request in requests:
    line = json.dumps(request, separators=(",", ":"))
    print("> " + line)
    child.stdin.write(line + "\n")
    child.stdin.flush()
    if request["op"] != "bye":
        print("< " + child.stdout.readline().rstrip("\n"))
child.stdin.close()
print(f"(exit code {child.wait(timeout=10)})")
