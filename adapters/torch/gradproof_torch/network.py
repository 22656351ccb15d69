"""Writes protocol 2 networks the way the parent normalises them (docs/PROTOCOL.md, "The network"):
default names, every option with its default, each layer's output shape and parameter shapes.

The rules mirror dev.gradproof.spec.layers (the Java engine), which the fixtures pin: the Java side
builds each fixture's network and must produce the same hello.
"""
import math

GATES = {"rnn": 1, "lstm": 4, "gru": 3}
WEIGHTS = {"dense": ["weight"], "conv1d": ["weight"], "conv2d": ["weight"], "embedding": ["weight"],
           "position_embedding": ["weight"], "rnn": ["weight_ih", "weight_hh"], "lstm": ["weight_ih", "weight_hh"],
           "gru": ["weight_ih", "weight_hh"], "attention": ["in_proj_weight", "out_proj.weight"]}


def activation(a):
    if a is None:
        return None
    a = {"name": a} if isinstance(a, str) else dict(a)
    if a["name"] == "leaky_relu":
        a.setdefault("slope", 0.01)
    if a["name"] == "elu":
        a.setdefault("alpha", 1.0)
    return a


def per_axis(value, axes):
    value = value if isinstance(value, list) else [value]
    return value * axes if len(value) == 1 else list(value)


def window_size(size, k, s, p, d):
    return (size + 2 * p - d * (k - 1) - 1) // s + 1


def layer(spec, inputs):
    """(normalised options, output {kind, shape}, parameters {name: shape}) of one layer."""
    t, first = spec["type"], inputs[0]
    kind, shape = first["kind"], first["shape"]
    o = {}
    params = {}
    if t == "dense":
        o = {"units": spec["units"], "bias": spec.get("bias", True)}
        params = {"weight": [o["units"], shape[-1]], "bias": [o["units"]]}
        out = (kind, [o["units"]] if kind == "features" else [shape[0], o["units"]])
    elif t in ("conv1d", "conv2d"):
        axes = 1 if t == "conv1d" else 2
        o = {"out_channels": spec["out_channels"], "kernel": per_axis(spec["kernel"], axes),
             "stride": per_axis(spec.get("stride", 1), axes), "padding": per_axis(spec.get("padding", 0), axes),
             "dilation": per_axis(spec.get("dilation", 1), axes), "bias": spec.get("bias", True)}
        sizes = [window_size(shape[a + 1], o["kernel"][a], o["stride"][a], o["padding"][a], o["dilation"][a])
                 for a in range(axes)]
        params = {"weight": [o["out_channels"], shape[0]] + o["kernel"], "bias": [o["out_channels"]]}
        out = ("channels", [o["out_channels"]] + sizes)
    elif t in ("max_pool2d", "avg_pool2d"):
        k = per_axis(spec["kernel"], 2)
        o = {"kernel": k, "stride": per_axis(spec.get("stride", k), 2), "padding": per_axis(spec.get("padding", 0), 2)}
        out = ("channels", [shape[0]] + [window_size(shape[a + 1], k[a], o["stride"][a], o["padding"][a], 1)
                                         for a in range(2)])
    elif t == "global_avg_pool":
        out = ("features", [shape[0]])
    elif t == "flatten":
        out = ("features", [math.prod(shape)])
    elif t in ("batch_norm", "layer_norm"):
        if t == "layer_norm":
            o["normalized_shape"] = spec.get("normalized_shape", [shape[-1]])
        o.update({"eps": spec.get("eps", 1e-5), "affine": spec.get("affine", True)})
        affine_shape = [shape[0]] if t == "batch_norm" else o["normalized_shape"]
        params = {"weight": affine_shape, "bias": affine_shape} if o["affine"] else {}
        out = (kind, shape)
    elif t == "dropout":
        o = {"p": spec["p"]}
        out = (kind, shape)
    elif t == "embedding":
        o = {"vocabulary": spec["vocabulary"], "dim": spec["dim"]}
        params = {"weight": [o["vocabulary"], o["dim"]]}
        out = ("sequence", [shape[0], o["dim"]])
    elif t == "position_embedding":
        params = {"weight": shape}
        out = (kind, shape)
    elif t in GATES:
        o = {"hidden": spec["hidden"], "return": spec.get("return", "sequence"), "bias": spec.get("bias", True)}
        g = GATES[t] * o["hidden"]
        params = {"weight_ih": [g, shape[1]], "weight_hh": [g, o["hidden"]], "bias_ih": [g], "bias_hh": [g]}
        out = ("sequence", [shape[0], o["hidden"]]) if o["return"] == "sequence" else ("features", [o["hidden"]])
    elif t == "attention":
        d = shape[1]
        o = {"heads": spec["heads"], "dim": d, "causal": spec.get("causal", False), "bias": spec.get("bias", True)}
        params = {"in_proj_weight": [3 * d, d], "in_proj_bias": [3 * d], "out_proj.weight": [d, d],
                  "out_proj.bias": [d]}
        out = (kind, shape)
    elif t == "add":
        out = (kind, shape)
    elif t == "concat":
        axis = 0 if kind == "channels" else len(shape) - 1
        joined = list(shape)
        joined[axis] = sum(i["shape"][axis] for i in inputs)
        out = (kind, joined)
    else:
        raise ValueError(f"layer type {t}")
    if not o.get("bias", True):
        params = {n: s for n, s in params.items() if "bias" not in n}
    return o, {"kind": out[0], "shape": out[1]}, params


def network(input_kind, input_shape, layers, loss, reduction="mean", steps="mean", delta=1.0, l2=0.0,
            l2_biases=False):
    """A normalised protocol 2 network from short layer dicts ({"type": "conv2d", "out_channels": 3, ...})."""
    counts, built, outputs = {}, [], {"input": {"kind": input_kind, "shape": list(input_shape)}}
    previous = "input"
    for spec in layers:
        counts[spec["type"]] = counts.get(spec["type"], 0) + 1
        name = spec.get("name", f"{spec['type']}{counts[spec['type']]}")
        sources = spec.get("from", [previous])
        options, out, params = layer(spec, [outputs[f] for f in sources])
        entry = {"name": name, "type": spec["type"], "from": sources}
        entry.update(options)
        entry["activation"] = activation(spec.get("activation"))
        entry["output"] = out
        entry["parameters"] = {f"{name}.{n}": s for n, s in params.items()}
        built.append(entry)
        outputs[name], previous = out, name
    inp = outputs["input"]
    if input_kind == "tokens":
        inp["vocabulary"] = min(l["vocabulary"] for l in built if l["type"] == "embedding" and "input" in l["from"])
    penalised = [n for l in built for n in l["parameters"]
                 if l2_biases or n[len(l["name"]) + 1:] in WEIGHTS.get(l["type"], [])]
    return {"input": inp, "layers": built,
            "loss": {"type": loss, "reduction": reduction, "steps": steps, "delta": delta},
            "l2": {"lambda": l2, "biases": l2_biases, "tensors": penalised}}
