import sys
import time

import fakes


def evaluate(request, network):
    print("hang: thinking forever", file=sys.stderr)
    while True:
        time.sleep(3600)


fakes.serve("hang", evaluate)
