"""Writes the names of its environment variables, one per line, to the file given as first argument, then exits."""
import os
import sys

with open(sys.argv[1] + ".tmp", "w") as f:
    f.write("\n".join(sorted(os.environ)) + "\n")
os.replace(sys.argv[1] + ".tmp", sys.argv[1])
