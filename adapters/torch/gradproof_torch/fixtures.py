"""The protocol 2 fixtures: for every layer type and loss, a hello, an evaluate and a losses request, with the
answers of this adapter (PyTorch autograd, float64). They are the contract the Java parent is tested against
and the reference the numpy child is checked with (docs/PROTOCOL.md, "Fixtures").

    python3 -m gradproof_torch fixtures src/test/resources/protocol/v2
"""
import json
import os
import random
import re
import sys

import torch

from gradproof_torch.graph import SpecGraph
from gradproof_torch.network import network
from gradproof_torch.server import Session

M64 = (1 << 64) - 1


def dropout_mask(seed, layer, example, i, p):
    """dev.gradproof.network.graph.Dropout.mask, bit for bit: the multiplier of element i of an example."""
    z = (seed & M64) ^ ((0x9E3779B97F4A7C15 * layer) & M64) ^ ((0xBF58476D1CE4E5B9 * (((example << 32) + i) & M64)) & M64)
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    z ^= z >> 31
    return 0.0 if (z >> 11) * 2.0 ** -53 < p else 1 / (1 - p)


def nested(flat, shape):
    if not shape:
        return flat.pop(0)
    return [nested(flat, shape[1:]) for _ in range(shape[0])]


def draw(rnd, shape, f):
    count = 1
    for s in shape:
        count *= s
    return nested([f() for _ in range(count)], list(shape))


def targets(rnd, kind, shape):
    """Targets that suit the loss: reals, probabilities, one-hot or probability rows over the last axis."""
    k = shape[-1]
    rows = 1
    for s in shape[:-1]:
        rows *= s
    if kind in ("binary_cross_entropy",):
        return draw(rnd, shape, lambda: rnd.random())
    if kind == "hinge":
        flat = []
        for _ in range(rows):
            c = rnd.randrange(k)
            flat += [1.0 if j == c else 0.0 for j in range(k)]
        return nested(flat, list(shape))
    if kind in ("softmax_cross_entropy", "kl_divergence"):
        flat = []
        for _ in range(rows):
            w = [rnd.random() + 0.05 for _ in range(k)]
            flat += [v / sum(w) for v in w]
        return nested(flat, list(shape))
    return draw(rnd, shape, lambda: rnd.gauss(0, 1))


def identity(n):
    return [[1.0 if i == j else 0.0 for j in range(n)] for i in range(n)]


