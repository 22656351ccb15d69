"""Shared by the fake children: protocol I/O and well-formed answers. Each fake misbehaves in one way."""
import json
import sys


def read():
    """The next request, or exit 0 at the end of stdin."""
    line = sys.stdin.readline()
    if not line:
        sys.exit(0)
    return json.loads(line)


def send(answer, **options):
    sys.stdout.write(json.dumps(answer, **options) + "\n")
    sys.stdout.flush()


def hello(name):
    return {"ok": True, "implementation": name, "dtype": "float64"}


def gradient(network, value=0.0):
    """A gradient of the right shape, every entry `value`."""
    g = {}
    for l, layer in enumerate(network["layers"], start=1):
        g[f"W{l}"] = [[value] * layer["in"] for _ in range(layer["out"])]
        if layer["bias"]:
            g[f"b{l}"] = [value] * layer["out"]
    return g


def serve(name, evaluate, on_hello=None):
    """Answers hello, calls evaluate(request, network) for every other request; exits on bye."""
    network = None
    while True:
        request = read()
        if request["op"] == "hello" and request.get("protocol") == 2:
            send({"ok": False, "error": "protocol 2 is not supported (this is protocol 1)"})   # a version 1 child
        elif request["op"] == "hello":
            network = request["network"]
            if on_hello:
                on_hello(request)
            send(hello(name))
        elif request["op"] == "bye":
            sys.exit(0)
        else:
            evaluate(request, network)
