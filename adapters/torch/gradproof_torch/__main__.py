"""python3 -m gradproof_torch serve [--module REF] [--map SPEC=PATH ...] [--output activated|logits]
                                    [--layer NAME=REF ...] [--name TEXT]
   python3 -m gradproof_torch fixtures DIR      (writes the protocol 2 fixtures, src/test/resources/protocol/v2)

REF is pkg.module:function or path/to/file.py:function. See adapters/torch/README.md.
"""
import argparse
import sys


def pairs(values, flag):
    out = {}
    for v in values or []:
        if "=" not in v:
            sys.exit(f"gradproof-torch: {flag} {v}: expected NAME=VALUE")
        key, value = v.split("=", 1)
        out[key] = value
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(prog="gradproof-torch", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("serve", help="answer protocol 2 requests on stdin/stdout")
    s.add_argument("--module", help="REF of build(network) -> your nn.Module for the whole network")
    s.add_argument("--map", action="append", metavar="SPEC=PATH",
                   help="a spec layer (prefix) or tensor name -> your module's parameter path; repeatable")
    s.add_argument("--output", choices=["activated", "logits"], default="activated",
                   help="whether your module returns the last layer's output after its activation (default) or before")
    s.add_argument("--layer", action="append", metavar="NAME=REF",
                   help="compute the spec's layer NAME with REF(layer) -> nn.Module; repeatable")
    s.add_argument("--name", help="the implementation's name in reports")
    f = sub.add_parser("fixtures", help="write the protocol 2 fixtures (request/answer pairs) into DIR")
    f.add_argument("dir")
    args = parser.parse_args(argv)
    if args.command == "fixtures":
        from gradproof_torch.fixtures import write_all
        write_all(args.dir)
        return
    from gradproof_torch import serve
    from gradproof_torch.plug import load
    if args.module and args.layer:
        sys.exit("gradproof-torch: --module replaces the whole network, --layer one layer: give one of them")
    if args.map and not args.module:
        sys.exit("gradproof-torch: --map names your module's parameters, so it needs --module")
    try:
        factory = load(args.module) if args.module else None
        layers = {k: load(v) for k, v in pairs(args.layer, "--layer").items()}
    except Exception as e:  # an unreadable module is a usage error, reported before any request
        sys.exit(f"gradproof-torch: {type(e).__name__}: {e}")
    label = args.name or None
    if label is None and (args.module or args.layer):
        import torch
        label = f"pytorch {torch.__version__} " + " ".join(
            ([f"--module {args.module}"] if args.module else []) + [f"--layer {v}" for v in args.layer or []])
    serve(factory, pairs(args.map, "--map"), args.output, layers, label)


if __name__ == "__main__":
    main()