# name -> (description, network, examples, options). Options: "x" (given inputs), "y", "params" (given tensors).
CASES = {
    "dense-chain": ("a dense chain (tanh, sigmoid), squared error, mean, L2 on weights: what a v1 child also serves",
                    network("features", [3], [{"type": "dense", "units": 4, "activation": "tanh"},
                                              {"type": "dense", "units": 2, "activation": "sigmoid"}],
                            "squared_error", l2=0.1), 3, {}),
    "conv1d": ("conv1d with stride 2, padding 1, dilation 2, relu; flatten; dense; mse summed over examples",
               network("channels", [2, 9], [{"type": "conv1d", "name": "conv1", "out_channels": 3, "kernel": 3,
                                              "stride": 2, "padding": 1, "dilation": 2, "activation": "relu"},
                                             {"type": "flatten"}, {"type": "dense", "units": 2}],
                       "mse", reduction="sum"), 3, {}),
    "conv2d-stride-padding": ("conv2d 3x3, stride 2, padding 1, tanh; flatten; dense with softmax; cross-entropy",
                              network("channels", [2, 7, 7],
                                      [{"type": "conv2d", "name": "conv1", "out_channels": 3, "kernel": 3, "stride": 2,
                                        "padding": 1, "activation": "tanh"},
                                       {"type": "flatten"}, {"type": "dense", "units": 3, "activation": "softmax"}],
                                      "softmax_cross_entropy"), 2, {}),
    "conv2d-dilation-no-bias": ("conv2d with a 3x2 kernel, per-axis stride, padding and dilation, no bias, elu; "
                                "global average pool; dense; Huber (delta 0.5)",
                                network("channels", [1, 8, 7],
                                        [{"type": "conv2d", "out_channels": 2, "kernel": [3, 2], "stride": [1, 2],
                                          "padding": [2, 1], "dilation": [2, 1], "bias": False, "activation": "elu"},
                                         {"type": "global_avg_pool"}, {"type": "dense", "units": 2}],
                                        "huber", delta=0.5), 2, {}),
    "max-pool-ties": ("max_pool2d 3x3, stride 2, padding 1 on small integers: tied windows route the gradient to "
                      "the first maximum in row-major order (see input_gradient); flatten; dense",
                      network("channels", [2, 5, 5], [{"type": "max_pool2d", "kernel": 3, "stride": 2, "padding": 1},
                                                      {"type": "flatten"}, {"type": "dense", "units": 2}], "mse"),
                      2, {"x": lambda rnd, shape: draw(rnd, shape, lambda: float(rnd.randrange(3)))}),
    "avg-pool": ("conv2d; avg_pool2d 3x3, stride 2, padding 1 (padding counted: divisor 9); flatten; dense",
                 network("channels", [2, 6, 6], [{"type": "conv2d", "out_channels": 2, "kernel": 3, "padding": 1},
                                                 {"type": "avg_pool2d", "kernel": 3, "stride": 2, "padding": 1},
                                                 {"type": "flatten"}, {"type": "dense", "units": 2}],
                         "squared_error"), 2, {}),
    "batch-norm-channels": ("conv2d without bias; batch_norm over channels (training statistics); relu; global "
                            "average pool; dense",
                            network("channels", [2, 5, 5],
                                    [{"type": "conv2d", "out_channels": 3, "kernel": 3, "bias": False},
                                     {"type": "batch_norm", "name": "bn", "activation": "relu"},
                                     {"type": "global_avg_pool"}, {"type": "dense", "units": 2}], "mse"), 4, {}),
    "batch-norm-features": ("dense; batch_norm over features (eps 0.1); tanh; dense with sigmoid; binary "
                            "cross-entropy from the logits; L2 on biases too",
                            network("features", [4], [{"type": "dense", "units": 5},
                                                      {"type": "batch_norm", "eps": 0.1, "activation": "tanh"},
                                                      {"type": "dense", "units": 2, "activation": "sigmoid"}],
                                    "binary_cross_entropy", l2=0.05, l2_biases=True), 4, {}),
    "layer-norm": ("layer_norm over the last two axes of channels [2, 3, 4]; flatten; dense; L1",
                   network("channels", [2, 3, 4], [{"type": "layer_norm", "normalized_shape": [3, 4]},
                                                   {"type": "flatten"}, {"type": "dense", "units": 2}], "l1"), 2, {}),
    "dropout": ("dense, tanh; dropout 0.5 with the masks of trial seed 7; dense; mse",
                network("features", [4], [{"type": "dense", "units": 6, "activation": "tanh"},
                                          {"type": "dropout", "p": 0.5}, {"type": "dense", "units": 2}], "mse"), 3,
                {"seed": 7}),
    "embedding": ("token ids with repeats; embedding; position_embedding; flatten; dense with softmax; cross-entropy",
                  network("tokens", [5], [{"type": "embedding", "name": "embed", "vocabulary": 6, "dim": 3},
                                          {"type": "position_embedding", "name": "pos"}, {"type": "flatten"},
                                          {"type": "dense", "units": 3, "activation": "softmax"}],
                          "softmax_cross_entropy"), 3, {}),
    "rnn-sequence": ("rnn (tanh) returning every step; dense per step with softmax; mse per step, mean over steps",
                     network("sequence", [4, 3], [{"type": "rnn", "hidden": 5},
                                                  {"type": "dense", "units": 3, "activation": "softmax"}], "mse"),
                     2, {}),
    "lstm-last": ("lstm returning the last step; dense with softmax; KL divergence from the logits",
                  network("sequence", [5, 3], [{"type": "lstm", "name": "lstm1", "hidden": 4, "return": "last"},
                                               {"type": "dense", "units": 3, "activation": "softmax"}],
                          "kl_divergence", reduction="sum"), 3, {}),
    "gru-tokens": ("token ids; embedding; gru returning every step; dense per step; hinge per step, summed "
                   "over steps",
                   network("tokens", [4], [{"type": "embedding", "vocabulary": 5, "dim": 3},
                                           {"type": "gru", "hidden": 4}, {"type": "dense", "units": 3}],
                           "hinge", steps="sum"), 3, {}),
    "attention-causal-residual": ("causal 2-head self-attention; add (residual from the input); layer_norm; dense "
                                  "per step; mse",
                                  network("sequence", [4, 6],
                                          [{"type": "attention", "name": "attn", "heads": 2, "causal": True},
                                           {"type": "add", "from": ["input", "attn"]}, {"type": "layer_norm"},
                                           {"type": "dense", "units": 2}], "mse"), 2, {}),
    "attention-no-bias": ("3-head self-attention without biases; flatten; dense; squared error summed",
                          network("sequence", [3, 6], [{"type": "attention", "heads": 3, "bias": False},
                                                       {"type": "flatten"}, {"type": "dense", "units": 1}],
                                  "squared_error", reduction="sum"), 2, {}),
    "concat-branches": ("two convolutions of the input side by side; concat along channels; leaky_relu; flatten; "
                        "dense",
                        network("channels", [2, 4, 4],
                                [{"type": "conv2d", "name": "wide", "out_channels": 2, "kernel": 3, "padding": 1},
                                 {"type": "conv2d", "name": "narrow", "from": ["input"], "out_channels": 3, "kernel": 1},
                                 {"type": "concat", "from": ["wide", "narrow"], "activation": "leaky_relu"},
                                 {"type": "flatten"}, {"type": "dense", "units": 2}], "mse"), 2, {}),
    "loss-bce-probabilities": ("dense with softmax; binary cross-entropy on probabilities (not from logits); sum",
                               network("features", [3], [{"type": "dense", "units": 3, "activation": "softmax"}],
                                       "binary_cross_entropy", reduction="sum"), 3, {}),
    "loss-kl-log-probabilities": ("dense (identity): its output read as log-probabilities; KL divergence",
                                  network("features", [3], [{"type": "dense", "units": 3}], "kl_divergence"), 3, {}),
    "kinks-relu-l1": ("exact kinks: identity weights put relu at exactly 0 (relu'(0) = 0) and targets equal to "
                      "outputs put L1 at exactly 0 (sign(0) = 0)",
                      network("features", [4], [{"type": "dense", "name": "eye", "units": 4, "activation": "relu"},
                                                {"type": "dense", "name": "out", "units": 4}], "l1"), 2,
                      {"x": lambda rnd, shape: [[0.0, 1.5, -2.0, 0.25], [-1.0, 0.0, 3.0, 0.0]],
                       "params": {"eye.weight": identity(4), "eye.bias": [0.0] * 4, "out.weight": identity(4),
                                  "out.bias": [0.0] * 4},
                       "y": lambda rnd, shape: [[0.5, 1.5, 0.0, -1.0], [0.0, 0.0, 3.0, 2.0]]}),
    "kinks-leaky-relu-huber": ("exact kinks: leaky_relu at 0 (derivative: the slope 0.2) and Huber at |a - y| = "
                               "delta (the linear branch)",
                               network("features", [3], [{"type": "dense", "name": "eye", "units": 3,
                                                          "activation": {"name": "leaky_relu", "slope": 0.2}},
                                                         {"type": "dense", "name": "out", "units": 3}],
                                       "huber", delta=0.5), 2,
                               {"x": lambda rnd, shape: [[0.0, 1.0, -1.0], [2.0, 0.0, 0.5]],
                                "params": {"eye.weight": identity(3), "eye.bias": [0.0] * 3,
                                           "out.weight": identity(3), "out.bias": [0.0] * 3},
                                "y": lambda rnd, shape: [[-0.5, 0.5, 0.0], [1.5, 0.5, 0.25]]}),
    "kinks-elu-hinge": ("exact kinks: elu at 0 (derivative: alpha 1.5) and the hinge at a margin of exactly 0 "
                        "(derivative 0)",
                        network("features", [3], [{"type": "dense", "name": "eye", "units": 3,
                                                   "activation": {"name": "elu", "alpha": 1.5}},
                                                  {"type": "dense", "name": "out", "units": 3}], "hinge"), 2,
                        {"x": lambda rnd, shape: [[2.0, 0.5, 0.0], [2.0, 1.0, 0.5]],
                         "params": {"eye.weight": identity(3), "eye.bias": [0.0] * 3, "out.weight": identity(3),
                                    "out.bias": [0.0] * 3},
                         "y": lambda rnd, shape: [[0.0, 0.0, 1.0], [1.0, 0.0, 0.0]]}),
}


