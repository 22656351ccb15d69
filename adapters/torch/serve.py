"""What the gradproof-torch launcher runs: `python3 -m gradproof_torch serve ARGS`, except that this folder,
not the working folder, comes first on the import path (python3 -m would import a gradproof_torch found
where gradproof runs, e.g. in a checkout being checked; docs/PROTOCOL.md, "Security")."""
import sys

from gradproof_torch.__main__ import main

main(["serve"] + sys.argv[1:])
