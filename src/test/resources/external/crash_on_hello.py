import sys

sys.stdin.readline()
print("Traceback (most recent call last):", file=sys.stderr)
print("RuntimeError: cannot load weights", file=sys.stderr)
sys.exit(3)
