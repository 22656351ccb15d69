"""Your own module through the adapter: the conv2d autograd.Function with its planted bug, name mapping, FixedDropout."""
import unittest

import torch
import torch.nn as nn
from torch.autograd.gradcheck import GradcheckError

from gradproof_torch import FixedDropout
from gradproof_torch.graph import SpecGraph
from gradproof_torch.network import network
from gradproof_torch.plug import UserModel
from gradproof_torch.server import Session
from tests.common import Child, errors, example, fixture, spec_session

CONV = fixture("conv2d-stride-padding")["exchanges"]   # conv1: conv2d 3x3 stride 2 padding 1, tanh; flatten; dense1
NAMES = {"conv1": "features.0", "dense1": "classifier.1"}


def answer(session, request):
    return session.evaluate(request["params"], request["x"], request["y"], request["want"], request["masks"])


def wrong_parts(got, expected):
    return {part for part, e in errors(got, expected).items() if e > 1e-12}


class PlantedBug(unittest.TestCase):
    def test_the_buggy_function_is_wrong_in_conv1_weight_only_and_the_fixed_one_agrees(self):
        net, conv = CONV[0]["request"]["network"], example()
        for factory, wrong in ((conv.fixed_net, set()), (conv.buggy_net, {"conv1.weight"})):
            session = Session(net, UserModel(net, factory(net), NAMES, output="logits"))
            got = answer(session, CONV[1]["request"])
            self.assertEqual(wrong_parts(got, CONV[1]["answer"]), wrong, factory.__name__)
        got = answer(session, CONV[1]["request"])
        self.assertGreater(errors(got, CONV[1]["answer"])["conv1.weight"], 0.1)

    def test_with_stride_1_the_bug_cannot_show(self):
        net = network("channels", [2, 5, 5], [{"type": "conv2d", "name": "conv1", "out_channels": 2, "kernel": 3,
                                                "padding": 1, "activation": "tanh"}, {"type": "flatten"},
                                               {"type": "dense", "units": 2}], "mse")
        torch.manual_seed(3)
        reference = spec_session(net)
        params = {n: (torch.randn(p.shape) * 0.5).tolist() for n, p in reference.tensors.items()}
        x, y = torch.randn(2, 2, 5, 5).tolist(), torch.randn(2, 2).tolist()
        request = {"params": params, "x": x, "y": y, "want": ["loss", "gradient", "input_gradient"], "masks": {}}
        buggy = Session(net, UserModel(net, example().buggy_net(net), NAMES))
        self.assertEqual(wrong_parts(answer(buggy, request), answer(reference, request)), set())

    def test_one_layer_replaced_finds_the_same(self):
        net, conv = CONV[0]["request"]["network"], example()
        for factory, wrong in ((conv.fixed_layer, set()), (conv.buggy_layer, {"conv1.weight"})):
            session = Session(net, SpecGraph(net, {"conv1": factory(net["layers"][0])}))
            self.assertEqual(wrong_parts(answer(session, CONV[1]["request"]), CONV[1]["answer"]), wrong)

    def test_gradcheck_agrees_about_the_function(self):
        """PyTorch's own gradcheck: an independent opinion of the same two Functions."""
        fn = example().Conv2dFunction.apply
        x = torch.randn(2, 2, 5, 5, requires_grad=True)
        w, b = torch.randn(3, 2, 3, 3, requires_grad=True), torch.randn(3, requires_grad=True)
        self.assertTrue(torch.autograd.gradcheck(lambda x, w, b: fn(x, w, b, 2, 1, False), (x, w, b)))
        with self.assertRaises(GradcheckError):
            torch.autograd.gradcheck(lambda x, w, b: fn(x, w, b, 2, 1, True), (x, w, b))

    def test_the_command_lines_of_the_readme_and_the_specs(self):
        child = Child("--module", "adapters/torch/examples/conv_function.py:buggy_net", "--map", "conv1=features.0",
                      "--map", "dense1=classifier.1", "--output", "logits")
        hello = child.ask(CONV[0]["request"])
        self.assertEqual(hello["implementation"], "pytorch " + torch.__version__
                         + " --module adapters/torch/examples/conv_function.py:buggy_net")
        self.assertEqual(wrong_parts(child.ask(CONV[1]["request"]), CONV[1]["answer"]), {"conv1.weight"})
        self.assertEqual(child.bye(), 0)
        # The specs' command: mse on a plain dense output, so the module's output is the activated one.
        net = network("channels", [2, 7, 7], [{"type": "conv2d", "name": "conv1", "out_channels": 3, "kernel": 3,
                                                "stride": 2, "padding": 1, "activation": "tanh"}, {"type": "flatten"},
                                               {"type": "dense", "name": "dense1", "units": 2}], "mse")
        reference = spec_session(net)
        request = {"params": {n: (torch.randn(p.shape) * 0.5).tolist() for n, p in reference.tensors.items()},
                   "x": torch.randn(4, 2, 7, 7).tolist(), "y": torch.randn(4, 2).tolist(), "masks": {},
                   "want": ["loss", "gradient", "input_gradient"]}
        for flag, wrong in (("bug", {"conv1.weight"}), ("fixed", set())):
            child = Child(flag, program="examples/conv-function")
            self.assertTrue(child.ask({"op": "hello", "protocol": 2, "accepts": [1, 2], "network": net})["ok"])
            got = child.ask({"op": "evaluate", **request})
            self.assertEqual(wrong_parts(got, answer(reference, request)), wrong, flag)
            self.assertEqual(child.bye(), 0)


