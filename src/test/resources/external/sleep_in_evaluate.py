"""Answers hello, then sleeps in evaluate: a child busy when gradproof is interrupted.

The first argument is a file: its pid is written there (atomically) when evaluate begins."""
import os
import sys
import time

import fakes


def evaluate(request, network):
    tmp = sys.argv[1] + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(os.getpid()))
    os.replace(tmp, sys.argv[1])
    time.sleep(600)


fakes.serve("sleep-in-evaluate", evaluate)
