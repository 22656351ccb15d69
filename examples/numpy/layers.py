"""The layer types of a gradproof graph in numpy: forward, and a hand-written backward beside it.

Every layer keeps what its backward pass needs on itself during forward (one evaluation at a time).
Tensors have the batch first, in PyTorch's layouts: [N, F], [N, C, L], [N, C, H, W], [N, T, F]; token
ids [N, T]. Parameters come in a dict by their name within the layer ("weight", "bias_ih", ...), in
PyTorch's shapes; backward returns their gradients in a dict of the same names, and one gradient per
input (None for token ids). Formulas and conventions: docs/LAYERS.md.
"""
import itertools
import math

import numpy as np


def sigmoid(z):
    return 1 / (1 + np.exp(-z))


def softmax(z, axis=-1):
    e = np.exp(z - z.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


class Activation:
    """f after a layer, and the backward pass through it; softmax runs over the last axis."""

    def __init__(self, spec, bug):
        self.name = spec["name"] if spec else "identity"
        self.slope, self.alpha = (spec or {}).get("slope", 0.01), (spec or {}).get("alpha", 1.0)
        self.bug = bug
        if self.name not in ("identity", "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "softmax"):
            raise ValueError(f"activation {self.name} is not supported by net.py")

    def forward(self, z):
        n = self.name
        if n == "identity":
            return z
        if n == "sigmoid":
            return sigmoid(z)
        if n == "tanh":
            return np.tanh(z)
        if n == "relu":
            return np.maximum(z, 0)
        if n == "leaky_relu":
            return np.where(z > 0, z, self.slope * z)
        if n == "elu":
            return np.where(z > 0, z, self.alpha * np.expm1(np.minimum(z, 0)))
        if n == "softplus":
            return np.logaddexp(0, z)
        return softmax(z)

    def backward(self, z, a, g):
        """dL/dz from dL/da = g. At the kinks: relu'(0) = 0, leaky_relu'(0) = slope, elu'(0) = alpha."""
        n = self.name
        if n == "identity":
            return g
        if n == "sigmoid":
            return g * a * (1 - a)
        if n == "tanh":
            if self.bug == "tanh-tan":
                return g * (1 - np.tanh(z) * np.tan(z))
            return g * (1 - a ** 2)
        if n == "relu":
            return g * (z > 0)
        if n == "leaky_relu":
            return g * np.where(z > 0, 1, self.slope).astype(z.dtype)
        if n == "elu":
            return g * np.where(z > 0, 1, self.alpha * np.exp(np.minimum(z, 0))).astype(z.dtype)
        if n == "softplus":
            return g * sigmoid(z)
        return a * (g - (a * g).sum(axis=-1, keepdims=True))  # softmax's Jacobian, applied


def window(offset_y, offset_x, stride, out_h, out_w):
    """The input entries that one kernel offset meets at every output position (a strided view)."""
    return (slice(None), slice(None), slice(offset_y, offset_y + stride[0] * (out_h - 1) + 1, stride[0]),
            slice(offset_x, offset_x + stride[1] * (out_w - 1) + 1, stride[1]))


def spatial(values, height):
    """A per-axis option as (height, width): a conv1d is a conv2d of height 1 (kernel 1, stride 1, padding 0)."""
    return (height, values[0]) if len(values) == 1 else tuple(values)


class Layer:
    """A parameter-free layer unless it says otherwise; `out_kind` is what its output's axes mean."""

    def __init__(self, spec, bug):
        self.spec, self.bug, self.name = spec, bug, spec["name"]
        self.out_kind = spec["output"]["kind"]


class Dense(Layer):
    def forward(self, P, xs):
        self.x = xs[0]
        y = self.x @ P["weight"].T
        return y + P["bias"] if "bias" in P else y

    def backward(self, P, g, grads):
        units = g.shape[-1]
        g2, x2 = g.reshape(-1, units), self.x.reshape(-1, self.x.shape[-1])   # every example (and step) a row
        grads["weight"] = g2.T @ x2
        if "bias" in P:
            grads["bias"] = g[0].reshape(-1, units).sum(axis=0) if self.bug == "bias-first-example" else g2.sum(axis=0)
        return [g @ P["weight"]]


class Conv(Layer):
    """conv1d and conv2d: PyTorch's cross-correlation, one strided view of the padded input per kernel offset."""

    def forward(self, P, xs):
        s = self.spec
        self.one_d = s["type"] == "conv1d"
        x = xs[0][:, :, None, :] if self.one_d else xs[0]
        self.k, self.st = spatial(s["kernel"], 1), spatial(s["stride"], 1)
        self.pad, self.dil = spatial(s["padding"], 0), spatial(s["dilation"], 1)
        self.in_shape = x.shape
        (ph, pw), (dh, dw) = self.pad, self.dil
        self.xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
        self.oh = (x.shape[2] + 2 * ph - dh * (self.k[0] - 1) - 1) // self.st[0] + 1
        self.ow = (x.shape[3] + 2 * pw - dw * (self.k[1] - 1) - 1) // self.st[1] + 1
        W = self.kernel(P)
        y = np.zeros((x.shape[0], W.shape[0], self.oh, self.ow), dtype=x.dtype)
        for ky, kx in self.offsets():
            y += np.einsum("oc,nchw->nohw", W[:, :, ky, kx], self.xp[self.view(ky, kx)])
        if "bias" in P:
            y += P["bias"][None, :, None, None]
        return y[:, :, 0, :] if self.one_d else y

    def kernel(self, P):
        return P["weight"][:, :, None, :] if self.one_d else P["weight"]

    def offsets(self):
        return itertools.product(range(self.k[0]), range(self.k[1]))

    def view(self, ky, kx):
        return window(ky * self.dil[0], kx * self.dil[1], self.st, self.oh, self.ow)

    def backward(self, P, g, grads):
        g = g[:, :, None, :] if self.one_d else g
        W = self.kernel(P)
        gW, gxp = np.zeros_like(W), np.zeros_like(self.xp)
        for ky, kx in self.offsets():
            v = self.view(ky, kx)
            gW[:, :, ky, kx] = np.einsum("nohw,nchw->oc", g, self.xp[v])
            gxp[v] += np.einsum("nohw,oc->nchw", g, W[:, :, ky, kx])
        grads["weight"] = gW[:, :, 0, :] if self.one_d else gW
        if "bias" in P:
            grads["bias"] = g.sum(axis=(0, 2, 3))
        (ph, pw), (h, w) = self.pad, self.in_shape[2:]
        gx = gxp[:, :, ph:ph + h, pw:pw + w]
        return [gx[:, :, 0, :] if self.one_d else gx]


class Pool(Layer):
    """max_pool2d (padding is -inf; a tie goes to the first maximum in row-major window order, as PyTorch's
    CPU kernel) and avg_pool2d (padding counts as zeros; the divisor is always kh*kw)."""

    def forward(self, P, xs):
        x, s = xs[0], self.spec
        self.k, self.st, (ph, pw) = s["kernel"], s["stride"], s["padding"]
        self.max, self.in_shape, self.pad = s["type"] == "max_pool2d", x.shape, (ph, pw)
        fill = -np.inf if self.max else 0
        self.xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
        self.oh = (x.shape[2] + 2 * ph - self.k[0]) // self.st[0] + 1
        self.ow = (x.shape[3] + 2 * pw - self.k[1]) // self.st[1] + 1
        self.views = [window(ky, kx, self.st, self.oh, self.ow) for ky, kx in itertools.product(*map(range, self.k))]
        if not self.max:
            return sum(self.xp[v] for v in self.views) / (self.k[0] * self.k[1])
        best = self.xp[self.views[0]].copy()
        self.arg = np.zeros(best.shape, dtype=int)      # which window offset holds the maximum
        for i, v in enumerate(self.views[1:], start=1):
            better = self.xp[v] > best            # strictly greater: the first maximum stays
            best, self.arg = np.where(better, self.xp[v], best), np.where(better, i, self.arg)
        return best

    def backward(self, P, g, grads):
        gxp = np.zeros(self.xp.shape, dtype=g.dtype)
        for i, v in enumerate(self.views):
            gxp[v] += np.where(self.arg == i, g, 0) if self.max else g / (self.k[0] * self.k[1])
        (ph, pw), (h, w) = self.pad, self.in_shape[2:]
        return [gxp[:, :, ph:ph + h, pw:pw + w]]


class GlobalAvgPool(Layer):
    def forward(self, P, xs):
        self.in_shape = xs[0].shape
        return xs[0].reshape(xs[0].shape[0], xs[0].shape[1], -1).mean(axis=2)

    def backward(self, P, g, grads):
        size = math.prod(self.in_shape[2:])
        return [np.broadcast_to((g / size).reshape(g.shape + (1,) * (len(self.in_shape) - 2)), self.in_shape).copy()]


class Flatten(Layer):
    def forward(self, P, xs):
        self.in_shape = xs[0].shape
        return xs[0].reshape(xs[0].shape[0], -1)

    def backward(self, P, g, grads):
        return [g.reshape(self.in_shape)]


class Normalization(Layer):
    """batch_norm (per channel, over the batch and every position) and layer_norm (per example and leading
    position, over the trailing normalized_shape): the biased variance, y = weight * (x - mean) / sqrt(var + eps) + bias."""

    def forward(self, P, xs):
        x = xs[0]
        if self.spec["type"] == "batch_norm":
            self.axes = (0,) + tuple(range(2, x.ndim))
            self.shape = (1, x.shape[1]) + (1,) * (x.ndim - 2)       # weight and bias broadcast per channel
        else:
            self.axes = tuple(range(x.ndim - len(self.spec["normalized_shape"]), x.ndim))
            self.shape = tuple(self.spec["normalized_shape"])
        self.m = math.prod(x.shape[a] for a in self.axes)
        centred = x - x.mean(axis=self.axes, keepdims=True)
        self.r = 1 / np.sqrt((centred ** 2).mean(axis=self.axes, keepdims=True) + self.spec["eps"])
        self.xhat = centred * self.r
        if "weight" not in P:
            return self.xhat
        return P["weight"].reshape(self.shape) * self.xhat + P["bias"].reshape(self.shape)

    def backward(self, P, g, grads):
        others = self.axes if self.spec["type"] == "batch_norm" else tuple(range(g.ndim - len(self.shape)))
        if "weight" in P:
            grads["weight"] = (g * self.xhat).sum(axis=others)
            grads["bias"] = g.sum(axis=others)
            g = g * P["weight"].reshape(self.shape)
        if self.bug == "batchnorm-no-mean-terms" and self.spec["type"] == "batch_norm":
            return [g * self.r]             # the classic wrong backward pass: as if mean and variance were constants
        s1, s2 = g.sum(axis=self.axes, keepdims=True), (g * self.xhat).sum(axis=self.axes, keepdims=True)
        return [self.r / self.m * (self.m * g - s1 - self.xhat * s2)]


class Dropout(Layer):
    """The mask travels with each request (multipliers 0 or 1/(1 - p)), so the layer is a fixed product."""

    mask = None   # set by the graph before each forward pass: [N, ...] like the input

    def forward(self, P, xs):
        return xs[0] * self.mask

    def backward(self, P, g, grads):
        return [g * self.mask]


class Embedding(Layer):
    def forward(self, P, xs):
        self.ids = xs[0]
        return P["weight"][self.ids]

    def backward(self, P, g, grads):
        grads["weight"] = np.zeros_like(P["weight"])
        if self.bug == "embedding-assign":
            grads["weight"][self.ids] = g             # the classic bug: a repeated id keeps one gradient
        else:
            np.add.at(grads["weight"], self.ids, g)   # a repeated id accumulates every use
        return [None]


class PositionEmbedding(Layer):
    def forward(self, P, xs):
        return xs[0] + P["weight"]

    def backward(self, P, g, grads):
        grads["weight"] = g.sum(axis=0)
        return [g]


class Recurrent(Layer):
    """rnn (tanh), lstm (gates i, f, g, o) and gru (r, z, n) from a zero state; backpropagation through time."""

    def forward(self, P, xs):
        x, self.kind = xs[0], self.spec["type"]
        n, steps, hidden = x.shape[0], x.shape[1], self.spec["hidden"]
        self.x = x
        zeros = np.zeros(P["weight_ih"].shape[0], dtype=x.dtype)
        self.b_ih, self.b_hh = P.get("bias_ih", zeros), P.get("bias_hh", zeros)
        from_x = x @ P["weight_ih"].T + self.b_ih                         # every step's input part at once
        h, c = np.zeros((n, hidden), dtype=x.dtype), np.zeros((n, hidden), dtype=x.dtype)
        self.h, self.saved = [h], []
        for t in range(steps):
            h, c, saved = self.step(from_x[:, t], h @ P["weight_hh"].T + self.b_hh, h, c)
            self.h.append(h)
            self.saved.append(saved)
        out = np.stack(self.h[1:], axis=1)
        return out if self.spec["return"] == "sequence" else out[:, -1]

    def step(self, from_x, from_h, h, c):
        if self.kind == "rnn":
            h = np.tanh(from_x + from_h)
            return h, c, h
        if self.kind == "lstm":
            i, f, g, o = np.split(from_x + from_h, 4, axis=1)
            i, f, g, o = sigmoid(i), sigmoid(f), np.tanh(g), sigmoid(o)
            c_new = f * c + i * g
            tc = np.tanh(c_new)
            return o * tc, c_new, (i, f, g, o, c, tc)
        xr, xz, xn = np.split(from_x, 3, axis=1)
        hr, hz, hn = np.split(from_h, 3, axis=1)
        r, z = sigmoid(xr + hr), sigmoid(xz + hz)
        n = np.tanh(xn + r * hn)                  # the reset gate scales the whole recurrent part, bias included
        return (1 - z) * n + z * h, c, (r, z, n, hn, h)

    def step_back(self, saved, dh, dc):
        """Gradients of the step's input part, of its recurrent part, and dL/dh, dL/dc carried directly."""
        if self.kind == "rnn":
            da = dh * (1 - saved ** 2)
            return da, da, 0, dc
        if self.kind == "lstm":
            i, f, g, o, c, tc = saved
            dc = dc + dh * o * (1 - tc ** 2)
            da = np.concatenate([dc * g * i * (1 - i), dc * c * f * (1 - f), dc * i * (1 - g ** 2),
                                 dh * tc * o * (1 - o)], axis=1)
            return da, da, 0, dc * f
        r, z, n, hn, h = saved
        dan = dh * (1 - z) * (1 - n ** 2)
        dar, daz = dan * hn * r * (1 - r), dh * (h - n) * z * (1 - z)
        return (np.concatenate([dar, daz, dan], axis=1), np.concatenate([dar, daz, dan * r], axis=1), dh * z, dc)

    def backward(self, P, g, grads):
        steps = self.x.shape[1]
        sequence = self.spec["return"] == "sequence"
        gi, gh = np.zeros_like(P["weight_ih"]), np.zeros_like(P["weight_hh"])
        gbi, gbh = np.zeros_like(self.b_ih), np.zeros_like(self.b_hh)
        dx = np.zeros_like(self.x)
        dh, dc = np.zeros_like(self.h[0]), np.zeros_like(self.h[0])
        for t in reversed(range(steps)):
            dh = dh + (g[:, t] if sequence else (g if t == steps - 1 else 0))
            d_from_x, d_from_h, dh_direct, dc = self.step_back(self.saved[t], dh, dc)
            gi += d_from_x.T @ self.x[:, t]
            gh += d_from_h.T @ self.h[t]
            gbi, gbh = gbi + d_from_x.sum(axis=0), gbh + d_from_h.sum(axis=0)
            dx[:, t] = d_from_x @ P["weight_ih"]
            dh = d_from_h @ P["weight_hh"] + dh_direct
        grads["weight_ih"], grads["weight_hh"] = gi, gh
        if "bias_ih" in P:
            grads["bias_ih"], grads["bias_hh"] = gbi, gbh
        return [dx]


class Attention(Layer):
    """Multi-head self-attention, PyTorch's MultiheadAttention with query = key = value = x."""

    def forward(self, P, xs):
        x = self.x = xs[0]
        n, steps, dim = x.shape
        self.heads = self.spec["heads"]
        self.scale = 1 / math.sqrt(dim // self.heads)
        qkv = x @ P["in_proj_weight"].T + (P["in_proj_bias"] if "in_proj_bias" in P else 0)
        self.q, self.k, self.v = (self.split(t) for t in np.split(qkv, 3, axis=-1))
        scores = self.q @ self.k.transpose(0, 1, 3, 2) * self.scale
        if self.spec["causal"]:
            scores = np.where(np.triu(np.ones((steps, steps), dtype=bool), 1), -np.inf, scores)
        self.p = softmax(scores)
        self.o = self.join(self.p @ self.v)
        y = self.o @ P["out_proj.weight"].T
        return y + P["out_proj.bias"] if "out_proj.bias" in P else y

    def split(self, t):
        """[N, T, D] -> [N, heads, T, D/heads]."""
        return t.reshape(t.shape[0], t.shape[1], self.heads, -1).transpose(0, 2, 1, 3)

    def join(self, t):
        return t.transpose(0, 2, 1, 3).reshape(t.shape[0], t.shape[2], -1)

    def backward(self, P, g, grads):
        dim = g.shape[-1]
        grads["out_proj.weight"] = g.reshape(-1, dim).T @ self.o.reshape(-1, dim)
        go = self.split(g @ P["out_proj.weight"])
        gp = go @ self.v.transpose(0, 1, 3, 2)
        gv = self.p.transpose(0, 1, 3, 2) @ go
        gs = self.p * (gp - (gp * self.p).sum(axis=-1, keepdims=True)) * self.scale
        gq, gk = gs @ self.k, gs.transpose(0, 1, 3, 2) @ self.q
        gqkv = np.concatenate([self.join(gq), self.join(gk), self.join(gv)], axis=-1)
        grads["in_proj_weight"] = gqkv.reshape(-1, 3 * dim).T @ self.x.reshape(-1, dim)
        if "in_proj_bias" in P:
            grads["in_proj_bias"] = gqkv.reshape(-1, 3 * dim).sum(axis=0)
            grads["out_proj.bias"] = g.reshape(-1, dim).sum(axis=0)
        return [gqkv @ P["in_proj_weight"]]


class Add(Layer):
    def forward(self, P, xs):
        self.count = len(xs)
        return sum(xs[1:], xs[0])

    def backward(self, P, g, grads):
        return [g] * self.count


class Concat(Layer):
    """Along the channels of [N, C, ...], else along the last axis (features, a sequence's features)."""

    def forward(self, P, xs):
        self.axis = 1 if self.out_kind == "channels" else -1
        self.sizes = [x.shape[self.axis] for x in xs]
        return np.concatenate(xs, axis=self.axis)

    def backward(self, P, g, grads):
        return np.split(g, np.cumsum(self.sizes)[:-1], axis=self.axis)


TYPES = {"dense": Dense, "conv1d": Conv, "conv2d": Conv, "max_pool2d": Pool, "avg_pool2d": Pool,
         "global_avg_pool": GlobalAvgPool, "flatten": Flatten, "batch_norm": Normalization,
         "layer_norm": Normalization, "dropout": Dropout, "embedding": Embedding,
         "position_embedding": PositionEmbedding, "rnn": Recurrent, "lstm": Recurrent, "gru": Recurrent,
         "attention": Attention, "add": Add, "concat": Concat}
