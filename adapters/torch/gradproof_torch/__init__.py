"""gradproof-torch: PyTorch (float64, autograd) as a gradproof implementation, over protocol 2.

    from gradproof_torch import serve
    serve(build, names={"conv1": "features.0", "dense1": "classifier"})

serves your module (build(network) returns it) on stdin/stdout; `serve()` alone serves the spec's
network built from torch.nn modules. See adapters/torch/README.md.
"""
import sys

# The dropout masks of the request being answered, by spec layer name (read by FixedDropout).
masks = {}


def __getattr__(name):
    if name == "FixedDropout":   # imported lazily: `import gradproof_torch` does not load torch
        from gradproof_torch.graph import FixedDropout
        return FixedDropout
    raise AttributeError(name)


def serve(factory=None, names=None, output="activated", layers=None, name=None):
    """Serves protocol 2 on stdin/stdout until bye.

    factory: build(network) -> nn.Module computing the whole network (None: built from the spec).
    names:   the spec's layer or tensor names -> the module's parameter paths (prefixes for layers).
    output:  "activated" if the module returns the last layer's output after its activation, "logits" if
             before it (the adapter then applies the spec's last activation itself).
    layers:  spec layer name -> factory(layer) of a module computing that one layer, in a spec-built graph.
    """
    import torch
    from gradproof_torch.graph import SpecGraph
    from gradproof_torch.plug import UserModel, call_factory
    from gradproof_torch.server import serve as loop

    torch.set_default_dtype(torch.float64)
    label = name or f"pytorch {torch.__version__}"

    def build(network):
        if factory is not None:
            return UserModel(network, call_factory(factory, network), names, output)
        replaced = {}
        for layer in network["layers"]:
            if layer["name"] in (layers or {}):
                replaced[layer["name"]] = call_factory(layers[layer["name"]], layer)
        unknown = set(layers or {}) - {layer["name"] for layer in network["layers"]}
        if unknown:
            raise ValueError(f"--layer {', '.join(sorted(unknown))}: no such layer in the network")
        return SpecGraph(network, replaced)

    loop(build, label, sys.stdin, sys.stdout)
