import subprocess
import sys

import fakes

started = []


def start_grandchild(request):
    if not started:   # inherits stdout and stderr, as a careless child's helper would
        started.append(subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"] + sys.argv[1:]))
        print(f"grandchild: started {started[0].pid}", file=sys.stderr)


def evaluate(request, network):
    if "crash" in sys.argv:
        print("grandchild: crashing, leaving the grandchild behind", file=sys.stderr)
        sys.exit(5)
    fakes.send({"ok": True, "loss": 1.0, "gradient": fakes.gradient(network)})


fakes.serve("grandchild", evaluate, on_hello=start_grandchild)