def request_data(name, seed=15):
    """The hello, evaluate and losses requests of one case, drawn from its own seeded generator."""
    description, net, n, opts = CASES[name]
    rnd = random.Random(f"{name}-{seed}")
    params = {}
    for layer in net["layers"]:
        for tensor, shape in layer["parameters"].items():
            if tensor in opts.get("params", {}):
                params[tensor] = opts["params"][tensor]
            elif layer["type"] in ("batch_norm", "layer_norm") and tensor.endswith(".weight"):
                params[tensor] = draw(rnd, shape, lambda: 1 + 0.3 * rnd.gauss(0, 1))   # a scale near 1, never 1
            else:
                params[tensor] = draw(rnd, shape, lambda: 0.6 * rnd.gauss(0, 1))
    inp, out = net["input"], net["layers"][-1]["output"]
    if "x" in opts:
        x = opts["x"](rnd, [n] + inp["shape"])
    elif inp["kind"] == "tokens":
        x = [[rnd.randrange(inp["vocabulary"] - 2) for _ in range(inp["shape"][0])] for _ in range(n)]  # repeats
    else:
        x = draw(rnd, [n] + inp["shape"], lambda: rnd.gauss(0, 1))
    y = opts["y"](rnd, [n] + out["shape"]) if "y" in opts else targets(rnd, net["loss"]["type"], [n] + out["shape"])
    masks = {}
    for number, layer in enumerate(net["layers"], start=1):
        if layer["type"] == "dropout":
            size = 1
            for s in layer["output"]["shape"]:
                size *= s
            masks[layer["name"]] = [nested([dropout_mask(opts["seed"], number, e, i, layer["p"]) for i in range(size)],
                                           list(layer["output"]["shape"])) for e in range(n)]
    want = ["loss", "gradient"] + ([] if inp["kind"] == "tokens" else ["input_gradient"])
    evaluate = {"op": "evaluate", "params": params, "x": x, "y": y, "masks": masks, "want": want}
    perturbations = []
    for tensor, value in params.items():
        shape = next(l["parameters"][tensor] for l in net["layers"] if tensor in l["parameters"])
        for pick in (0, -1):
            index = [0 if pick == 0 else s - 1 for s in shape]
            perturbations.append({"param": tensor, "index": index, "delta": 2.0 ** -12 if pick == 0 else -2.0 ** -11})
    losses = {"op": "losses", "params": params, "x": x, "y": y, "masks": masks, "perturbations": perturbations}
    hello = {"op": "hello", "protocol": 2, "accepts": [1, 2], "network": net}
    return description, hello, evaluate, losses, opts.get("seed")


