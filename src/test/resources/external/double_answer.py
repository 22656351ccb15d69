import sys

import fakes


def evaluate(request, network):
    answer = fakes.json.dumps({"ok": True, "loss": 1.0, "gradient": fakes.gradient(network)})
    sys.stdout.write(answer + "\n" + answer + "\n")   # one answer too many
    sys.stdout.flush()


fakes.serve("double-answer", evaluate)
