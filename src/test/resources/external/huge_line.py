import sys

import fakes


def evaluate(request, network):
    chunk = "7" * (1 << 20)
    sys.stdout.write('{"ok": true, "loss": 0.')
    for _ in range(65):   # 65 MiB of digits, no newline yet
        sys.stdout.write(chunk)
    sys.stdout.write("}\n")
    sys.stdout.flush()


fakes.serve("huge-line", evaluate)
