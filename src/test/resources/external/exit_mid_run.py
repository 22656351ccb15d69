import sys

import fakes


def evaluate(request, network):
    print("exit_mid_run: out of memory, giving up", file=sys.stderr)
    sys.exit(4)


fakes.serve("exit-mid-run", evaluate)