class Mapping(unittest.TestCase):
    NET = CONV[0]["request"]["network"]

    def refusal(self, module, names):
        with self.assertRaises(ValueError) as e:
            UserModel(self.NET, module, names)
        return str(e.exception)

    def test_a_module_parameter_the_spec_does_not_have(self):
        m = example().fixed_net(self.NET)
        m.extra = nn.Parameter(torch.zeros(2))
        self.assertEqual(self.refusal(m, NAMES), "the module's parameters extra are none of the network's tensors "
                         "(conv1.weight, conv1.bias, dense1.weight, dense1.bias): map them with --map, or make them buffers")

    def test_a_spec_tensor_the_module_does_not_have(self):
        self.assertEqual(self.refusal(example().fixed_net(self.NET), {"conv1": "features.0"}),
                         "dense1.weight: the module has no parameter dense1.weight (map it: --map dense1=PREFIX or "
                         "--map dense1.weight=PATH)")

    def test_a_tensor_mapped_twice_and_a_wrong_shape(self):
        self.assertEqual(self.refusal(example().fixed_net(self.NET), dict(NAMES, **{"conv1.bias": "classifier.1.bias"})),
                         "dense1.bias and conv1.bias both map to the module's classifier.1.bias")
        small = example().SmallConvNet(example().HandConv2d(2, 3, 3, 2, 1), 48, 2)
        with self.assertRaises(ValueError) as e:
            Session(self.NET, UserModel(self.NET, small, NAMES))
        self.assertEqual(str(e.exception), "dense1.weight: the module's parameter has shape [2, 48], the network's is [3, 48]")

    def test_a_factory_that_returns_no_module(self):
        self.assertEqual(self.refusal(lambda x: x, {}), "the factory returned a function, not a torch.nn.Module")


class OwnDropout(unittest.TestCase):
    def test_fixed_dropout_in_a_users_module_gets_the_requests_mask(self):
        ex = fixture("dropout")["exchanges"]
        net = ex[0]["request"]["network"]
        model = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), FixedDropout("dropout1"), nn.Linear(6, 2))
        session = Session(net, UserModel(net, model, {"dense1": "0", "dense2": "3"}))
        self.assertEqual(wrong_parts(answer(session, ex[1]["request"]), ex[1]["answer"]), set())

    def test_an_activated_output_and_logits_give_the_same(self):
        """A module returning softmax probabilities (default) or the logits (--output logits), cross-entropy."""
        ex = fixture("embedding")["exchanges"]
        net = ex[0]["request"]["network"]

        class Model(nn.Module):
            def __init__(self, softmax):
                super().__init__()
                self.embed, self.pos, self.out = nn.Embedding(6, 3), nn.Embedding(5, 3), nn.Linear(15, 3)
                self.softmax = softmax

            def forward(self, ids):
                z = self.out((self.embed(ids) + self.pos.weight).flatten(1))
                return torch.softmax(z, -1) if self.softmax else z

        names = {"dense1": "out"}
        for softmax, output in ((True, "activated"), (False, "logits")):
            session = Session(net, UserModel(net, Model(softmax), names, output))
            self.assertEqual(wrong_parts(answer(session, ex[1]["request"]), ex[1]["answer"]), set(), output)


if __name__ == "__main__":
    unittest.main()
