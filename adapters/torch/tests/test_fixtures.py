"""The stored fixtures are what the adapter answers today, and their networks follow the engine's rules."""
import unittest

from gradproof_torch.fixtures import CASES, dropout_mask, fixture as make_fixture, negotiation, parent_checks
from gradproof_torch.network import network
from tests.common import errors, fixture, layer_fixture_names, normwise


class FixturesAreCurrent(unittest.TestCase):
    def test_every_case_is_stored_and_every_stored_file_is_a_case(self):
        self.assertEqual(set(layer_fixture_names()), set(CASES))

    def test_requests_are_identical_and_answers_agree(self):
        for name in CASES:
            with self.subTest(name):
                stored, fresh = fixture(name)["exchanges"], make_fixture(name)["exchanges"]
                self.assertEqual([e["request"] for e in stored], [e["request"] for e in fresh])
                self.assertEqual(stored[0]["answer"], fresh[0]["answer"])
                for part, e in errors(stored[1]["answer"], fresh[1]["answer"]).items():
                    self.assertLessEqual(e, 1e-13, part)
                self.assertLessEqual(normwise(stored[2]["answer"]["losses"], fresh[2]["answer"]["losses"]), 1e-13)

    def test_negotiation_and_parent_checks_are_current(self):
        for name, make in (("negotiation", negotiation), ("parent-checks", parent_checks)):
            with self.subTest(name):
                stored, fresh = fixture(name), make()
                self.assertEqual(set(stored), set(fresh))
                if name == "parent-checks":
                    self.assertEqual(stored["requests"], fresh["requests"])
                    self.assertEqual([c["error"] for c in stored["cases"]], [c["error"] for c in fresh["cases"]])
                else:
                    self.assertEqual(stored["graph_error"], fresh["graph_error"])
                    self.assertEqual([e["request"] for e in stored["dense_chain"]],
                                     [e["request"] for e in fresh["dense_chain"]])


class Normalisation(unittest.TestCase):
    """Hand-checked against dev.gradproof.spec.layers: names, defaults, shapes, the L2 tensors."""

    def test_a_conv_network(self):
        net = network("channels", [1, 28, 28], [
            {"type": "conv2d", "out_channels": 6, "kernel": 5, "activation": "tanh"},
            {"type": "max_pool2d", "kernel": 2}, {"type": "conv2d", "out_channels": 16, "kernel": [5, 5]},
            {"type": "batch_norm", "affine": False}, {"type": "flatten"},
            {"type": "dense", "units": 10, "activation": "softmax"}], "softmax_cross_entropy", l2=0.5)
        conv1, pool, conv2, bn, flat, dense = net["layers"]
        self.assertEqual(conv1, {"name": "conv2d1", "type": "conv2d", "from": ["input"], "out_channels": 6,
                                 "kernel": [5, 5], "stride": [1, 1], "padding": [0, 0], "dilation": [1, 1], "bias": True,
                                 "activation": {"name": "tanh"}, "output": {"kind": "channels", "shape": [6, 24, 24]},
                                 "parameters": {"conv2d1.weight": [6, 1, 5, 5], "conv2d1.bias": [6]}})
        self.assertEqual((pool["name"], pool["stride"], pool["padding"], pool["output"]["shape"]),
                         ("max_pool2d1", [2, 2], [0, 0], [6, 12, 12]))
        self.assertEqual((conv2["name"], conv2["output"]["shape"]), ("conv2d2", [16, 8, 8]))
        self.assertEqual((bn["eps"], bn["affine"], bn["parameters"]), (1e-05, False, {}))
        self.assertEqual(flat["output"], {"kind": "features", "shape": [1024]})
        self.assertEqual(dense["parameters"], {"dense1.weight": [10, 1024], "dense1.bias": [10]})
        self.assertEqual(net["l2"], {"lambda": 0.5, "biases": False,
                                     "tensors": ["conv2d1.weight", "conv2d2.weight", "dense1.weight"]})
        self.assertEqual(net["loss"], {"type": "softmax_cross_entropy", "reduction": "mean", "steps": "mean",
                                       "delta": 1.0})

    def test_a_sequence_network(self):
        net = network("tokens", [7], [{"type": "embedding", "vocabulary": 30, "dim": 8},
                                      {"type": "position_embedding"}, {"type": "layer_norm", "name": "ln"},
                                      {"type": "lstm", "hidden": 4, "return": "last", "bias": False},
                                      {"type": "dense", "units": 30}], "mse", l2=0.1, l2_biases=True)
        emb, pos, ln, lstm, dense = net["layers"]
        self.assertEqual(net["input"], {"kind": "tokens", "shape": [7], "vocabulary": 30})
        self.assertEqual(ln["normalized_shape"], [8])
        self.assertEqual(lstm["parameters"], {"lstm1.weight_ih": [16, 8], "lstm1.weight_hh": [16, 4]})
        self.assertEqual(lstm["output"], {"kind": "features", "shape": [4]})
        self.assertEqual(len(net["l2"]["tensors"]), 8)   # with biases: every tensor

    def test_dropout_masks_are_the_java_engines(self):
        # Dropout.mask(7, 2, n, i, 0.5) for n < 3, i < 6, and (-5, 3, 1, 7, 0.3), printed by the Java class.
        self.assertEqual([[dropout_mask(7, 2, n, i, 0.5) for i in range(6)] for n in range(3)],
                         [[2.0, 0.0, 0.0, 0.0, 2.0, 2.0], [2.0, 2.0, 0.0, 0.0, 2.0, 2.0], [2.0, 0.0, 2.0, 2.0, 2.0, 0.0]])
        self.assertEqual(dropout_mask(-5, 3, 1, 7, 0.3), 1 / 0.7)


if __name__ == "__main__":
    unittest.main()
