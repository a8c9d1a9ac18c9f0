"""Seeded random models trained against PyTorch (issue 12).

A seed draws a valid PyTorch model from every construct the importer
supports (docs/Import.md): convolutions (stride, padding incl. 'same',
groups, bias; depthwise, pointwise), linear layers, every activation
(ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, ReLU6, Hardswish, Hardsigmoid),
max, average and adaptive average pooling (any output size, `ceil_mode`,
`count_include_pad=False`), InstanceNorm2d with and without affine
parameters, dilated convolutions, scalar arithmetic (`x * c`, `x + c`,
`x - c`), dropout, residual adds, the flatten forms; with
MSE or cross-entropy, SGD with momentum and weight decay, and sparse
updates (a random subset of the layers trainable). Shapes and layer orders
are random, with a bias towards the orders a hand-picked corpus misses:
a convolution directly followed by a pooling, a pooling followed by a norm.
The constructs of issue 17 (the activations after Softmax, dilation,
`ceil_mode`, `count_include_pad=False`, non-affine norms, adaptive pooling
to sizes that do not divide the map, scalar arithmetic, dropout) are drawn
by a second generator of the same seed over the model the first one drew,
so the models of the seeds drawn before them keep their layer order.

The model is written as a standalone model file (`model()`, `INPUT_SHAPE`,
`LOSS`, `LR`, ..., see docs/Run.md), so a failure is a file a human can read
and re-run with `pulptrain-run` or `train_check --model-file`. The file also
holds the model's description (`RANDOM_MODEL`), from which the minimizer
derives smaller models.

Each model is checked on the host (pulptrain.train_check: losses, every
updated parameter and momentum buffer against PyTorch) and on the simulated
cluster with `pulptrain-run --dump-params` on 1 and 8 cores (losses and the
trained parameters after the last step against PyTorch, and the final
parameters' hashes of 1 and 8 cores, which are reported when they differ).

  python3 -m pulptrain.random_models generate --seed N [--dtype f32] [-o F]
  python3 -m pulptrain.random_models check --seed N [--seed M ...]
      [--dtype f32|f16|bf16|mixed] [--steps 3] [--cores 1,8] [--keep DIR]
  python3 -m pulptrain.random_models check-file FILE.py [--dtype f32 ...]
  python3 -m pulptrain.random_models bench --seeds A:B [-j 2] --out DIR
  python3 -m pulptrain.random_models minimize FILE.py --out DIR

`check` prints one line per model and check ("PASS seed 7 f32 host ...")
and ends with "N passed, M failed" (exit 1 on failure), plus ", K
ill-conditioned" for checks that failed as PyTorch's own training fails
("ILL-CONDITIONED ...", counted apart, no failure). `bench` checks a
range of seeds in parallel, minimizes every failure (delta debugging:
dropping layers, shrinking shapes and options while the same check still
fails) and writes the minimized model files to DIR with a summary. A
failure that PyTorch's own f32 (or bf16) training shares, no further from
the reference than PyTorch's own run, is reported as ill-conditioned
(cancellation, not a compiler bug) and not minimized.
"""

import argparse
import concurrent.futures
import contextlib
import io
import json
import os
import pprint
import random
import shutil
import subprocess
import sys
import tempfile
import time
import warnings

ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh", "softmax")

# The largest drawn shapes: every model compiles and simulates in seconds
# and fits the default memories (1 MiB L2, 128 KiB L1) with room to spare.
MAX_CHANNELS = 12
MAX_SIDE = 12
MAX_PARAMS = 12000

DTYPES = ("f32", "f16", "bf16")


class InvalidModel(Exception):
    """A description whose shapes do not fit together."""


#===----------------------------------------------------------------------===#
# Shapes
#===----------------------------------------------------------------------===#

def conv_out(size, k, s, p):
    return (size + 2 * p - k) // s + 1


