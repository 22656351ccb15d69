"""Times PyTorch's own gradient checker on a network gradproof wrote, for `gradproof bench --others`.

Each data file is a dump in the protocol's encoding (docs/PROTOCOL.md): "network", "params", "x",
"y"; a layer graph's (protocol 2) is rebuilt by graph_loss.py. The network is rebuilt here in float64 torch code, the parameters W1, b1, W2, ... become the
inputs of torch.autograd.gradcheck (so it checks d loss / d parameters, as gradproof does), and the
check is timed, median of --repeats, in full mode (a central difference per parameter) and/or in
fast_mode (one random direction). One JSON line goes to stdout; progress goes to stderr.

    python3 gradcheck_bench.py --full ex4-500.json --fast ex4-5000.json [--full-examples 100]
"""
import argparse
import json
import statistics
import sys
import time

import torch

import graph_loss

# gradcheck's defaults in torch 1.13, passed explicitly so the output can say what was used.
EPS, ATOL, RTOL = 1e-6, 1e-5, 1e-3

ACTIVATIONS = {
    "sigmoid": torch.sigmoid,
    "tanh": torch.tanh,
    "identity": lambda z: z,
}


def per_example_loss_sum(kind, a, y):
    """The loss summed over outputs and examples, as gradproof defines it (network/Losses.java)."""
    if kind == "binary_cross_entropy":
        return -(y * torch.log(a) + (1 - y) * torch.log1p(-a)).sum()
    if kind == "squared_error":
        return 0.5 * ((a - y) ** 2).sum()
    raise SystemExit(f"gradcheck_bench: loss {kind} is not supported here")


def load(path, examples):
    """The network description and its tensors; only the first `examples` examples when given."""
    with open(path) as f:
        dump = json.load(f)
    net = dump["network"]
    for layer in net["layers"]:
        if layer["activation"] not in ACTIVATIONS:
            raise SystemExit(f"gradcheck_bench: activation {layer['activation']} is not supported here")
    x = torch.tensor(dump["x"], dtype=torch.float64)
    y = torch.tensor(dump["y"], dtype=torch.float64)
    if examples is not None:
        if examples > x.shape[0]:
            raise SystemExit(f"gradcheck_bench: {path} has {x.shape[0]} examples, asked for {examples}")
        x, y = x[:examples], y[:examples]
    names = []
    for i, layer in enumerate(net["layers"], start=1):
        names.append(f"W{i}")
        if layer.get("bias", True):
            names.append(f"b{i}")
    params = tuple(torch.tensor(dump["params"][n], dtype=torch.float64, requires_grad=True) for n in names)
    return net, names, params, x, y


def make_loss(net, names, x, y):
    """loss(*params): the forward pass, reduction and L2 penalty on weights (biases if asked)."""
    m = x.shape[0] if net["loss"]["reduction"] == "mean" else 1
    l2 = net.get("l2", {})
    lam, penalise_biases = l2.get("lambda", 0.0), l2.get("biases", False)

    def loss(*params):
        by_name = dict(zip(names, params))
        a = x
        for i, layer in enumerate(net["layers"], start=1):
            z = a @ by_name[f"W{i}"].T
            if f"b{i}" in by_name:
                z = z + by_name[f"b{i}"]
            a = ACTIVATIONS[layer["activation"]](z)
        value = per_example_loss_sum(net["loss"]["type"], a, y) / m
        if lam:
            penalised = [p for n, p in by_name.items() if n.startswith("W") or penalise_biases]
            value = value + lam / (2 * m) * sum((p ** 2).sum() for p in penalised)
        return value

    return loss


def load_any(path, examples):
    """(names, params, loss, examples) for a dense chain's dump (protocol 1) or a layer graph's (protocol 2)."""
    with open(path) as f:
        dump = json.load(f)
    if "input" in dump["network"]:
        names, params, loss = graph_loss.load(dump, examples)
        return names, params, loss, min(examples or len(dump["x"]), len(dump["x"]))
    net, names, params, x, y = load(path, examples)
    return names, params, make_loss(net, names, x, y), x.shape[0]


def time_gradcheck(mode, path, examples, repeats):
    names, params, loss, count = load_any(path, examples)
    times, verdicts = [], []
    for r in range(repeats):
        print(f"gradcheck_bench: {mode} mode, {count} examples, run {r + 1} of {repeats}", file=sys.stderr)
        t0 = time.perf_counter()
        ok = torch.autograd.gradcheck(loss, params, eps=EPS, atol=ATOL, rtol=RTOL, raise_exception=False,
                                      fast_mode=(mode == "fast"))
        times.append(time.perf_counter() - t0)
        verdicts.append(bool(ok))
    with torch.no_grad():
        value = float(loss(*params))
    return {"mode": mode, "examples": int(count), "parameters": sum(p.numel() for p in params),
            "seconds": statistics.median(times), "times": times, "passed": all(verdicts),
            "loss": value, "eps": EPS, "atol": ATOL, "rtol": RTOL}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--full", metavar="FILE", help="dump to check in full mode")
    ap.add_argument("--fast", metavar="FILE", help="dump to check in fast_mode")
    ap.add_argument("--full-examples", type=int, metavar="N", help="full mode on the first N examples only")
    ap.add_argument("--fast-examples", type=int, metavar="N", help="fast_mode on the first N examples only")
    ap.add_argument("--repeats", type=int, default=3, help="timed runs per mode; the median is reported")
    ap.add_argument("--threads", type=int, default=2, help="torch.set_num_threads (default 2: this machine's cores)")
    args = ap.parse_args()
    if not args.full and not args.fast:
        ap.error("give --full FILE, --fast FILE or both")
    torch.set_num_threads(args.threads)
    runs = []
    if args.full:
        runs.append(time_gradcheck("full", args.full, args.full_examples, args.repeats))
    if args.fast:
        runs.append(time_gradcheck("fast", args.fast, args.fast_examples, args.repeats))
    print(json.dumps({"checker": "torch.autograd.gradcheck", "torch": torch.__version__,
                      "threads": torch.get_num_threads(), "repeats": args.repeats, "runs": runs}))


if __name__ == "__main__":
    main()
