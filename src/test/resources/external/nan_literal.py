import fakes


def evaluate(request, network):
    g = fakes.gradient(network)
    g["W1"][0][2] = float("nan")
    fakes.send({"ok": True, "loss": 1.0, "gradient": g})   # json.dumps writes NaN: not JSON


fakes.serve("nan-literal", evaluate)
