"""net.py's loss, gradient, input gradient and perturbed losses against PyTorch autograd, on every fixture.

float64: within 1e-12 of each tensor's largest entry (seen: 2e-15). float32 (--dtype float32): within
128 u32 (u32 = 2^-24), the inputs rounded to float32 and every operation rounded once; the networks are
small and well conditioned, so chains of a few dozen roundings stay near a dozen u32 (seen: 11 u32).
"""
import os
import sys
import unittest

import numpy as np

from tests.common import errors, layer_fixtures, normwise

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
from net import Net  # noqa: E402

U32 = 2.0 ** -24


def numpy_answers(hello, evaluate, losses, dtype=np.float64, bug=None):
    net = Net(hello["network"], bug, dtype, 2)
    got = net.evaluate(evaluate["params"], evaluate["x"], evaluate["y"], evaluate["want"], evaluate["masks"])
    moved = net.losses(losses["params"], losses["x"], losses["y"], losses["perturbations"], losses["masks"])
    return got, moved["losses"]


class AgainstPyTorch(unittest.TestCase):
    def test_every_layer_type_has_a_fixture(self):
        covered = {layer["type"] for _, hello, *_ in layer_fixtures() for layer in hello["network"]["layers"]}
        losses = {hello["network"]["loss"]["type"] for _, hello, *_ in layer_fixtures()}
        self.assertEqual(covered, {"dense", "conv1d", "conv2d", "max_pool2d", "avg_pool2d", "global_avg_pool",
                                   "flatten", "batch_norm", "layer_norm", "dropout", "embedding",
                                   "position_embedding", "rnn", "lstm", "gru", "attention", "add", "concat"})
        self.assertEqual(losses, {"squared_error", "mse", "binary_cross_entropy", "softmax_cross_entropy", "l1",
                                  "huber", "hinge", "kl_divergence"})

    def test_float64_agrees_with_pytorch(self):
        for name, hello, evaluate, losses, answer, moved in layer_fixtures():
            with self.subTest(name):
                got, got_moved = numpy_answers(hello, evaluate, losses)
                for part, e in errors(got, answer).items():
                    self.assertLessEqual(e, 1e-12, f"{name}: {part}")
                self.assertEqual(len(got_moved), len(moved["losses"]))
                for k, (a, b) in enumerate(zip(got_moved, moved["losses"])):
                    self.assertLessEqual(normwise([a], [b]), 1e-12, f"{name}: perturbation {k}")

    def test_float32_agrees_to_its_own_precision_and_is_float32(self):
        for name, hello, evaluate, losses, answer, moved in layer_fixtures():
            with self.subTest(name):
                got, got_moved = numpy_answers(hello, evaluate, losses, np.float32)
                for part, e in errors(got, answer).items():
                    self.assertLessEqual(e, 128 * U32, f"{name}: {part}")
                for k, (a, b) in enumerate(zip(got_moved, moved["losses"])):
                    self.assertLessEqual(normwise([a], [b]), 128 * U32, f"{name}: perturbation {k}")
                values = [got["loss"]] + [v for g in got["gradient"].values() for v in np.ravel(g)]
                self.assertTrue(all(float(np.float32(v)) == v for v in values), f"{name}: a value that is not float32")
        # Computed in float32, not rounded at the end: the conv fixture's gradient differs beyond 1e-10.
        name, hello, evaluate, losses, answer, _ = [f for f in layer_fixtures() if f[0] == "conv2d-stride-padding"][0]
        got, _ = numpy_answers(hello, evaluate, losses, np.float32)
        self.assertGreater(max(errors(got, answer).values()), 1e-10)

    def test_fresh_pytorch_answers(self):
        """The stored answers are PyTorch's today: recomputed with the adapter when torch is installed."""
        try:
            sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..",
                                            "adapters", "torch"))
            from gradproof_torch.fixtures import answer as torch_answer
        except ImportError as e:
            self.skipTest(f"no torch here ({e})")
        for name, hello, evaluate, losses, _, _ in layer_fixtures():
            with self.subTest(name):
                got, got_moved = numpy_answers(hello, evaluate, losses)
                for part, e in errors(got, torch_answer(hello, evaluate)).items():
                    self.assertLessEqual(e, 1e-12, f"{name}: {part}")
                self.assertLessEqual(normwise(got_moved, torch_answer(hello, losses)["losses"]), 1e-12)


class PlantedBugs(unittest.TestCase):
    """Each graph bug of net.py shows in the tensors below the layer it breaks, and nowhere else."""

    WHERE = {"batchnorm-no-mean-terms": {"batch-norm-channels": {"conv2d1.weight", "input_gradient"},
                                         "batch-norm-features": {"dense1.weight", "dense1.bias", "input_gradient"}},
             "embedding-assign": {"embedding": {"embed.weight"}, "gru-tokens": {"embedding1.weight"}}}

    def test_each_bug_is_where_it_was_planted(self):
        for bug, where in self.WHERE.items():
            for name, hello, evaluate, losses, answer, _ in layer_fixtures():
                with self.subTest(bug=bug, fixture=name):
                    got, _ = numpy_answers(hello, evaluate, losses, bug=bug)
                    wrong = {part for part, e in errors(got, answer).items() if e > 1e-6}
                    self.assertEqual(wrong, where.get(name, set()))


if __name__ == "__main__":
    unittest.main()
