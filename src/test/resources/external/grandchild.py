"""Starts a sleeping grandchild that inherits stdout and stderr, as a careless child's helper would.

Modes (first argument): none (on hello, then behaves), crash (on hello, crashes in evaluate),
evaluate-crash (in evaluate, then crashes), evaluate-hang (in evaluate, then hangs), evaluate-crash-pgrp
(in evaluate, in a process group of its own, then crashes). The grandchild carries this run's marker."""
import os
import subprocess
import sys
import time

import fakes

started = []
mode = sys.argv[1] if len(sys.argv) > 2 else ""


def start_grandchild(own_group=False):
    if not started:
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"] + sys.argv[1:],
                                        preexec_fn=os.setpgrp if own_group else None))
        print(f"grandchild: started {started[0].pid}", file=sys.stderr)


def on_hello(request):
    if not mode.startswith("evaluate-"):
        start_grandchild()


def evaluate(request, network):
    if mode.startswith("evaluate-"):
        start_grandchild(own_group=mode.endswith("-pgrp"))
    if "crash" in mode:
        print("grandchild: crashing, leaving the grandchild behind", file=sys.stderr)
        sys.exit(5)
    if mode == "evaluate-hang":
        print("grandchild: hanging", file=sys.stderr)
        time.sleep(600)
    fakes.send({"ok": True, "loss": 1.0, "gradient": fakes.gradient(network)})


fakes.serve("grandchild", evaluate, on_hello=on_hello)