def answer(hello, request):
    session = Session(hello["network"], SpecGraph(hello["network"]))
    if request["op"] == "evaluate":
        return session.evaluate(request["params"], request["x"], request["y"], request["want"], request["masks"])
    return session.losses(request["params"], request["x"], request["y"], request["perturbations"], request["masks"])


def fixture(name):
    torch.set_default_dtype(torch.float64)
    torch.set_num_threads(1)
    description, hello, evaluate, losses, seed = request_data(name)
    doc = {"name": name, "description": description,
           "generated_by": f"python3 -m gradproof_torch fixtures (PyTorch {torch.__version__}, float64 autograd)"}
    if seed is not None:
        doc["dropout_seed"] = seed
    doc["exchanges"] = [
        {"request": hello, "answer": {"ok": True, "implementation": f"pytorch {torch.__version__}",
                                      "dtype": "float64", "protocol": 2}},
        {"request": evaluate, "answer": answer(hello, evaluate)},
        {"request": losses, "answer": answer(hello, losses)},
    ]
    return doc


V1_REFUSAL = {"ok": False, "error": "ValueError: protocol 2 is not supported (this is protocol 1)"}


def v1_network(net):
    """The protocol 1 form of a dense chain (docs/PROTOCOL.md, version 1)."""
    layers = []
    for layer in net["layers"]:
        (w, shape), = [(n, s) for n, s in layer["parameters"].items() if n.endswith(".weight")]
        entry = {"in": shape[1], "out": shape[0], "activation": layer["activation"]["name"], "bias": layer["bias"]}
        entry.update({k: v for k, v in layer["activation"].items() if k != "name"})
        layers.append(entry)
    return {"inputs": net["input"]["shape"][0], "layers": layers, "loss": {k: net["loss"][k] for k in ("type", "reduction")},
            "l2": {"lambda": net["l2"]["lambda"], "biases": net["l2"]["biases"]}}


