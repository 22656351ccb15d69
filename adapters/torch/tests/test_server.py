"""The adapter as gradproof runs it, and its batched losses."""
import copy
import unittest

from tests.common import Child, errors, fixture, layer_fixture_names, spec_session


class Conversation(unittest.TestCase):
    def test_it_answers_what_the_fixtures_say(self):
        child = Child()
        for name in ("conv2d-stride-padding", "lstm-last", "dropout"):
            ex = fixture(name)["exchanges"]
            self.assertEqual(child.ask(ex[0]["request"]), ex[0]["answer"])
            for part, e in errors(child.ask(ex[1]["request"]), ex[1]["answer"]).items():
                self.assertEqual(e, 0.0, f"{name}: {part}")      # the same code on the same machine
            self.assertEqual(child.ask(ex[2]["request"]), ex[2]["answer"])
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
        self.assertEqual(child.ask(evaluate), ex[1]["answer"])
        self.assertEqual(child.bye(), 0)


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
