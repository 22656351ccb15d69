import os
import sys
import time

import fakes


def evaluate(request, network):
    print("close_stdout: closing stdout, staying alive", file=sys.stderr)
    sys.stdout.flush()
    os.close(1)
    while True:
        time.sleep(3600)


fakes.serve("close-stdout", evaluate)
