import sys
import time

import fakes


def evaluate(request, network):
    print("slow: this takes 1.5 s", file=sys.stderr)
    time.sleep(1.5)
    fakes.send({"ok": True, "loss": 1.0, "gradient": fakes.gradient(network)})


fakes.serve("slow", evaluate)
