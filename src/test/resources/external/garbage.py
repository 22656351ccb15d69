import fakes


def evaluate(request, network):
    print("Epoch 1/10 [" + "=" * 250 + "]", flush=True)   # a log line on stdout, where only answers belong


fakes.serve("garbage", evaluate)
