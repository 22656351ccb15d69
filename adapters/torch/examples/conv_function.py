"""A hand-written conv2d as a torch.autograd.Function, with a planted bug, plugged into gradproof.

The forward pass sums, over the kernel offsets (ky, kx), the kernel entry times a strided view of the padded
input. The backward pass must take the same strided views. The bug: the weight gradient reads the views with
step 1 (copied from a stride-1 version), so with stride 2 it correlates the output gradient with the wrong
input entries. Forward, bias and input gradients stay right; only the weight gradient is wrong, and only
when stride > 1.

Two ways in (adapters/torch/README.md):

    gradproof-torch --module adapters/torch/examples/conv_function.py:buggy_net --map conv1=features.0 --map dense1=classifier.1
    gradproof-torch --layer conv1=adapters/torch/examples/conv_function.py:buggy_layer

and the same with fixed_net, fixed_layer.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Conv2dFunction(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x, weight, bias, stride, padding, bug):
        xp = F.pad(x, (padding, padding, padding, padding))
        kh, kw = weight.shape[2:]
        oh = (xp.shape[2] - kh) // stride + 1
        ow = (xp.shape[3] - kw) // stride + 1
        out = bias.reshape(1, -1, 1, 1).expand(x.shape[0], -1, oh, ow).clone()
        for ky in range(kh):
            for kx in range(kw):
                view = xp[:, :, ky:ky + stride * (oh - 1) + 1:stride, kx:kx + stride * (ow - 1) + 1:stride]
                out += torch.einsum("oc,nchw->nohw", weight[:, :, ky, kx], view)
        ctx.save_for_backward(xp, weight)
        ctx.stride, ctx.padding, ctx.bug, ctx.size = stride, padding, bug, (oh, ow)
        return out

    @staticmethod
    def backward(ctx, g):
        xp, weight = ctx.saved_tensors
        s, p, (oh, ow) = ctx.stride, ctx.padding, ctx.size
        kh, kw = weight.shape[2:]
        gw, gxp = torch.zeros_like(weight), torch.zeros_like(xp)
        for ky in range(kh):
            for kx in range(kw):
                strided = (slice(None), slice(None), slice(ky, ky + s * (oh - 1) + 1, s),
                           slice(kx, kx + s * (ow - 1) + 1, s))
                read = (slice(None), slice(None), slice(ky, ky + oh), slice(kx, kx + ow)) if ctx.bug else strided
                gw[:, :, ky, kx] = torch.einsum("nohw,nchw->oc", g, xp[read])       # the bug: `read`, not `strided`
                gxp[strided] += torch.einsum("nohw,oc->nchw", g, weight[:, :, ky, kx])
        gx = gxp[:, :, p:xp.shape[2] - p, p:xp.shape[3] - p]
        return gx, gw, g.sum(dim=(0, 2, 3)), None, None, None


class HandConv2d(nn.Module):
    """A square-kernel conv2d computed by Conv2dFunction; parameters named as nn.Conv2d's."""

    def __init__(self, in_channels, out_channels, kernel, stride=1, padding=0, bug=False):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(out_channels, in_channels, kernel, kernel))
        self.bias = nn.Parameter(torch.empty(out_channels))
        nn.init.normal_(self.weight, std=0.3)
        nn.init.zeros_(self.bias)
        self.stride, self.padding, self.bug = stride, padding, bug

    def forward(self, x):
        return Conv2dFunction.apply(x, self.weight, self.bias, self.stride, self.padding, self.bug)


def from_layer(layer, bug):
    """A HandConv2d for a protocol 2 conv2d layer (square kernel, one stride and padding, no dilation)."""
    k, s, p, d = layer["kernel"], layer["stride"], layer["padding"], layer["dilation"]
    if layer["type"] != "conv2d" or k[0] != k[1] or s[0] != s[1] or p[0] != p[1] or d != [1, 1] or not layer["bias"]:
        raise ValueError(f"HandConv2d computes a conv2d with a square kernel, one stride and padding, no dilation "
                         f"and a bias; {layer['name']} is {layer['type']} kernel {k} stride {s} padding {p} dilation {d}")
    in_channels = layer["parameters"][layer["name"] + ".weight"][1]
    return HandConv2d(in_channels, layer["out_channels"], k[0], s[0], p[0], bug)


def buggy_layer(layer):
    return from_layer(layer, bug=True)


def fixed_layer(layer):
    return from_layer(layer, bug=False)


class SmallConvNet(nn.Module):
    """Somebody's model: a HandConv2d and tanh, then flatten and a linear classifier. It knows nothing of gradproof;
    --map conv1=features.0 --map dense1=classifier.1 tells the adapter which of its parameters are the spec's."""

    def __init__(self, conv, flat_features, classes):
        super().__init__()
        self.features = nn.Sequential(conv, nn.Tanh())
        self.classifier = nn.Sequential(nn.Flatten(), nn.Linear(flat_features, classes))

    def forward(self, x):
        return self.classifier(self.features(x))


def net(network, bug):
    conv, dense = network["layers"][0], network["layers"][-1]
    return SmallConvNet(from_layer(conv, bug), dense["parameters"][dense["name"] + ".weight"][1], dense["units"])


def buggy_net(network):
    return net(network, bug=True)


def fixed_net(network):
    return net(network, bug=False)