def v1_names(net):
    """dense1.weight -> W1, dense1.bias -> b1, ... by layer position."""
    out = {}
    for number, layer in enumerate(net["layers"], start=1):
        for tensor in layer["parameters"]:
            out[tensor] = ("W" if tensor.endswith(".weight") else "b") + str(number)
    return out


def negotiation():
    """What the parent sends and must conclude when a protocol 1 child answers: a dense chain falls back to a
    protocol 1 hello (names W1, b1, ...), a graph is an error naming what needs protocol 2."""
    _, hello, evaluate, _, _ = request_data("dense-chain")
    names = v1_names(hello["network"])
    v1_evaluate = {"op": "evaluate", "params": {names[k]: v for k, v in evaluate["params"].items()},
                   "x": evaluate["x"], "y": evaluate["y"], "want": ["loss", "gradient"]}
    reply = answer(hello, dict(evaluate, want=["loss", "gradient"]))
    reply["gradient"] = {names[k]: v for k, v in reply["gradient"].items()}
    _, conv_hello, _, _, _ = request_data("conv2d-stride-padding")
    return {"name": "negotiation", "description": "a protocol 1 child offered protocol 2 (its refusal is the text of "
            "examples/numpy/net.py --protocol 1, which is today's v1 child): the dense chain continues in protocol 1; "
            "the graph ends in the error after the command's name",
            "generated_by": f"python3 -m gradproof_torch fixtures (PyTorch {torch.__version__}, float64 autograd)",
            "dense_chain": [{"request": hello, "answer": V1_REFUSAL},
                            {"request": {"op": "hello", "protocol": 1, "network": v1_network(hello["network"])},
                             "answer": {"ok": True, "implementation": "numpy-net", "dtype": "float64", "protocol": 1}},
                            {"request": v1_evaluate, "answer": reply}],
            "graph": [{"request": conv_hello, "answer": V1_REFUSAL}],
            "graph_error": "needs protocol 2: layer 1 (conv1) is conv2d, which only a protocol 2 child can build; "
                           "the child answered the protocol 2 hello with: "
                           "ValueError: protocol 2 is not supported (this is protocol 1)"}


