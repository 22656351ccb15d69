"""examples/numpy/net behind a filter that refuses `losses`, as a child that implements only the
required ops would: every perturbed loss then costs an `evaluate` request (the slow path)."""
import json
import os
import subprocess
import sys

here = os.path.dirname(os.path.abspath(__file__))
net = os.path.join(here, "..", "..", "..", "..", "examples", "numpy", "net")
child = subprocess.Popen([net], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
for line in sys.stdin:
    if not line.strip():
        continue
    op = json.loads(line).get("op")
    if op == "losses":
        print(json.dumps({"ok": False, "error": "losses is not implemented"}), flush=True)
        continue
    child.stdin.write(line)
    child.stdin.flush()
    if op == "bye":
        break
    print(child.stdout.readline().strip(), flush=True)
child.wait()
