import sys

import fakes


def evaluate(request, network):
    for i in range(1, 101):
        print(f"noise {i}", file=sys.stderr)
    print("Traceback (most recent call last):", file=sys.stderr)
    print("ZeroDivisionError: division by zero", file=sys.stderr)
    sys.exit(1)


fakes.serve("noisy-stderr", evaluate)
