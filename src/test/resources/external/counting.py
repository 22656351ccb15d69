"""Well behaved, but refuses losses; its loss is 1000 x (hellos so far) + the sum of all parameters."""
import fakes

hellos = []


def evaluate(request, network):
    if request["op"] == "losses":
        fakes.send({"ok": False, "error": "losses is not implemented"})
        return
    total = 0.0
    for value in request["params"].values():
        for row in value:
            total += sum(row) if isinstance(row, list) else row
    fakes.send({"ok": True, "loss": 1000 * len(hellos) + total, "gradient": fakes.gradient(network, 1.0)})


fakes.serve("counting", evaluate, on_hello=lambda request: hellos.append(request))
