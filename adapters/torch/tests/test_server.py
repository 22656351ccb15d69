"""The adapter as gradproof runs it, and its batched losses."""
import copy
import unittest

from tests.common import Child, errors, fixture, layer_fixture_names, normwise, spec_session

# The fixtures' answers were recorded by this adapter on one machine. On another CPU, torch's kernels
# (convolution above all) may sum in another order (AVX2 against AVX-512 paths), so an answer agrees
# with its fixture to rounding, not bit for bit: seen 2.0e-15 normwise on a conv2d weight gradient.
# 2^-53 times 2^8 covers a reordered sum of up to 256 terms, the longest in these fixtures (a conv
# weight gradient sums batch x output positions); a wrong formula is off by far more.
REORDERED = 2.0 ** -53 * 256


class Conversation(unittest.TestCase):
    def test_it_answers_what_the_fixtures_say(self):
        child = Child()
        for name in ("conv2d-stride-padding", "lstm-last", "dropout"):
            ex = fixture(name)["exchanges"]
            self.assertEqual(child.ask(ex[0]["request"]), ex[0]["answer"])
            self.assertAgrees(child.ask(ex[1]["request"]), ex[1]["answer"], name)
            got, answer = child.ask(ex[2]["request"]), ex[2]["answer"]
            self.assertTrue(got.get("ok"), f"{name}: {got}")
            self.assertEqual(len(got["losses"]), len(answer["losses"]), name)
            for k, (a, b) in enumerate(zip(got["losses"], answer["losses"])):
                self.assertLessEqual(normwise([a], [b]), REORDERED, f"{name}: losses[{k}]")
        self.assertEqual(child.bye(), 0)

    def test_refusals_and_carrying_on(self):
        ex = fixture("embedding")["exchanges"]
        hello, evaluate = ex[0]["request"], ex[1]["request"]
        child = Child()
        self.assertEqual(child.ask({"op": "hello", "protocol": 1, "network": {}}),
                         {"ok": False, "error": "ValueError: protocol 1 is not supported (gradproof-torch speaks protocol 2)"})
        odd = {**hello, "network": {**hello["network"], "layers": [dict(hello["network"]["layers"][0], type="spline")]
                                    + hello["network"]["layers"][1:]}}
        self.assertEqual(child.ask(odd), {"ok": False, "protocol": 2,
                                          "error": "ValueError: layer type spline is not supported by gradproof-torch"})
        self.assertTrue(child.ask(hello)["ok"])
        self.assertEqual(child.ask(dict(evaluate, want=["loss", "input_gradient"]))["error"],
                         "ValueError: input_gradient is not defined for token ids")
        self.assertEqual(child.ask(dict(evaluate, params=dict(evaluate["params"], extra=[1.0])))["error"],
                         "ValueError: params has extra, which the network does not have")
        self.assertEqual(child.ask(dict(evaluate, params=dict(evaluate["params"], **{"pos.weight": [[1.0]]})))["error"],
                         "ValueError: params pos.weight has shape [1, 1], expected [5, 3]")
        bad = dict(ex[2]["request"], perturbations=[{"param": "embed.weight", "index": [6, 0], "delta": 0.1}])
        self.assertEqual(child.ask(bad)["error"], "ValueError: perturbation 0: embed.weight[6, 0] is not an entry of the network")
        self.assertAgrees(child.ask(evaluate), ex[1]["answer"], "embedding")
        self.assertEqual(child.bye(), 0)

    def assertAgrees(self, got, answer, name):
        self.assertTrue(got.get("ok"), f"{name}: {got}")
        self.assertEqual(sorted(got.get("gradient", {})), sorted(answer.get("gradient", {})), name)
        for part, e in errors(got, answer).items():
            self.assertLessEqual(e, REORDERED, f"{name}: {part}")


class BatchedLosses(unittest.TestCase):
    def test_each_loss_is_the_loss_at_the_moved_point_bit_for_bit(self):
        """Sharing the layers a perturbation does not reach changes no bit of the answer."""
        for name in layer_fixture_names():
            with self.subTest(name):
                ex = fixture(name)["exchanges"]
                network, request = ex[0]["request"]["network"], ex[2]["request"]
                session = spec_session(network)
                batched = session.losses(request["params"], request["x"], request["y"], request["perturbations"],
                                         request["masks"])["losses"]
                for k, p in enumerate(request["perturbations"]):
                    moved = copy.deepcopy(request["params"])
                    cell = moved[p["param"]]
                    for i in p["index"][:-1]:
                        cell = cell[i]
                    cell[p["index"][-1]] += p["delta"]
                    alone = session.evaluate(moved, request["x"], request["y"], ["loss"], request["masks"])["loss"]
                    self.assertEqual(batched[k], alone, f"{name}: perturbation {k} ({p['param']}{p['index']})")


if __name__ == "__main__":
    unittest.main()