def parent_checks():
    """Answers the parent must reject, each with the message that follows "<command>: " (docs/PROTOCOL.md)."""
    net = network("channels", [1, 3, 3], [{"type": "conv2d", "name": "conv1", "out_channels": 2, "kernel": 2},
                                          {"type": "flatten"}, {"type": "dense", "units": 1}], "mse")
    CASES["parent-checks"] = ("", net, 2, {})
    try:
        _, hello, evaluate, losses, _ = request_data("parent-checks")
    finally:
        del CASES["parent-checks"]
    losses["perturbations"] = losses["perturbations"][:4]
    good = answer(hello, evaluate)
    line = lambda answer: json.dumps(answer)   # noqa: E731

    def changed(edit):
        a = json.loads(json.dumps(good))
        edit(a)
        return line(a)

    def set_at(path, value):
        def edit(a):
            t = a
            for p in path[:-1]:
                t = t[p]
            t[path[-1]] = value
        return edit

    w = ["gradient", "conv1.weight"]
    cases = [
        ("hello", line({"ok": True, "protocol": 3}), "answer to hello: protocol is 3, the parent accepts 1 and 2"),
        ("hello", line({"ok": True, "protocol": 2, "dtype": "float16"}),
         'answer to hello: dtype is "float16", expected "float64" or "float32"'),
        ("evaluate", changed(lambda a: a["gradient"].pop("conv1.bias")),
         "answer to evaluate: gradient conv1.bias is missing (shape [2])"),
        ("evaluate", changed(set_at(["gradient", "conv1.scale"], [0.0])),
         "answer to evaluate: gradient has conv1.scale, which the network does not have"),
        ("evaluate", changed(lambda a: a["gradient"]["conv1.weight"].pop()),
         "answer to evaluate: gradient conv1.weight has 1 entries, expected 2 (shape [2, 1, 2, 2])"),
        ("evaluate", changed(lambda a: a["gradient"]["conv1.weight"][1][0].append([0.0, 0.0])),
         "answer to evaluate: gradient conv1.weight[1,0] has 3 entries, expected 2 (shape [2, 1, 2, 2])"),
        ("evaluate", changed(set_at(w + [0, 0], 0.5)),
         "answer to evaluate: gradient conv1.weight[0,0] is 0.5, expected an array (shape [2, 1, 2, 2])"),
        ("evaluate", changed(set_at(["gradient", "dense1.bias", 0], [0.1])),
         "answer to evaluate: gradient dense1.bias[0] is [0.1], expected a number"),
        ("evaluate", changed(set_at(w + [0, 0, 1, 1], None)),
         "answer to evaluate: gradient conv1.weight[0,0,1,1] is null, expected a number"),
        ("evaluate", changed(set_at(w + [0, 0, 1, 1], "NaN-MARK")).replace('"NaN-MARK"', "NaN"),
         "answer to evaluate is not valid JSON (NaN/Infinity are not JSON numbers): gradient conv1.weight[0,0,1,1] is NaN"),
        ("evaluate", changed(lambda a: a.pop("input_gradient")),
         "answer to evaluate: input_gradient is missing (shape [2, 1, 3, 3])"),
        ("evaluate", changed(lambda a: a["input_gradient"].pop()),
         "answer to evaluate: input_gradient has 1 entries, expected 2 (shape [2, 1, 3, 3])"),
        ("losses", line({"ok": True, "losses": [0.5, 0.25, 0.125]}), "answer to losses: 3 losses for 4 perturbations"),
    ]
    return {"name": "parent-checks", "description": "answers a protocol 2 parent must reject: each line answers the "
            "request named, and error is the message after the command's name and before the child's stderr",
            "requests": {"hello": hello, "evaluate": evaluate, "losses": losses},
            "good_answer_to_evaluate": good,
            "cases": [{"answers": r, "line": l, "error": e} for r, l, e in cases]}


def compact(text):
    """One line per innermost array of numbers, so that a fixture reads as a document."""
    scalar = r'(?:-?[0-9.eE+]+|"[^"\n]*"|true|false|null)'
    return re.sub(r"\[\n\s*(" + scalar + r"(?:,\n\s*" + scalar + r")*)\n\s*\]",
                  lambda m: "[" + re.sub(r",\n\s*", ", ", m.group(1)) + "]", text)


def write_all(directory):
    os.makedirs(directory, exist_ok=True)
    docs = {name: fixture(name) for name in CASES}
    docs["negotiation"] = negotiation()
    docs["parent-checks"] = parent_checks()
    for name, doc in docs.items():
        with open(os.path.join(directory, name + ".json"), "w") as f:
            f.write(compact(json.dumps(doc, indent=1, allow_nan=False)) + "\n")
    print(f"wrote {len(docs)} fixtures to {directory}", file=sys.stderr)
