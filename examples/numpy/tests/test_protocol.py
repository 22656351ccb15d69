"""net.py as a child process: protocol 2, protocol 1 unchanged, and the refusal a protocol 1 child gives."""
import unittest

from tests.common import errors, fixture, numpy_child


class Protocol2(unittest.TestCase):
    def test_a_conv_conversation(self):
        ex = fixture("conv2d-stride-padding")["exchanges"]
        child = numpy_child()
        self.assertEqual(child.ask(ex[0]["request"]),
                         {"ok": True, "implementation": "numpy-net", "dtype": "float64", "protocol": 2})
        got = child.ask(ex[1]["request"])
        self.assertEqual(set(got), {"ok", "loss", "gradient", "input_gradient"})
        self.assertEqual(list(got["gradient"]), ["conv1.weight", "conv1.bias", "dense1.weight", "dense1.bias"])
        for part, e in errors(got, ex[1]["answer"]).items():
            self.assertLessEqual(e, 1e-12, part)
        only_loss = child.ask(dict(ex[1]["request"], want=["loss"]))
        self.assertEqual(only_loss, {"ok": True, "loss": got["loss"]})
        moved = child.ask(ex[2]["request"])["losses"]
        self.assertEqual(len(moved), len(ex[2]["request"]["perturbations"]))
        self.assertEqual(child.bye(), 0)

    def test_refusals_name_the_problem_and_the_child_carries_on(self):
        ex = fixture("gru-tokens")["exchanges"]
        hello, evaluate = ex[0]["request"], ex[1]["request"]
        child = numpy_child()
        bad_layer = {**hello, "network": {**hello["network"], "layers": [
            dict(hello["network"]["layers"][0], type="spline")] + hello["network"]["layers"][1:]}}
        self.assertEqual(child.ask(bad_layer), {"ok": False, "protocol": 2,
                                                "error": "ValueError: layer type spline is not supported by net.py"})
        self.assertEqual(child.ask(evaluate)["error"], "ValueError: evaluate before a hello this child accepted")
        self.assertTrue(child.ask(hello)["ok"])
        self.assertEqual(child.ask(dict(evaluate, want=["loss", "input_gradient"])),
                         {"ok": False, "error": "ValueError: input_gradient is not defined for token ids"})
        wrong = dict(evaluate, params=dict(evaluate["params"], **{"gru1.bias_hh": [0.0]}))
        self.assertEqual(child.ask(wrong)["error"], "ValueError: params gru1.bias_hh has shape [1], expected [12]")
        outside = dict(evaluate, x=[[0, 1, 2, 5]] + evaluate["x"][1:])
        self.assertEqual(child.ask(outside)["error"], "ValueError: x holds token ids outside [0, 5)")
        self.assertEqual(child.ask({**hello, "protocol": 3}),
                         {"ok": False, "error": "ValueError: protocol 3 is not supported (this child speaks protocols 1 and 2)"})
        self.assertTrue(child.ask(hello)["ok"])
        self.assertTrue(child.ask(evaluate)["ok"])
        self.assertEqual(child.bye(), 0)


class Protocol1(unittest.TestCase):
    def test_a_protocol_1_child_refuses_protocol_2_with_the_fixture_text_then_serves_protocol_1(self):
        n = fixture("negotiation")
        for flags in (["--protocol", "1"], []):   # a v1-only child, and net.py speaking both
            with self.subTest(flags=flags):
                child = numpy_child(*flags)
                v2_hello, v1_hello, v1_evaluate = (e["request"] for e in n["dense_chain"])
                if flags:
                    self.assertEqual(child.ask(v2_hello), n["dense_chain"][0]["answer"])
                    self.assertEqual(child.ask(n["graph"][0]["request"]), n["graph"][0]["answer"])
                self.assertEqual(child.ask(v1_hello), n["dense_chain"][1]["answer"])
                got = child.ask(v1_evaluate)
                self.assertEqual(list(got["gradient"]), ["W1", "b1", "W2", "b2"])
                for part, e in errors(got, n["dense_chain"][2]["answer"]).items():
                    self.assertLessEqual(e, 1e-12, part)
                self.assertEqual(child.bye(), 0)

    def test_protocol_1_refusal_texts_are_unchanged(self):
        child = numpy_child()
        v1_hello = fixture("negotiation")["dense_chain"][1]["request"]
        custom = {**v1_hello, "network": {**v1_hello["network"], "layers": [
            dict(v1_hello["network"]["layers"][0], activation="custom", value="x / (1 + abs(x))")]
            + v1_hello["network"]["layers"][1:]}}
        self.assertEqual(child.ask(custom), {"ok": False, "error": "ValueError: activation custom is not supported by net.py"})
        self.assertTrue(child.ask(v1_hello)["ok"])
        self.assertEqual(child.ask({"op": "evaluate", "params": {"W1": [[0.5, -0.25]]}, "x": [[1.0, 0.0, 0.0]],
                                    "y": [[1.0, 0.0]]}),
                         {"ok": False, "error": "ValueError: params W1 has shape [1, 2], expected [4, 3]"})
        self.assertEqual(child.bye(), 0)


if __name__ == "__main__":
    unittest.main()
