"""Times net.py's own `losses` in-process, for the protocol-overhead benchmark (gradproof bench --protocol).

Reads one JSON file {"network": ..., "params": ..., "x": ..., "y": ..., "perturbations": [...]} and
prints the best of three wall times, in seconds, of Net.losses on it: the same numpy code the
protocol child runs, minus the protocol.
"""
import json
import sys
import time

import numpy as np

sys.path.insert(0, __file__.rsplit("/", 1)[0])
from net import Net  # noqa: E402


def main():
    with open(sys.argv[1]) as f:
        req = json.load(f)
    graph = "input" in req["network"]          # a layer graph's request is protocol 2's
    net = Net(req["network"], None, np.float64, 2 if graph else 1)
    best = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        net.losses(req["params"], req["x"], req["y"], req["perturbations"], req.get("masks"))
        best = min(best, time.perf_counter() - t0)
    print(best)


if __name__ == "__main__":
    main()
