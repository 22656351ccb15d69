import sys

import fakes


def evaluate(request, network):
    sys.stdout.write('{"ok": true, "loss": 0.5')
    sys.stdout.flush()
    sys.exit(0)


fakes.serve("partial-line", evaluate)
