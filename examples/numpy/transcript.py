#!/usr/bin/env python3
"""Records a real exchange with a protocol child, for docs/PROTOCOL.md.

    python3 examples/numpy/transcript.py [--v2] [command ...]     (default: python3 examples/numpy/net.py)

Prints each request (">") and the answer it got ("<"), one JSON line each. Without --v2: a protocol 1
dense chain; with --v2: a protocol 2 conv2d layer (stride 2, padding 1), with the input gradient.
The last request before bye is malformed on purpose.
"""
import json
import subprocess
import sys

V1_NETWORK = {
    "inputs": 2,
    "layers": [{"in": 2, "out": 2, "activation": "tanh", "bias": True},
               {"in": 2, "out": 1, "activation": "sigmoid", "bias": False}],
    "loss": {"type": "squared_error", "reduction": "mean"},
    "l2": {"lambda": 0.0, "biases": False},
}
V1_PARAMS = {"W1": [[0.5, -0.25], [1.0, 2.0]], "b1": [0.0, 0.5], "W2": [[1.0, -1.0]]}
V1_X, V1_Y = [[1.0, 0.0], [0.0, 1.0]], [[1.0], [0.0]]
V1 = [
    {"op": "hello", "protocol": 1, "network": V1_NETWORK},
    {"op": "evaluate", "params": V1_PARAMS, "x": V1_X, "y": V1_Y, "want": ["loss", "gradient"]},
    {"op": "evaluate", "params": V1_PARAMS, "x": V1_X, "y": V1_Y, "want": ["loss"]},
    {"op": "losses", "params": V1_PARAMS, "x": V1_X, "y": V1_Y,
     "perturbations": [{"param": "W1", "index": [0, 1], "delta": 1e-6},
                       {"param": "b1", "index": [1], "delta": -1e-6}]},
    {"op": "evaluate", "params": {"W1": [[0.5, -0.25]]}, "x": V1_X, "y": V1_Y},
    {"op": "bye"},
]

# One 4x4 channel; conv1: 2 channels, 3x3 kernel, stride 2, padding 1, tanh; flatten; dense1: 1 unit; mse.
V2_NETWORK = {
    "input": {"kind": "channels", "shape": [1, 4, 4]},
    "layers": [
        {"name": "conv1", "type": "conv2d", "from": ["input"], "out_channels": 2, "kernel": [3, 3], "stride": [2, 2],
         "padding": [1, 1], "dilation": [1, 1], "bias": True, "activation": {"name": "tanh"},
         "output": {"kind": "channels", "shape": [2, 2, 2]},
         "parameters": {"conv1.weight": [2, 1, 3, 3], "conv1.bias": [2]}},
        {"name": "flatten1", "type": "flatten", "from": ["conv1"], "activation": None,
         "output": {"kind": "features", "shape": [8]}, "parameters": {}},
        {"name": "dense1", "type": "dense", "from": ["flatten1"], "units": 1, "bias": True, "activation": None,
         "output": {"kind": "features", "shape": [1]}, "parameters": {"dense1.weight": [1, 8], "dense1.bias": [1]}},
    ],
    "loss": {"type": "mse", "reduction": "mean", "steps": "mean", "delta": 1.0},
    "l2": {"lambda": 0.0, "biases": False, "tensors": ["conv1.weight", "dense1.weight"]},
}
V2_PARAMS = {
    "conv1.weight": [[[[0.5, -0.25, 0.0], [0.25, 1.0, -0.5], [0.0, 0.75, 0.25]]],
                     [[[-0.5, 0.0, 0.25], [1.0, -0.75, 0.0], [0.5, 0.25, -0.25]]]],
    "conv1.bias": [0.1, -0.2],
    "dense1.weight": [[0.5, -0.5, 0.25, 1.0, -0.25, 0.75, 0.5, -1.0]],
    "dense1.bias": [0.05],
}
V2_X = [[[[1.0, 0.0, -1.0, 0.5], [0.0, 2.0, 0.5, -0.5], [1.5, -1.0, 0.0, 1.0], [0.5, 0.5, -0.5, 0.0]]],
        [[[0.0, 1.0, 0.5, -1.0], [-0.5, 0.0, 1.0, 2.0], [1.0, 0.5, -1.5, 0.0], [0.0, -1.0, 0.5, 1.0]]]]
V2_Y = [[0.5], [-0.25]]
V2 = [
    {"op": "hello", "protocol": 2, "accepts": [1, 2], "network": V2_NETWORK},
    {"op": "evaluate", "params": V2_PARAMS, "x": V2_X, "y": V2_Y, "masks": {},
     "want": ["loss", "gradient", "input_gradient"]},
    {"op": "losses", "params": V2_PARAMS, "x": V2_X, "y": V2_Y, "masks": {},
     "perturbations": [{"param": "conv1.weight", "index": [1, 0, 2, 2], "delta": 1e-6},
                       {"param": "dense1.bias", "index": [0], "delta": -1e-6}]},
    {"op": "evaluate", "params": dict(V2_PARAMS, **{"conv1.weight": [[[[0.5, -0.25, 0.0]]]]}), "x": V2_X, "y": V2_Y,
     "masks": {}},
    {"op": "bye"},
]

args = sys.argv[1:]
version2 = bool(args) and args[0] == "--v2"
command = args[1:] if version2 else args
command = command or [sys.executable, "examples/numpy/net.py"]
child = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for request in V2 if version2 else V1:
    line = json.dumps(request, separators=(",", ":"))
    print("> " + line)
    child.stdin.write(line + "\n")
    child.stdin.flush()
    if request["op"] != "bye":
        print("< " + child.stdout.readline().rstrip("\n"))
child.stdin.close()
print(f"(exit code {child.wait(timeout=10)})")