def pool_out(size, k, s, p, ceil):
    """PyTorch's pooling output size: with `ceil`, a last partial window
    counts when it starts inside the input or its left padding."""
    if not ceil:
        return conv_out(size, k, s, p)
    out = -(-(size + 2 * p - k) // s) + 1
    if (out - 1) * s >= size + p:
        out -= 1
    return out


def layer_shape(layer, shape):
    """The output shape of `layer` on an input of (unbatched) `shape`, and
    its parameter count; raises InvalidModel."""
    kind = layer["kind"]
    image = len(shape) == 3
    if kind in ("conv", "pool", "gap", "norm", "flatten") and not image:
        raise InvalidModel(f"{kind} needs a feature map, got {shape}")
    if kind == "linear" and image:
        raise InvalidModel("linear needs a vector")
    if kind == "conv":
        c, h, w = shape
        k, s = layer["k"], layer["stride"]
        d = layer.get("dilation", 1)
        if d > 1 and layer["pad"] == "same":
            raise InvalidModel("dilation with padding 'same'")
        groups = c if layer["groups"] == "dw" else layer["groups"]
        out = c * layer["out"] if layer["groups"] == "dw" else layer["out"]
        if c % groups or out % groups:
            raise InvalidModel(f"groups {groups} do not divide {c}->{out}")
        if layer["pad"] == "same":
            if s != 1:
                raise InvalidModel("padding 'same' needs stride 1")
            oh, ow = h, w
        else:
            p = layer["pad"]
            if 2 * p > k:
                raise InvalidModel("padding beyond half the kernel")
            span = d * (k - 1) + 1
            oh, ow = conv_out(h, span, s, p), conv_out(w, span, s, p)
        span = d * (k - 1) + 1
        if oh < 1 or ow < 1 or span > h + 2 * (k if layer["pad"] == "same"
                                                else layer["pad"]):
            raise InvalidModel(f"kernel {k} does not fit {h}x{w}")
        params = out * (c // groups) * k * k + (out if layer["bias"] else 0)
        return (out, oh, ow), params
    if kind == "pool":
        c, h, w = shape
        k, s, p = layer["k"], layer["stride"], layer["pad"]
        if 2 * p > k:
            raise InvalidModel("pool padding beyond half the kernel")
        if layer.get("exclude_pad") and (layer["op"] != "avg" or not p):
            raise InvalidModel("count_include_pad=False without padding")
        if k > h + 2 * p or k > w + 2 * p:
            raise InvalidModel(f"pool {k} does not fit {h}x{w}")
        oh, ow = (pool_out(h, k, s, p, layer.get("ceil", False)),
                  pool_out(w, k, s, p, layer.get("ceil", False)))
        if oh < 1 or ow < 1:
            raise InvalidModel(f"pool {k} does not fit {h}x{w}")
        return (c, oh, ow), 0
    if kind == "gap":
        c, h, w = shape
        o = layer["out"]
        if o > h or o > w or not layer.get("any") and (h % o or w % o):
            raise InvalidModel(f"adaptive pool {h}x{w} -> {o}")
        return (c, o, o), 0
    if kind == "norm":
        c, h, w = shape
        if h * w < 4:
            raise InvalidModel("instance norm over fewer than 4 elements")
        return shape, 2 * c if layer.get("affine", True) else 0
    if kind == "flatten":
        return (shape[0] * shape[1] * shape[2],), 0
    if kind == "linear":
        n = shape[0]
        return (layer["out"],), layer["out"] * n + (layer["out"]
                                                    if layer["bias"] else 0)
    if kind in ("act", "scalar", "dropout"):
        return shape, 0
    if kind == "res":
        inner, params = shape, 0
        for sub in layer["body"]:
            inner, p = layer_shape(sub, inner)
            params += p
        if inner != shape:
            raise InvalidModel(f"residual body maps {shape} to {inner}")
        if not any(sub["kind"] in ("conv", "linear") for sub in layer["body"]):
            raise InvalidModel("residual body without a layer")
        return shape, params
    raise InvalidModel(f"unknown layer kind {kind}")


def _flat(layers):
    """The layers in execution order, a residual block as ("res", body
    start) and ("end", block) markers around its body."""
    seq = []
    for layer in layers:
        if layer["kind"] == "res":
            seq.append(("res", layer))
            seq += _flat(layer["body"])
            seq.append(("end", layer))
        else:
            seq.append(("layer", layer))
    return seq


def _keeps_channel_constant(layer):
    """Whether a value constant over each channel's map stays constant over
    each (output) channel's map through `layer`."""
    kind = layer["kind"]
    if kind == "pool":
        return layer["op"] == "max" or layer["pad"] == 0
    if kind == "conv":
        return layer["pad"] == 0 or layer["k"] == 1
    return kind in ("gap", "scalar")


def _zero_gradients(layers):
    """The layers with a parameter whose gradient is zero up to rounding,
    which makes its relative error meaningless: a convolution bias or a
    norm (its beta, and gamma for a norm after a norm) whose constant per
    channel reaches an instance norm, which subtracts the channel mean,
    through layers that keep it constant per channel (unpadded convolutions
    and poolings, the skip add at the end of a residual block)."""
    seq = _flat(layers)
    found = []
    for i, (tag, layer) in enumerate(seq):
        if tag != "layer":
            continue
        shifts = layer["kind"] == "conv" and layer["bias"] or \
            layer["kind"] == "norm" and layer.get("affine", True)
        if not shifts:
            continue
        for ntag, nxt in seq[i + 1:]:
            if ntag == "res":       # a constant entering a block: mixed
                break
            if ntag == "end":       # leaving a block through its add
                continue
            if nxt["kind"] == "norm":
                found.append(layer)
                break
            if not _keeps_channel_constant(nxt):
                break
    return found


def _norms_before_global_average(layers, shape):
    """Whether an instance norm feeds an average over its whole map: the
    normalized map sums to zero, so gamma's gradient is zero up to
    rounding."""
    for i, layer in enumerate(layers):
        out, _ = layer_shape(layer, shape)
        if layer["kind"] == "res" and _norms_before_global_average(
                layer["body"], shape):
            return True
        if layer["kind"] == "norm" and layer.get("affine", True) and \
                i + 1 < len(layers):
            nxt = layers[i + 1]
            pooled, _ = layer_shape(nxt, out)
            if (nxt["kind"] == "gap" or nxt["kind"] == "pool" and
                    nxt["op"] == "avg") and pooled[1:] == (1, 1):
                return True
        shape = out
    return False


def model_shapes(desc):
    """The output shape and parameter count of the model; InvalidModel."""
    shape, params = tuple(desc["input"]), 0
    if not desc["layers"]:
        raise InvalidModel("no layers")
    for layer in desc["layers"]:
        shape, p = layer_shape(layer, shape)
        params += p
    if params == 0:
        raise InvalidModel("no parameters")
    if all(layer.get("frozen") for layer in _param_layers(desc["layers"])):
        raise InvalidModel("no trainable layer")
    if _zero_gradients(desc["layers"]):
        raise InvalidModel("a bias or norm whose gradient is zero")
    if _norms_before_global_average(desc["layers"], tuple(desc["input"])):
        raise InvalidModel("a norm right before a global average")
    if params > MAX_PARAMS:
        raise InvalidModel(f"{params} parameters")
    if desc["loss"] == "cross_entropy" and len(shape) != 1:
        raise InvalidModel("cross-entropy needs a vector output")
    if desc["loss"] == "cross_entropy" and shape[0] < 2:
        raise InvalidModel("cross-entropy needs two classes")
    return shape, params


#===----------------------------------------------------------------------===#
# Drawing a model
#===----------------------------------------------------------------------===#

def _divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]


def _draw_conv(rng, shape, keep_shape=False):
    c, h, w = shape
    if keep_shape:
        k = rng.choice([1, 3, 3, 5] if min(h, w) >= 3 else [1])
        groups = rng.choice([1, "dw"])
        return {"kind": "conv", "out": 1 if groups == "dw" else c, "k": k,
                "stride": 1, "pad": k // 2, "groups": groups,
                "bias": rng.random() < 0.5}
    style = rng.choices(["plain", "depthwise", "pointwise", "grouped"],
                        [5, 2, 2, 1])[0]
    ks = [k for k in (1, 2, 3, 5) if k <= min(h, w) + 2]
    k = 1 if style == "pointwise" else rng.choice([k for k in ks if k > 1]
                                                  or [1])
    stride = rng.choices([1, 2, 3], [6, 3, 1])[0]
    if rng.random() < 0.15 and stride == 1:
        pad = "same"
    else:
        pad = rng.randint(0, k // 2)
    bias = rng.random() < 0.6
    if style == "depthwise":
        return {"kind": "conv", "out": rng.choice([1, 1, 2]), "k": k,
                "stride": stride, "pad": pad, "groups": "dw", "bias": bias}
    out = rng.randint(2, MAX_CHANNELS)
    groups = 1
    if style == "grouped":
        common = [g for g in _divisors(c) if g > 1 and out % g == 0]
        if not common:
            out = c * rng.randint(1, max(1, MAX_CHANNELS // c))
            common = [g for g in _divisors(c) if g > 1] or [1]
        groups = rng.choice(common)
    return {"kind": "conv", "out": out, "k": k, "stride": stride, "pad": pad,
            "groups": groups, "bias": bias}


def _draw_act(rng):
    fn = rng.choice(ACTIVATIONS)
    act = {"kind": "act", "fn": fn, "form": rng.choice(["module",
                                                        "function"])}
    if fn == "leaky_relu":
        act["slope"] = rng.choice([0.01, 0.1, 0.2])
    return act


def _draw_pool(rng, shape):
    c, h, w = shape
    op = rng.choice(["max", "avg"])
    k = rng.choice([k for k in (2, 2, 3) if k <= min(h, w)] or [1])
    stride = rng.choice([1, 2, 2, k, 3] if k > 1 else [1])
    pad = rng.randint(0, k // 2) if rng.random() < 0.4 else 0
    return {"kind": "pool", "op": op, "k": k, "stride": stride, "pad": pad,
            "form": rng.choice(["module", "function"])}


def _draw_norm(rng):
    return {"kind": "norm", "eps": rng.choice([1e-5, 1e-3])}


def _draw_residual(rng, shape):
    body = []
    n = rng.randint(1, 3)
    for i in range(n):
        kind = rng.choice(["layer", "layer", "act", "norm"]) if i else "layer"
        if kind == "layer":
            if len(shape) == 3:
                body.append(_draw_conv(rng, shape, keep_shape=True))
            else:
                body.append({"kind": "linear", "out": shape[0],
                             "bias": rng.random() < 0.5})
        elif kind == "act":
            body.append(_draw_act(rng))
        elif len(shape) == 3 and shape[1] * shape[2] >= 4:
            body.append(_draw_norm(rng))
    return {"kind": "res", "body": body}


def _try_append(layers, layer, shape, params):
    """Appends `layer` when it fits `shape` and the parameter budget;
    returns the new (shape, params) or None."""
    try:
        out, p = layer_shape(layer, shape)
    except InvalidModel:
        return None
    if params + p > MAX_PARAMS:
        return None
    layers.append(layer)
    return out, params + p


def _draw_features(rng, layers, shape, params):
    """Feature-map layers: a random order, with conv -> pool and
    pool -> norm pairs drawn on purpose."""
    for _ in range(rng.randint(1, 5)):
        kinds = ["conv", "conv", "act", "pool", "norm", "res",
                 "conv_pool", "pool_norm"]
        kind = rng.choice(kinds)
        if kind == "conv_pool":
            todo = [_draw_conv(rng, shape), None]
        elif kind == "pool_norm":
            todo = [_draw_pool(rng, shape), _draw_norm(rng)]
        elif kind == "conv":
            todo = [_draw_conv(rng, shape)]
        elif kind == "act":
            todo = [_draw_act(rng)]
        elif kind == "pool":
            todo = [_draw_pool(rng, shape)]
        elif kind == "norm":
            todo = [_draw_norm(rng)]
        else:
            todo = [_draw_residual(rng, shape)]
        for layer in todo:
            if layer is None:   # the pool right after a drawn conv
                layer = _draw_pool(rng, shape)
            got = _try_append(layers, layer, shape, params)
            if got is None:
                break
            shape, params = got
    return shape, params


def draw(seed, dtype="f32"):
    """The description of the random model of `seed` (a JSON-able dict);
    every drawn description is valid (model_shapes accepts it)."""
    rng = random.Random(seed)
    for _ in range(100):
        desc = _draw_once(rng, dtype)
        try:
            model_shapes(desc)
        except InvalidModel:
            continue
        desc = _draw_extensions(random.Random(f"extensions {seed}"), desc)
        desc["seed"] = seed
        return desc
    raise InvalidModel(f"no valid model drawn for seed {seed}")


def _draw_once(rng, dtype):
    layers = []
    params = 0
    if rng.random() < 0.85:
        c = rng.randint(1, 4)
        h = rng.randint(4, MAX_SIDE)
        w = h if rng.random() < 0.7 else rng.randint(4, MAX_SIDE)
        shape = inp = (c, h, w)
        got = _try_append(layers, _draw_conv(rng, shape), shape, params)
        shape, params = _draw_features(rng, layers, *(got or (shape,
                                                               params)))
        if rng.random() < 0.2:
            o = rng.choice([d for d in _divisors(shape[1])
                            if shape[2] % d == 0 and d <= 2])
            gap = {"kind": "gap", "out": o,
                   "form": rng.choice(["module", "function"])}
            shape, params = _try_append(layers, gap, shape, params) or \
                (shape, params)
        # Large maps are pooled before the head to keep it small.
        while shape[0] * shape[1] * shape[2] > 300:
            pool = {"kind": "pool", "op": "avg", "k": 2, "stride": 2,
                    "pad": 0, "form": "module"}
            got = _try_append(layers, pool, shape, params)
            if got is None:
                break
            shape, params = got
        if rng.random() < 0.85:
            layers.append({"kind": "flatten",
                           "form": rng.choice(["module", "torch", "method",
                                               "view"])})
            shape = (shape[0] * shape[1] * shape[2],)
    else:
        shape = inp = (rng.randint(4, 32),)
    if len(shape) == 1:
        for _ in range(rng.randint(0, 2)):
            kind = rng.choice(["linear", "act", "res"])
            if kind == "linear":
                new = {"kind": "linear", "out": rng.randint(2, 24),
                       "bias": rng.random() < 0.7}
            elif kind == "act":
                new = _draw_act(rng)
            else:
                new = _draw_residual(rng, shape)
            shape, params = _try_append(layers, new, shape, params) or \
                (shape, params)
        head = {"kind": "linear", "out": rng.randint(2, 10),
                "bias": rng.random() < 0.7}
        shape, params = _try_append(layers, head, shape, params) or \
            (shape, params)
        if rng.random() < 0.15:
            layers.append({"kind": "act", "fn": "softmax",
                           "form": rng.choice(["module", "function"])})
    vector = len(shape) == 1
    loss = "cross_entropy" if vector and rng.random() < 0.5 else "mse"
    label = "onehot" if loss == "cross_entropy" or (
        vector and rng.random() < 0.3) else "randn"
    for layer in _zero_gradients(layers):
        if layer["kind"] == "conv":
            layer["bias"] = False
    # Sparse update: some layers frozen, at least one trainable.
    if rng.random() < 0.25:
        for layer in _param_layers(layers):
            layer["frozen"] = rng.random() < 0.5
    return {
        "input": list(inp),
        "layers": layers,
        "loss": loss,
        "label": label,
        "lr": rng.choice([0.01, 0.02, 0.05, 0.1]),
        "momentum": rng.choice([0.0, 0.0, 0.5, 0.9]),
        "weight_decay": rng.choice([0.0, 0.0, 1e-4, 1e-3]),
        "dtype": dtype,
    }


EXTRA_ACTIVATIONS = ("relu6", "hardswish", "hardsigmoid")


def _extend_layer(rng, layer):
    """`layer` with one construct of issue 17 drawn on it, or None."""
    kind = layer["kind"]
    if kind == "act" and layer["fn"] != "softmax" and rng.random() < 0.35:
        new = dict(layer, fn=rng.choice(EXTRA_ACTIVATIONS))
        new.pop("slope", None)
        return new
    if kind == "conv" and layer["k"] > 1 and layer["pad"] != "same" and \
            rng.random() < 0.25:
        return dict(layer, dilation=2)
    if kind == "pool" and rng.random() < 0.35:
        new = dict(layer, ceil=rng.random() < 0.7)
        if layer["op"] == "avg" and layer["pad"] and rng.random() < 0.7:
            new["exclude_pad"] = True
        return new
    if kind == "norm" and rng.random() < 0.3:
        return dict(layer, affine=False)
    if kind == "gap" and rng.random() < 0.5:
        return dict(layer, out=rng.choice([2, 3]), any=True)
    return None


def _extension_layers(rng):
    """Layers of issue 17 that keep the shape: a scalar op or a dropout."""
    if rng.random() < 0.5:
        op = rng.choice(["mul", "add", "sub"])
        value = rng.choice([0.5, 0.75, 1.25] if op == "mul" else [0.25, 1.0])
        return [{"kind": "scalar", "op": op, "value": value,
                 "form": rng.choice(["operator", "reflected"])}]
    return [{"kind": "dropout", "p": rng.choice([0.1, 0.25, 0.5]),
             "form": rng.choice(["module", "function"])}]


def _extend_layers(rng, layers):
    out = []
    for i, layer in enumerate(layers):
        if layer["kind"] == "res":
            layer = dict(layer, body=_extend_layers(rng, layer["body"]))
        else:
            layer = _extend_layer(rng, layer) or layer
        out.append(layer)
        # Not after the last layer: the loss would read a scalar op's or a
        # dropout's output directly, which only moves the labels.
        if i + 1 < len(layers) and layer["kind"] in ("act", "conv") and \
                rng.random() < 0.2:
            out += _extension_layers(rng)
    return out


def _draw_extensions(rng, desc):
    """`desc` with the constructs of issue 17 drawn over it by `rng` (a
    generator of its own, so that the layer order the first generator drew
    stays); `desc` itself when no valid variant is drawn."""
    for _ in range(20):
        new = _copy(desc)
        new["layers"] = _extend_layers(rng, new["layers"])
        try:
            model_shapes(new)
        except InvalidModel:
            continue
        return new
    return desc


def _param_layers(layers):
    """The layers with parameters, residual bodies included, in order."""
    out = []
    for layer in layers:
        if layer["kind"] == "res":
            out += _param_layers(layer["body"])
        elif layer["kind"] in ("conv", "linear") or \
                layer["kind"] == "norm" and layer.get("affine", True):
            out.append(layer)
    return out


#===----------------------------------------------------------------------===#
# The model file
#===----------------------------------------------------------------------===#

_SHORT = {"conv": "conv", "linear": "fc", "norm": "norm", "pool": "pool",
          "gap": "gap", "act": "act", "flatten": "flatten",
          "scalar": "scalar", "dropout": "drop"}

_ACT_MODULE = {"relu": "nn.ReLU()", "sigmoid": "nn.Sigmoid()",
               "tanh": "nn.Tanh()", "softmax": "nn.Softmax(dim=1)",
               "relu6": "nn.ReLU6()", "hardswish": "nn.Hardswish()",
               "hardsigmoid": "nn.Hardsigmoid()"}
_ACT_FUNCTION = {"relu": "F.relu(x)", "sigmoid": "torch.sigmoid(x)",
                 "tanh": "torch.tanh(x)", "softmax": "F.softmax(x, dim=1)",
                 "relu6": "F.relu6(x)", "hardswish": "F.hardswish(x)",
                 "hardsigmoid": "F.hardsigmoid(x)"}


class _Renderer:
    """Writes the modules (__init__) and the forward lines of a model."""

    def __init__(self):
        self.init, self.forward, self.trainable = [], [], []
        self.frozen = False
        self.count = 0

    def name(self, layer):
        name = f"{_SHORT[layer['kind']]}{self.count}"
        self.count += 1
        return name

    def module(self, layer, text):
        name = self.name(layer)
        self.init.append(f"self.{name} = {text}")
        self.forward.append(f"x = self.{name}(x)")
        if layer["kind"] in ("conv", "linear") or \
                layer["kind"] == "norm" and layer.get("affine", True):
            if layer.get("frozen"):
                self.frozen = True
            else:
                self.trainable.append(name)

    def layers(self, layers, shape):
        for layer in layers:
            self.layer(layer, shape)
            shape, _ = layer_shape(layer, shape)

    def layer(self, layer, shape):
        kind = layer["kind"]
        if kind == "conv":
            c = shape[0]
            dw = layer["groups"] == "dw"
            groups = c if dw else layer["groups"]
            out = c * layer["out"] if dw else layer["out"]
            pad = layer["pad"]
            dilation = layer.get("dilation", 1)
            self.module(layer, f"nn.Conv2d({c}, {out}, {layer['k']}, "
                               f"stride={layer['stride']}, "
                               f"padding={pad!r}, groups={groups}, "
                               + (f"dilation={dilation}, " if dilation > 1
                                  else "")
                               + f"bias={layer['bias']})")
        elif kind == "linear":
            self.module(layer, f"nn.Linear({shape[0]}, {layer['out']}, "
                               f"bias={layer['bias']})")
        elif kind == "norm":
            self.module(layer, f"nn.InstanceNorm2d({shape[0]}, "
                               f"affine={layer.get('affine', True)}, "
                               f"eps={layer['eps']!r})")
        elif kind == "act":
            fn = layer["fn"]
            if layer["form"] == "module":
                text = (f"nn.LeakyReLU({layer['slope']!r})"
                        if fn == "leaky_relu" else _ACT_MODULE[fn])
                self.module(layer, text)
            else:
                self.name(layer)
                self.forward.append(
                    f"x = F.leaky_relu(x, {layer['slope']!r})"
                    if fn == "leaky_relu" else f"x = {_ACT_FUNCTION[fn]}")
        elif kind == "pool":
            geo = f"{layer['k']}, stride={layer['stride']}, " \
                  f"padding={layer['pad']}"
            if layer.get("ceil"):
                geo += ", ceil_mode=True"
            if layer.get("exclude_pad"):
                geo += ", count_include_pad=False"
            op = layer["op"]
            if layer["form"] == "module":
                cls = "MaxPool2d" if op == "max" else "AvgPool2d"
                self.module(layer, f"nn.{cls}({geo})")
            else:
                self.name(layer)
                self.forward.append(f"x = F.{op}_pool2d(x, {geo})")
        elif kind == "gap":
            if layer["form"] == "module":
                self.module(layer, f"nn.AdaptiveAvgPool2d({layer['out']})")
            else:
                self.name(layer)
                self.forward.append(
                    f"x = F.adaptive_avg_pool2d(x, {layer['out']})")
        elif kind == "scalar":
            self.name(layer)
            op, c = {"mul": "*", "add": "+", "sub": "-"}[layer["op"]], \
                layer["value"]
            self.forward.append(
                f"x = {c!r} {op} x" if layer["form"] == "reflected" and
                op != "-" else f"x = x {op} {c!r}")
        elif kind == "dropout":
            if layer["form"] == "module":
                self.module(layer, f"nn.Dropout({layer['p']!r})")
            else:
                self.name(layer)
                self.forward.append(
                    f"x = F.dropout(x, {layer['p']!r}, self.training)")
        elif kind == "flatten":
            form = layer["form"]
            if form == "module":
                self.module(layer, "nn.Flatten()")
            else:
                self.name(layer)
                self.forward.append({
                    "torch": "x = torch.flatten(x, 1)",
                    "method": "x = x.flatten(1)",
                    "view": "x = x.view(x.size(0), -1)"}[form])
        elif kind == "res":
            skip = f"skip{self.count}"
            self.count += 1
            self.forward.append(f"{skip} = x")
            self.layers(layer["body"], shape)
            self.forward.append(f"x = x + {skip}")


def describe(desc):
    """A one-line summary of the model: its layers and training setup."""
    def one(layer):
        kind = layer["kind"]
        if kind == "conv":
            g = layer["groups"]
            text = (f"conv{'-dw' if g == 'dw' else ''}{layer['out']}"
                    f"{'' if g in ('dw', 1) else f'-g{g}'} k{layer['k']}"
                    f"s{layer['stride']}p{layer['pad']}"
                    + (f"d{layer['dilation']}" if layer.get("dilation", 1)
                       > 1 else "")
                    + f"{'b' if layer['bias'] else ''}")
        elif kind == "linear":
            text = f"linear{layer['out']}{'b' if layer['bias'] else ''}"
        elif kind == "pool":
            text = f"{layer['op']}pool k{layer['k']}s{layer['stride']}" \
                   f"p{layer['pad']}" + ("c" if layer.get("ceil") else "") \
                + ("x" if layer.get("exclude_pad") else "")
        elif kind == "act":
            text = layer["fn"]
        elif kind == "res":
            text = "res(" + " ".join(one(sub) for sub in layer["body"]) + ")"
        elif kind == "norm" and not layer.get("affine", True):
            text = "norm-noaffine"
        elif kind == "gap" and layer.get("any"):
            text = f"gap{layer['out']}"
        elif kind == "scalar":
            text = f"{layer['op']}{layer['value']:g}"
        elif kind == "dropout":
            text = f"dropout{layer['p']:g}"
        else:
            text = kind
        return text + ("*" if layer.get("frozen") else "")
    setup = f"{desc['loss']} lr {desc['lr']:g}"
    if desc["momentum"]:
        setup += f" momentum {desc['momentum']:g}"
    if desc["weight_decay"]:
        setup += f" wd {desc['weight_decay']:g}"
    return (f"{'x'.join(str(d) for d in desc['input'])}: "
            f"{' '.join(one(layer) for layer in desc['layers'])}; {setup}")


def render(desc):
    """The model file of `desc`: a standalone Python file."""
    model_shapes(desc)
    r = _Renderer()
    r.layers(desc["layers"], tuple(desc["input"]))
    lines = [
        '"""' + desc.get("origin", f"A random model of "
                                   f"pulptrain.random_models (seed "
                                   f"{desc.get('seed')})") +
        f", {desc['dtype']}:",
        f"{describe(desc)}",
        "",
        "Check it on the host and on the simulated cluster against PyTorch:",
        "  python3 -m pulptrain.random_models check-file THIS_FILE",
        "  python3 -m pulptrain.train_check --model-file THIS_FILE "
        f"--dtype {desc['dtype']} --steps 3",
        "  build/bin/pulptrain-run THIS_FILE --cores 8 --steps 3 "
        f"--dtype {desc['dtype']}",
        '"""',
        "import torch",
        "import torch.nn as nn",
        "import torch.nn.functional as F",
        "",
        f"INPUT_SHAPE = {tuple(desc['input'])!r}",
        f"LOSS = {desc['loss']!r}",
        f"LABEL = {desc['label']!r}",
        f"LR = {desc['lr']!r}",
        f"MOMENTUM = {desc['momentum']!r}",
        f"WEIGHT_DECAY = {desc['weight_decay']!r}",
    ]
    if r.frozen:
        lines.append(f"TRAINABLE = {r.trainable!r}")
    lines += [
        "# The description the model was rendered from (for the minimizer).",
        "RANDOM_MODEL = " + pprint.pformat(desc, width=72, sort_dicts=True)
        .replace("\n", "\n" + " " * 15),
        "",
        "",
        "class Model(nn.Module):",
        "    def __init__(self):",
        "        super().__init__()",
    ]
    lines += [f"        {line}" for line in r.init]
    lines += ["", "    def forward(self, x):"]
    lines += [f"        {line}" for line in r.forward]
    lines += ["        return x", "", "", "def model():",
              "    return Model()", ""]
    return "\n".join(lines)


def read_description(path):
    """The RANDOM_MODEL description of a model file written by render."""
    import ast
    with open(path) as f:
        tree = ast.parse(f.read(), path)
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(
                getattr(t, "id", None) == "RANDOM_MODEL"
                for t in node.targets):
            return ast.literal_eval(node.value)
    raise ValueError(f"{path} has no RANDOM_MODEL description")


#===----------------------------------------------------------------------===#
# Checking a model against PyTorch
#===----------------------------------------------------------------------===#

def _bin(name):
    return os.path.join(os.environ.get("PULPTRAIN_BIN_DIR", "build/bin"),
                        name)


class Result:
    """The outcome of one check of one model ("host", "sim1", "sim8")."""

    def __init__(self, stage, ok, text, errors=None, hashes=None):
        self.stage, self.ok, self.text = stage, ok, text
        # A failure PyTorch's own training in the element type shares.
        self.ill_conditioned = False
        self.errors = errors or {}
        self.hashes = hashes or {}


def check_host(path, dtype, steps):
    """train_check on the host: losses, parameters and momentum buffers of
    every step against PyTorch."""
    from pulptrain import train_check
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            spec = train_check.file_spec(path)
            report = train_check.run_check(spec.name, dtype, steps, 0,
                                           spec=spec, opt_level=0)
    except Exception as e:  # noqa: BLE001 - any failure is a finding
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        return Result("host", False, f"{type(e).__name__}: {first}")
    errs = report.max_err
    text = (f"{report.passed} passed, {report.failed} failed; max errors " +
            " ".join(f"{k} {v:.1e}" for k, v in sorted(errs.items())))
    result = Result("host", report.failed == 0, text, errs)
    if report.failed:
        bad = [line for line in out.getvalue().splitlines()
               if line.startswith("FAIL")]
        result.text += "; first failure: " + " ".join(
            bad[0].split()[1:])[:160]
        base = pytorch_errors(path, dtype, steps)
        tol = train_check.TOLERANCE[dtype]
        over = {k: v for k, v in (base or {}).items() if v > tol[k]}
        if over:
            # Only where each of our errors beyond its tolerance is no
            # larger than PyTorch's own.
            result.ill_conditioned = all(
                v <= (base or {}).get(k, 0.0)
                for k, v in errs.items() if v > tol.get(k, float("inf")))
            result.text += (f"; ill-conditioned: PyTorch's own {dtype} "
                            f"training errs as much (" + ", ".join(
                                f"{k} {v:.1e}" for k, v in
                                sorted(over.items())) + ")")
    return result


def pytorch_errors(path, dtype, steps):
    """The worst errors of PyTorch's own training in `dtype` (f32 or bf16;
    None for f16, which has no CPU convolution) against the float64
    reference, measured as train_check measures ours, with the forward
    pass: a model whose PyTorch run exceeds the tolerances is
    ill-conditioned (cancellation), not a compiler bug."""
    import torch
    from pulptrain import golden_train, importer, train_check
    compute = {"f32": torch.float32, "bf16": torch.bfloat16}.get(dtype)
    if compute is None:
        return None
    spec = train_check.file_spec(path)
    torch.manual_seed(0)
    model = spec.build()
    imported = importer.import_model(model, spec.input_shape, dtype,
                                     trainable=spec.trainable)
    data = golden_train.make_dataset(imported.input_shape,
                                     imported.output_shape, spec.label,
                                     steps, dtype, 0,
                                     batch=imported.batch)
    ref = golden_train.reference_run(model, imported.params, data,
                                     spec.loss, spec.lr, spec.momentum,
                                     spec.weight_decay, dtype)
    worst = train_check.torch_baseline(model, imported.params, data, ref,
                                       spec, dtype)
    ref_model = golden_train.reference_model(model, imported.params, dtype)
    with torch.no_grad():
        want = ref_model(data[0].x[None])[0]
        got = ref_model.to(compute)(data[0].x.to(compute)[None])[0]
    worst["forward"] = train_check.rel_err(got, want)
    return worst


def golden_files(path, dtype, steps, workdir):
    """Writes the forward model and the golden data (pulptrain.sim_golden)
    of the model file to `workdir`; returns their paths. Taking the golden
    data in-process saves pulptrain-run a PyTorch start per run."""
    from pulptrain import sim_golden
    args = argparse.Namespace(model=None, file=path, class_name=None,
                              model_fn=None, dtype=dtype, steps=steps,
                              seed=0, lr=None, loss=None, momentum=None,
                              weight_decay=None, trainable=None,
                              no_reference=False)
    doc = sim_golden.golden(args)
    mlir = os.path.join(workdir, "forward.mlir")
    with open(mlir, "w") as f:
        f.write(doc["mlir"])
    golden = os.path.join(workdir, "golden.json")
    with open(golden, "w") as f:
        json.dump(doc, f)
    return mlir, golden


def check_sim(mlir, golden, dtype, steps, cores, workdir, timeout=300):
    """pulptrain-run on `cores` simulated cores: losses and final
    parameters against PyTorch."""
    stage = f"sim{cores}"
    report = os.path.join(workdir, f"run{cores}.json")
    cmd = [_bin("pulptrain-run"), mlir, "--golden", golden, "--cores",
           str(cores), "--steps", str(steps), "--dtype", dtype, "--json",
           report, "--dump-params"]
    try:
        proc = subprocess.run(cmd, capture_output=True, text=True,
                              timeout=timeout)
    except subprocess.TimeoutExpired:
        return Result(stage, False, f"timeout after {timeout} s")
    lines = (proc.stdout + proc.stderr).splitlines()
    verdict = [line for line in lines if line.startswith("losses ")]

    def loss_errors(run):
        errs = {}
        for step in run.get("steps", []):
            ref, got = step.get("reference_loss"), step.get("loss")
            if ref is not None and got is not None:
                errs["loss"] = max(errs.get("loss", 0.0),
                                   abs(got - ref) / max(abs(ref), 1e-30))
        return errs

    if proc.returncode != 0 or not verdict:
        why = verdict or [line for line in lines if "error" in line] or \
            lines[-1:] or [f"exit status {proc.returncode}"]
        # Losses that differ: their errors, for the ill-conditioned check.
        errs = {}
        if verdict and os.path.exists(report):
            with open(report) as f:
                errs = loss_errors(json.load(f))
        return Result(stage, False, why[0][:200], errs)
    with open(report) as f:
        run = json.load(f)
    hashes = run.get("final_param_fnv1a", {})
    errs = loss_errors(run)
    # The trained parameters after the last step, max-norm relative error
    # against PyTorch's, within the tolerance train_check uses.
    with open(golden) as f:
        doc = json.load(f)
    want = doc.get("final_params", {})
    got = run.get("final_params", {})
    worst = None
    for name, values in want.items():
        if name not in got or len(got[name]) != len(values):
            return Result(stage, False, f"final parameter {name!r} missing "
                                        f"from the simulated run", errs, hashes)
        scale = max(max((abs(v) for v in values), default=0.0), 1e-30)
        err = max((abs(a - b) for a, b in zip(got[name], values)),
                  default=0.0) / scale
        errs["param"] = max(errs.get("param", 0.0), err)
        if worst is None or err > worst[1]:
            worst = (name, err)
    tol = doc.get("param_tolerance")
    if worst and tol is not None and worst[1] > tol:
        return Result(stage, False, f"final parameter {worst[0]!r} differs "
                                    f"from PyTorch: rel. error {worst[1]:.1e} "
                                    f"(tolerance {tol:g})", errs, hashes)
    text = verdict[0]
    if worst:
        text += f"; final parameters match PyTorch: max rel. error " \
                f"{worst[1]:.1e}"
    return Result(stage, True, text, errs, hashes)


def check_file(path, dtype, steps=3, cores=(1, 8), stages=None,
               workdir=None):
    """Checks the model file on the host and on each core count; returns
    [Result]. `stages` restricts the checks ("host", "sim1", ...)."""
    def want(stage):
        return stages is None or stage in stages

    results = []
    if want("host"):
        results.append(check_host(path, dtype, steps))
    sims = [c for c in cores if want(f"sim{c}")]
    if not sims:
        return results
    with tempfile.TemporaryDirectory(prefix="pulptrain-rand-") as tmp:
        work = workdir or tmp
        os.makedirs(work, exist_ok=True)
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                mlir, golden = golden_files(path, dtype, steps, work)
        except Exception as e:  # noqa: BLE001 - any failure is a finding
            return results + [Result(f"sim{c}", False,
                                     f"golden data: {type(e).__name__}: "
                                     f"{e}") for c in sims]
        for c in sims:
            results.append(check_sim(mlir, golden, dtype, steps, c, work))
    # A loss that PyTorch's own run cannot compute within the tolerance
    # either (cancellation) is no finding of the simulator.
    failed = [r for r in results if r.stage.startswith("sim") and not r.ok]
    if failed:
        from pulptrain import train_check
        base = pytorch_errors(path, dtype, steps) or {}
        tol = train_check.TOLERANCE[dtype]["loss"]
        if base.get("loss", 0.0) > tol:
            for r in failed:
                r.text += (f"; ill-conditioned: PyTorch's own {dtype} "
                           f"losses err by {base['loss']:.1e}")
                # Only a run no further from the reference than PyTorch's
                # own (a failure of another kind, a wrong parameter, stays
                # one).
                r.ill_conditioned = ("loss" in r.errors and
                                     r.errors["loss"] <= base["loss"] and
                                     all(v <= train_check.TOLERANCE[dtype][k]
                                         for k, v in r.errors.items()
                                         if k != "loss"))
    # Parallel kernels split only independent work: 1 and 8 cores compute
    # the same bits.
    done = [r for r in results if r.stage.startswith("sim") and r.ok]
    if len(done) > 1 and any(r.hashes != done[0].hashes for r in done[1:]):
        results.append(Result("cores", False, "final parameters differ "
                              "between " + " and ".join(
                                  r.stage for r in done)))
    return results


def dtype_of_seed(seed, mode):
    """The element type a seed is checked in: `mode`, or for "mixed" f32
    with every fifth seed f16 and every tenth bf16."""
    if mode != "mixed":
        return mode
    return {5: "f16", 0: "bf16"}.get(seed % 10, "f32") if seed % 5 == 0 \
        else "f32"


def check_seed(seed, dtype, steps, cores, keep=None, stages=None):
    """Draws, writes and checks the model of `seed`: (desc, path, results).
    The file stays in `keep` (a directory) when given."""
    desc = draw(seed, dtype)
    directory = keep or tempfile.mkdtemp(prefix="pulptrain-rand-")
    os.makedirs(directory, exist_ok=True)
    path = os.path.join(directory, f"seed{seed}_{dtype}.py")
    with open(path, "w") as f:
        f.write(render(desc))
    try:
        results = check_file(path, dtype, steps, cores, stages)
    finally:
        if keep is None:
            shutil.rmtree(directory, ignore_errors=True)
    return desc, path, results


def print_results(label, results):
    for r in results:
        status = ("PASS" if r.ok else
                  "ILL-CONDITIONED" if r.ill_conditioned else "FAIL")
        print(f"{status} {label} {r.stage}: {r.text}", flush=True)


#===----------------------------------------------------------------------===#
# Minimizing a failure
#===----------------------------------------------------------------------===#

def _copy(desc):
    return json.loads(json.dumps(desc))


def _smaller_layers(layers):
    """Variants of a layer list, each one step simpler: a layer dropped, a
    residual block unwrapped, a layer's option simplified or its size
    halved."""
    for i, layer in enumerate(layers):
        yield layers[:i] + layers[i + 1:]
        if layer["kind"] == "res":
            yield layers[:i] + layer["body"] + layers[i + 1:]
            for body in _smaller_layers(layer["body"]):
                yield layers[:i] + [dict(layer, body=body)] + layers[i + 1:]
    for i, layer in enumerate(layers):
        simpler = []
        if layer.get("frozen"):
            simpler.append({"frozen": False})
        if layer.get("bias"):
            simpler.append({"bias": False})
        if layer.get("form") not in (None, "module"):
            simpler.append({"form": "module"})
        if layer["kind"] == "conv":
            if layer["groups"] != 1:
                simpler.append({"groups": 1, "out": max(
                    2, layer["out"]) if layer["groups"] == "dw"
                    else layer["out"]})
            if layer["pad"] not in (0,):
                simpler.append({"pad": 0})
            if layer["stride"] > 1:
                simpler.append({"stride": 1})
            if layer["k"] > 1:
                simpler.append({"k": layer["k"] - 1})
        if layer["kind"] in ("conv", "linear") and layer["out"] > 1 and \
                layer.get("groups") != "dw":
            simpler.append({"out": layer["out"] // 2})
        if layer["kind"] == "pool" and layer["pad"]:
            simpler.append({"pad": 0, "exclude_pad": False})
        for option, plain in (("dilation", 1), ("ceil", False),
                              ("exclude_pad", False), ("affine", True),
                              ("any", False)):
            if option in layer and layer[option] != plain:
                simpler.append({option: plain})
        if layer["kind"] == "act" and layer["fn"] != "relu":
            simpler.append({"fn": "relu"})
        for change in simpler:
            new = dict(layer, **change)
            if new.get("fn") == "relu":
                new.pop("slope", None)
            yield layers[:i] + [new] + layers[i + 1:]


def smaller(desc):
    """Candidate simplifications of `desc` (not all of them valid)."""
    for layers in _smaller_layers(desc["layers"]):
        yield dict(_copy(desc), layers=_copy(layers))
    for i, d in enumerate(desc["input"]):
        for new in sorted({d // 2, d - 1}, reverse=True):
            if new >= 1 and new != d:
                inp = list(desc["input"])
                inp[i] = new
                yield dict(_copy(desc), input=inp)
    for key, value in (("momentum", 0.0), ("weight_decay", 0.0)):
        if desc[key] != value:
            yield dict(_copy(desc), **{key: value})
    if desc["loss"] != "mse":
        yield dict(_copy(desc), loss="mse", label="randn")


def minimize(desc, fails, log=None):
    """Greedy delta debugging: applies the first simplification under which
    `fails(desc)` still holds, until none does. Returns the smallest
    failing description."""
    current = desc
    progress = True
    while progress:
        progress = False
        for cand in smaller(current):
            try:
                model_shapes(cand)
            except InvalidModel:
                continue
            if fails(cand):
                current = cand
                progress = True
                if log:
                    log(f"  smaller: {describe(current)}")
                break
    return current


def minimize_file(path, out_dir, steps=3, cores=(1, 8), log=print):
    """Minimizes the failure of a model file of this module (its stages
    that fail) and writes the minimized file to `out_dir`; returns its path,
    or None when the file does not fail."""
    desc = read_description(path)
    dtype = desc["dtype"]
    results = check_file(path, dtype, steps, cores)
    failing = {r.stage for r in results if not r.ok}
    if not failing:
        return None
    # Candidates are checked in the cheapest failing stage only: the host
    # check takes a second, a simulation several. A difference between core
    # counts needs all of them.
    for cheap in ["host"] + [f"sim{c}" for c in cores]:
        if cheap in failing:
            failing = {cheap}
            break
    else:
        failing = {f"sim{c}" for c in cores}
    log(f"minimizing {os.path.basename(path)}: fails {sorted(failing)}: "
        f"{describe(desc)}")

    def fails(cand):
        with tempfile.TemporaryDirectory(prefix="pulptrain-min-") as tmp:
            cand_path = os.path.join(tmp, "model.py")
            with open(cand_path, "w") as f:
                f.write(render(cand))
            got = check_file(cand_path, dtype, steps, cores, failing)
        # An ill-conditioned candidate fails for another reason.
        return any(not r.ok and not r.ill_conditioned and
                   (r.stage in failing or r.stage == "cores") for r in got)

    small = minimize(desc, fails, log)
    os.makedirs(out_dir, exist_ok=True)
    base = os.path.splitext(os.path.basename(path))[0]
    out = os.path.join(out_dir, f"{base}_min.py")
    with open(out, "w") as f:
        f.write(render(small))
    log(f"minimized: {out}: {describe(small)}")
    return out


#===----------------------------------------------------------------------===#
# Command line
#===----------------------------------------------------------------------===#

def _seed_list(args):
    seeds = list(args.seed or [])
    if args.seeds:
        lo, _, hi = args.seeds.partition(":")
        seeds += list(range(int(lo), int(hi)))
    if not seeds:
        raise SystemExit("error: give --seed N or --seeds A:B")
    return seeds


def _bench_one(job):
    """One seed of the bench (in a worker process): check it and, when it
    fails, keep its file and minimize it. Returns a summary dict."""
    seed, dtype, steps, cores, out_dir, do_minimize = job
    start = time.time()
    log = io.StringIO()
    try:
        desc, _, results = check_seed(seed, dtype, steps, cores)
    except Exception as e:  # noqa: BLE001 - a generator bug
        return {"seed": seed, "dtype": dtype, "ok": False,
                "stages": ["generator"], "text": f"{type(e).__name__}: {e}",
                "seconds": time.time() - start}
    ok = all(r.ok for r in results)
    failures = [r for r in results if not r.ok]
    # Only the host run can tell: the simulator's failures of an
    # ill-conditioned model go with its host failure.
    ill = bool(failures) and any(r.ill_conditioned for r in failures)
    summary = {"seed": seed, "dtype": dtype, "ok": ok,
               "ill_conditioned": ill,
               "model": describe(desc),
               "stages": [r.stage for r in results if not r.ok],
               "text": "; ".join(f"{r.stage}: {r.text}" for r in results
                                 if not r.ok)}
    if not ok:
        fail_dir = os.path.join(out_dir, "failures")
        os.makedirs(fail_dir, exist_ok=True)
        path = os.path.join(fail_dir, f"seed{seed}_{dtype}.py")
        with open(path, "w") as f:
            f.write(render(desc))
        summary["file"] = path
        if do_minimize and not ill:
            try:
                summary["minimized"] = minimize_file(
                    path, os.path.join(out_dir, "minimized"), steps, cores,
                    lambda line: log.write(line + "\n"))
            except Exception as e:  # noqa: BLE001 - reported, not fatal
                log.write(f"minimization failed: {type(e).__name__}: {e}\n")
        summary["log"] = log.getvalue()
    summary["seconds"] = time.time() - start
    return summary


def bench(args, cores):
    seeds = _seed_list(args)
    os.makedirs(args.out, exist_ok=True)
    jobs = [(s, dtype_of_seed(s, args.dtype), args.steps, cores, args.out,
             not args.no_minimize) for s in seeds]
    deadline = time.time() + args.time_limit if args.time_limit else None
    done, failed = [], []
    with open(os.path.join(args.out, "results.jsonl"), "a") as log, \
            concurrent.futures.ProcessPoolExecutor(args.jobs) as pool:
        pending = set()
        queue = iter(jobs)
        while True:
            while len(pending) < 2 * args.jobs and (
                    deadline is None or time.time() < deadline):
                job = next(queue, None)
                if job is None:
                    break
                pending.add(pool.submit(_bench_one, job))
            if not pending:
                break
            finished, pending = concurrent.futures.wait(
                pending, return_when=concurrent.futures.FIRST_COMPLETED)
            for fut in finished:
                r = fut.result()
                done.append(r)
                log.write(json.dumps(r) + "\n")
                log.flush()
                status = "PASS" if r["ok"] else "FAIL"
                print(f"{status} seed {r['seed']} {r['dtype']} "
                      f"({r['seconds']:.1f} s) {r.get('model', '')}"
                      + ("" if r["ok"] else f"\n  {r['text']}\n"
                         f"{r.get('log', '')}"), flush=True)
                if not r["ok"]:
                    failed.append(r)
    by_dtype = {}
    for r in done:
        n, f = by_dtype.get(r["dtype"], (0, 0))
        by_dtype[r["dtype"]] = (n + 1, f + (not r["ok"]))
    ill = [r for r in failed if r.get("ill_conditioned")]
    print(f"{len(done)} models checked ("
          + ", ".join(f"{d}: {n} ({f} failed)" for d, (n, f)
                      in sorted(by_dtype.items())) + f"), {len(failed)} "
          f"failed, {len(ill)} of them ill-conditioned (PyTorch's own "
          f"training errs as much); steps {args.steps}, cores {args.cores}")
    for r in failed:
        print(f"  seed {r['seed']} {r['dtype']}: {r['stages']}"
              f"{' ill-conditioned' if r.get('ill_conditioned') else ''} "
              f"{r.get('minimized') or r.get('file', '')}")
    return 0 if len(failed) == len(ill) else 1


def main(argv=None):
    try:
        return _main(argv)
    except (InvalidModel, ValueError, SyntaxError, OSError) as e:
        # A file that is not one of ours, or a description that does not
        # fit: one line, no traceback.
        print(f"random_models: error: {e}", file=sys.stderr)
        return 1


def _main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p, seeds=True):
        if seeds:
            p.add_argument("--seed", type=int, action="append",
                           help="a seed (repeatable)")
            p.add_argument("--seeds", metavar="A:B",
                           help="the seeds A to B-1")
        p.add_argument("--steps", type=int, default=3)
        p.add_argument("--cores", default="1,8",
                       help="simulated core counts (default 1,8; '' for "
                            "the host only)")

    gen = sub.add_parser("generate", help="write the model of a seed")
    gen.add_argument("--seed", type=int, required=True)
    gen.add_argument("--dtype", choices=DTYPES, default="f32")
    gen.add_argument("-o", "--output", default="-")
    chk = sub.add_parser("check", help="check the models of seeds")
    common(chk)
    chk.add_argument("--dtype", choices=DTYPES + ("mixed",), default="f32")
    chk.add_argument("--keep", metavar="DIR",
                     help="keep the model files in DIR")
    chf = sub.add_parser("check-file", help="check model files of this "
                                            "module (e.g. regressions)")
    chf.add_argument("files", nargs="+")
    chf.add_argument("--dtype", choices=DTYPES, action="append",
                     help="element type (repeatable; default: the file's)")
    common(chf, seeds=False)
    ben = sub.add_parser("bench", help="check many seeds in parallel and "
                                       "minimize the failures")
    common(ben)
    ben.add_argument("--dtype", choices=DTYPES + ("mixed",),
                     default="mixed")
    ben.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ben.add_argument("--out", required=True, help="output directory")
    ben.add_argument("--time-limit", type=float, metavar="SECONDS",
                     help="start no new seed after this long")
    ben.add_argument("--no-minimize", action="store_true")
    mini = sub.add_parser("minimize", help="minimize a failing model file")
    mini.add_argument("file")
    mini.add_argument("--out", required=True, help="output directory")
    common(mini, seeds=False)
    args = parser.parse_args(argv)
    # PyTorch's note on padding='same' with even kernels is no finding.
    warnings.filterwarnings("ignore", message="Using padding='same'")
    if getattr(args, "steps", 1) < 1:
        parser.error("--steps must be at least 1")
    try:
        cores = tuple(int(c) for c in args.cores.split(",") if c) \
            if hasattr(args, "cores") else ()
    except ValueError:
        cores = (0,)
    if any(not 1 <= c <= 16 for c in cores):
        parser.error(f"--cores {args.cores!r}: core counts 1 to 16, "
                     f"separated by commas")

    if args.command == "generate":
        text = render(draw(args.seed, args.dtype))
        if args.output == "-":
            sys.stdout.write(text)
        else:
            with open(args.output, "w") as f:
                f.write(text)
        return 0
    if args.command == "bench":
        return bench(args, cores)
    if args.command == "minimize":
        out = minimize_file(args.file, args.out, args.steps, cores)
        if out is None:
            print(f"{args.file} does not fail")
        return 0
    passed = failed = ill = 0
    if args.command == "check":
        for seed in _seed_list(args):
            dtype = dtype_of_seed(seed, args.dtype)
            desc, path, results = check_seed(seed, dtype, args.steps, cores,
                                             args.keep)
            print(f"seed {seed} {dtype}: {describe(desc)}")
            print_results(f"seed {seed} {dtype}", results)
            passed += sum(r.ok for r in results)
            failed += sum(not r.ok and not r.ill_conditioned for r in results)
            ill += sum(not r.ok and r.ill_conditioned for r in results)
    else:
        for path in args.files:
            if not os.path.exists(path):
                print(f"random_models: error: no such file: {path}",
                      file=sys.stderr)
                return 1
            dtypes = args.dtype or [read_description(path)["dtype"]]
            for dtype in dtypes:
                results = check_file(path, dtype, args.steps, cores)
                print_results(f"{os.path.basename(path)} {dtype}", results)
                passed += sum(r.ok for r in results)
                failed += sum(not r.ok and not r.ill_conditioned
                              for r in results)
                ill += sum(not r.ok and r.ill_conditioned for r in results)
    # An ill-conditioned model (its losses as far from the reference in
    # PyTorch's own training in the element type) is counted apart, as the
    # bench counts it: no finding of the compiler.
    print(f"{passed} passed, {failed} failed" +
          (f", {ill} ill-conditioned" if ill else ""))
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
