"""Golden-model tests of every pulptrain op against PyTorch.

Each case draws random inputs, rounds them to the element type, computes the
expected results with PyTorch in float64 (gradients with torch.autograd),
compiles a one-op MLIR function for the host with the reference lowering,
runs it and compares. The error of a result is max|got - want| / max|want|
(the max-norm relative error); a case passes when every result is within
the tolerance of its element type (TOLERANCE, documented in
docs/ReferenceLowering.md).

  /usr/bin/python3 -m pulptrain.golden_ops --group conv [--dtype f16] [--table]

prints one line per case and ends with "N passed, M failed".
"""

import argparse
import sys

import torch
import torch.nn.functional as F

from pulptrain import dropout, host, sim

# Max-norm relative tolerance per element type. f32 computes in f32 (vs the
# float64 reference); f16/bf16 compute in f32 and round each result once,
# and ops that take a rounded forward output (sigmoid/tanh/softmax grads)
# see that rounding amplified by the derivative.
TOLERANCE = {"f32": 1e-5, "f16": 5e-3, "bf16": 4e-2}
DTYPES = host.DTYPES


def rounded(t, dtype):
    """`t` rounded to `dtype`, as float64."""
    return t.to(host.TORCH_DTYPE[dtype]).to(torch.float64)


def tensor_type(shape, dtype):
    dims = "".join(f"{d}x" for d in shape)
    return f"tensor<{dims}{dtype}>"


class Case:
    """One function: `body` uses %arg0.. and defines the SSA values named in
    `results`; `expected` holds the float64 results."""

    def __init__(self, name, dtype, args, body, results, expected,
                 arg_dtypes=None, result_dtypes=None):
        self.name = name.replace("-", "_").replace(".", "_")
        self.dtype = dtype
        self.arg_dtypes = arg_dtypes or [dtype] * len(args)
        self.result_dtypes = result_dtypes or [dtype] * len(results)
        # Inputs are rounded to their element type once, here, so that the
        # compiled op and the reference see the same values.
        self.args = [rounded(a, d) for a, d in zip(args, self.arg_dtypes)]
        self.body = body
        self.results = results
        self.expected = [e.detach().to(torch.float64) for e in expected]

    def mlir(self):
        params = ", ".join(
            f"%arg{i}: {tensor_type(a.shape, d)}"
            for i, (a, d) in enumerate(zip(self.args, self.arg_dtypes)))
        rtypes = [tensor_type(e.shape, d)
                  for e, d in zip(self.expected, self.result_dtypes)]
        return (f"func.func @{self.name}({params}) -> ({', '.join(rtypes)}) {{\n"
                f"{self.body}\n"
                f"  return {', '.join(self.results)} : {', '.join(rtypes)}\n}}\n")

    def call(self):
        """The (name, inputs, results) of a host.call_typed/sim call."""
        return (self.name, list(zip(self.args, self.arg_dtypes)),
                [(e.shape, d) for e, d in
                 zip(self.expected, self.result_dtypes)])

    def run(self, lib):
        return self.errors(host.call_typed(lib, *self.call()))

    def errors(self, outs):
        errors = []
        for got, want in zip(outs, self.expected):
            scale = max(want.abs().max().item(), 1e-30) if want.numel() else 1
            errors.append((got - want).abs().max().item() / scale)
        return errors

    def tolerance(self):
        return max(TOLERANCE[d] for d in self.result_dtypes)


def rnd(*shape, scale=1.0, gen=None):
    return torch.randn(*shape, dtype=torch.float64, generator=gen) * scale


def grads(fn, *inputs, dtype):
    """Forward value and gradients of fn(*inputs) for a random output
    gradient (rounded to `dtype`), via torch.autograd."""
    leaves = [i.detach().clone().requires_grad_(True) for i in inputs]
    out = fn(*leaves)
    dy = rounded(torch.randn(out.shape, dtype=torch.float64), dtype)
    out.backward(dy)
    return out.detach(), dy, [l.grad for l in leaves]


#===----------------------------------------------------------------------===#
# Case groups
#===----------------------------------------------------------------------===#

def linear_cases(dtype):
    cases = []
    for bias in (True, False):
        x, w, b = rnd(37), rnd(13, 37, scale=0.3), rnd(13)
        inputs = (x, w, b) if bias else (x, w)
        fn = (lambda x, w, b: F.linear(x, w, b)) if bias else \
             (lambda x, w: F.linear(x, w))
        y, dy, g = grads(fn, *[rounded(i, dtype) for i in inputs], dtype=dtype)
        sfx = "bias" if bias else "nobias"
        ops = "%arg0, %arg1, %arg2" if bias else "%arg0, %arg1"
        tys = ", ".join(tensor_type(i.shape, dtype) for i in inputs)
        cases.append(Case(f"linear_fwd_{sfx}_{dtype}", dtype, list(inputs),
                          f"  %r = pulptrain.linear {ops} : ({tys}) -> "
                          f"{tensor_type(y.shape, dtype)}", ["%r"], [y]))
        if bias:
            cases.append(Case(
                f"linear_wgt_grad_{dtype}", dtype, [x, dy],
                f"  %r = pulptrain.linear_wgt_grad %arg0, %arg1 : "
                f"({tensor_type(x.shape, dtype)}, {tensor_type(dy.shape, dtype)})"
                f" -> {tensor_type(w.shape, dtype)}", ["%r"], [g[1]]))
            cases.append(Case(
                f"linear_in_grad_{dtype}", dtype, [dy, w],
                f"  %r = pulptrain.linear_in_grad %arg0, %arg1 : "
                f"({tensor_type(dy.shape, dtype)}, {tensor_type(w.shape, dtype)})"
                f" -> {tensor_type(x.shape, dtype)}", ["%r"], [g[0]]))
            cases.append(Case(
                f"linear_bias_grad_{dtype}", dtype, [dy],
                f"  %r = pulptrain.bias_grad %arg0 : "
                f"({tensor_type(dy.shape, dtype)}) -> "
                f"{tensor_type(b.shape, dtype)}", ["%r"], [g[2]]))
    # Even sizes: in f16 and bf16 the input gradient takes two outputs
    # (weight columns) and two rows at a time, the rows' words regrouped
    # into pairs along the reduction (pulptrain-vectorize-pairs, cv.pack
    # and cv.pack.h); the odd sizes above stay scalar.
    x, w = rnd(64), rnd(16, 64, scale=0.3)
    _, dy, g = grads(lambda x, w: F.linear(x, w), rounded(x, dtype),
                     rounded(w, dtype), dtype=dtype)
    cases.append(Case(
        f"linear_in_grad_even_{dtype}", dtype, [dy, w],
        f"  %r = pulptrain.linear_in_grad %arg0, %arg1 : "
        f"({tensor_type(dy.shape, dtype)}, {tensor_type(w.shape, dtype)})"
        f" -> {tensor_type(x.shape, dtype)}", ["%r"], [g[0]]))
    # The weight gradient fused into its SGD update
    # (pulptrain-fuse-weight-update), even sizes: in f16 each pair of the
    # rounded products dy[i] * x[j] is one vfmul.h whose lanes feed the
    # update (pulptrain-vectorize-pairs). A large lr makes a gradient in
    # the wrong lane show.
    lr = 0.5
    dy8 = rounded(rnd(8), dtype)
    w8 = rounded(rnd(8, 64, scale=0.3), dtype)
    grad = rounded(torch.outer(dy8, rounded(x, dtype)), dtype)
    wt = tensor_type(w8.shape, dtype)
    cases.append(Case(
        f"linear_wgt_grad_sgd_{dtype}", dtype, [x, dy8, w8],
        f"  %g = pulptrain.linear_wgt_grad %arg0, %arg1 : "
        f"({tensor_type(x.shape, dtype)}, {tensor_type(dy8.shape, dtype)})"
        f" -> {wt}\n"
        f"  %r = pulptrain.sgd_update %arg2, %g {{lr = {lr!r} : f64}} : "
        f"({wt}, {wt}) -> {wt}", ["%r"], [w8 - lr * grad]))
    return cases


# (name, Cin, Cout, H, W, Kh, Kw, stride, padding [t, b, l, r], groups,
#  bias, layout)
CONV_CONFIGS = [
    ("s1_p0_bias", 3, 5, 7, 5, 3, 3, (1, 1), (0, 0, 0, 0), 1, True, "chw"),
    ("s2_p1", 3, 4, 7, 5, 3, 3, (2, 2), (1, 1, 1, 1), 1, False, "chw"),
    ("asym_grouped", 4, 6, 7, 6, 3, 2, (2, 1), (1, 0, 2, 1), 2, True, "chw"),
    ("depthwise_s2", 5, 5, 7, 5, 3, 3, (2, 2), (1, 1, 1, 1), 5, False, "chw"),
    ("pointwise", 3, 8, 7, 5, 1, 1, (1, 1), (0, 0, 0, 0), 1, True, "chw"),
    ("hwc_s2_p1", 3, 4, 7, 5, 3, 3, (2, 2), (1, 1, 1, 1), 1, True, "hwc"),
    ("hwc_depthwise", 5, 5, 5, 7, 5, 3, (1, 2), (2, 2, 1, 1), 5, False, "hwc"),
    # With a dilation [dh, dw] as the 13th field.
    ("dil2_p2_bias", 3, 4, 9, 8, 3, 3, (1, 1), (2, 2, 2, 2), 1, True, "chw",
     (2, 2)),
    ("dil_s2_asym", 4, 6, 11, 9, 3, 2, (2, 1), (1, 0, 2, 1), 2, False, "chw",
     (2, 3)),
    ("dil2_depthwise", 4, 4, 9, 7, 3, 3, (1, 1), (2, 2, 2, 2), 4, False,
     "chw", (2, 2)),
    ("hwc_dil3", 3, 4, 9, 9, 3, 3, (2, 2), (3, 3, 3, 3), 1, True, "hwc",
     (3, 3)),
    # Column stride 1 and an even output width: the f16/bf16 weight
    # gradient reduces over column pairs (odd taps read the shifted copy).
    ("s1_p1_pairs", 4, 6, 6, 8, 3, 3, (1, 1), (1, 1, 1, 1), 1, False, "chw"),
    ("hwc_dil3_s1_pairs", 4, 4, 7, 10, 3, 3, (1, 1), (3, 3, 3, 3), 2, True,
     "hwc", (3, 3)),
]


def conv_cases(dtype):
    cases = []
    for cfg in CONV_CONFIGS:
        (name, cin, cout, h, w_, kh, kw, stride, pad, groups, bias,
         layout) = cfg[:12]
        dil = cfg[12] if len(cfg) > 12 else (1, 1)
        x = rounded(rnd(cin, h, w_), dtype)
        w = rounded(rnd(cout, cin // groups, kh, kw, scale=0.5), dtype)
        b = rounded(rnd(cout), dtype)

        def fn(x, w, b=None):
            xp = F.pad(x[None], (pad[2], pad[3], pad[0], pad[1]))
            return F.conv2d(xp, w, b, stride=stride, groups=groups,
                            dilation=dil)[0]

        y, dy, g = grads(fn, *((x, w, b) if bias else (x, w)), dtype=dtype)
        # Tensors as the op sees them in its layout.
        fm = (lambda t: t.permute(1, 2, 0)) if layout == "hwc" else \
             (lambda t: t)
        wl = (lambda t: t.permute(0, 2, 3, 1)) if layout == "hwc" else \
             (lambda t: t)
        attrs = (f"stride [{stride[0]}, {stride[1]}] padding "
                 f"[{pad[0]}, {pad[1]}, {pad[2]}, {pad[3]}]")
        if groups != 1:
            attrs += f" groups {groups}"
        if layout == "hwc":
            attrs += " layout <hwc>"
        if dil != (1, 1):
            attrs += f" {{dilation = array<i64: {dil[0]}, {dil[1]}>}}"
        T = lambda t: tensor_type(t.shape, dtype)
        X, W, Y, DY = fm(x), wl(w), fm(y), fm(dy)
        fwd_args = [X, W, b] if bias else [X, W]
        ops = "%arg0, %arg1, %arg2" if bias else "%arg0, %arg1"
        cases.append(Case(
            f"conv_{name}_fwd_{dtype}", dtype, fwd_args,
            f"  %r = pulptrain.conv2d {ops} {attrs} : "
            f"({', '.join(T(a) for a in fwd_args)}) -> {T(Y)}", ["%r"], [Y]))
        cases.append(Case(
            f"conv_{name}_wgt_grad_{dtype}", dtype, [X, DY],
            f"  %r = pulptrain.conv2d_wgt_grad %arg0, %arg1 {attrs} : "
            f"({T(X)}, {T(DY)}) -> {T(W)}", ["%r"], [wl(g[1])]))
        cases.append(Case(
            f"conv_{name}_in_grad_{dtype}", dtype, [DY, W],
            f"  %r = pulptrain.conv2d_in_grad %arg0, %arg1 {attrs} : "
            f"({T(DY)}, {T(W)}) -> {T(X)}", ["%r"], [fm(g[0])]))
        if bias:
            lay = " layout <hwc>" if layout == "hwc" else ""
            cases.append(Case(
                f"conv_{name}_bias_grad_{dtype}", dtype, [DY],
                f"  %r = pulptrain.bias_grad %arg0{lay} : ({T(DY)}) -> {T(b)}",
                ["%r"], [g[2]]))
    return cases


def activation_cases(dtype):
    cases = []
    shape = (3, 7, 5)
    T = tensor_type(shape, dtype)
    x = rounded(rnd(*shape, scale=2.0), dtype)
    # (name, torch fn, op attrs, gradient takes the forward output)
    acts = [
        ("relu", torch.relu, "", False),
        ("leaky_relu", lambda t: F.leaky_relu(t, 0.1),
         " {negative_slope = 1.000000e-01 : f64}", False),
        ("sigmoid", torch.sigmoid, "", True),
        ("tanh", torch.tanh, "", True),
        ("relu6", F.relu6, "", False),
        ("hardswish", F.hardswish, "", False),
        ("hardsigmoid", F.hardsigmoid, "", False),
    ]
    for name, fn, attrs, uses_output in acts:
        y, dy, g = grads(fn, x, dtype=dtype)
        cases.append(Case(f"{name}_fwd_{dtype}", dtype, [x],
                          f"  %r = pulptrain.{name} %arg0{attrs} : {T}",
                          ["%r"], [y]))
        first = rounded(y, dtype) if uses_output else x
        cases.append(Case(f"{name}_grad_{dtype}", dtype, [first, dy],
                          f"  %r = pulptrain.{name}_grad %arg0, %arg1{attrs}"
                          f" : {T}", ["%r"], [g[0]]))
    # The ranges of relu6, hardswish and hardsigmoid: both ends, the kinks
    # themselves (-3, 0, 3, 6) and values between.
    edges = torch.tensor([-7.0, -3.0, -2.5, -0.5, 0.0, 0.25, 2.75, 3.0, 3.5,
                          5.5, 6.0, 6.5, 8.0], dtype=torch.float64)
    ET = tensor_type(edges.shape, dtype)
    for name, fn in (("relu6", F.relu6), ("hardswish", F.hardswish),
                     ("hardsigmoid", F.hardsigmoid)):
        y, dy, g = grads(fn, edges, dtype=dtype)
        cases.append(Case(f"{name}_edges_fwd_{dtype}", dtype, [edges],
                          f"  %r = pulptrain.{name} %arg0 : {ET}", ["%r"],
                          [y]))
        cases.append(Case(f"{name}_edges_grad_{dtype}", dtype, [edges, dy],
                          f"  %r = pulptrain.{name}_grad %arg0, %arg1 : {ET}",
                          ["%r"], [g[0]]))
    for sname, sshape, axis in (("vec", (10,), -1), ("axis0", (4, 3, 5), 0)):
        ST = tensor_type(sshape, dtype)
        v = rounded(rnd(*sshape, scale=2.0), dtype)
        y, dy, g = grads(lambda t: torch.softmax(t, axis), v, dtype=dtype)
        attr = f" {{axis = {axis} : i64}}"
        cases.append(Case(f"softmax_{sname}_fwd_{dtype}", dtype, [v],
                          f"  %r = pulptrain.softmax %arg0{attr} : {ST}",
                          ["%r"], [y]))
        cases.append(Case(f"softmax_{sname}_grad_{dtype}", dtype,
                          [rounded(y, dtype), dy],
                          f"  %r = pulptrain.softmax_grad %arg0, %arg1{attr}"
                          f" : {ST}", ["%r"], [g[0]]))
    a, b = rnd(*shape), rnd(*shape)
    cases.append(Case(f"add_{dtype}", dtype, [a, b],
                      f"  %r = pulptrain.add %arg0, %arg1 : {T}", ["%r"],
                      [rounded(a, dtype) + rounded(b, dtype)]))
    return cases


def scalar_cases(dtype):
    """Scalar arithmetic (x * c, x + c) and dropout: forward and input
    gradient (none of them has weights)."""
    cases = []
    shape = (3, 7, 5)
    T = tensor_type(shape, dtype)
    x = rounded(rnd(*shape, scale=2.0), dtype)
    for name, op, c, fn in (("mul", "mul_scalar", 2.5, lambda t: t * 2.5),
                            ("mul_neg", "mul_scalar", -0.3,
                             lambda t: t * -0.3),
                            ("add", "add_scalar", 1.0, lambda t: t + 1.0),
                            ("sub", "add_scalar", -0.75,
                             lambda t: t - 0.75)):
        y, dy, g = grads(fn, x, dtype=dtype)
        attr = f" {{scalar = {c!r} : f64}}"
        cases.append(Case(f"{name}_scalar_fwd_{dtype}", dtype, [x],
                          f"  %r = pulptrain.{op} %arg0{attr} : {T}",
                          ["%r"], [y]))
        # The gradient of x * c is the mul_scalar of the output gradient;
        # that of x + c the output gradient itself (no op).
        if op == "mul_scalar":
            cases.append(Case(f"{name}_scalar_grad_{dtype}", dtype, [dy],
                              f"  %r = pulptrain.{op} %arg0{attr} : {T}",
                              ["%r"], [g[0]]))
    v = (4, 9, 11)
    VT = tensor_type(v, dtype)
    xv = rounded(rnd(*v), dtype)
    for p, seed in ((0.5, 0), (0.2, 7), (0.0, 1), (1.0, 2)):
        y, dy, g = grads(lambda t: dropout.apply(t, p, seed), xv,
                         dtype=dtype)
        attr = f" {{p = {p!r} : f64, seed = {seed} : i64}}"
        pname = str(p).replace(".", "")
        cases.append(Case(f"dropout_p{pname}_s{seed}_fwd_{dtype}", dtype,
                          [xv], f"  %r = pulptrain.dropout %arg0{attr} : "
                          f"{VT}", ["%r"], [y]))
        cases.append(Case(f"dropout_p{pname}_s{seed}_grad_{dtype}", dtype,
                          [dy], f"  %r = pulptrain.dropout_grad %arg0{attr} "
                          f": {VT}", ["%r"], [g[0]]))
    # With a sample number (the training step's counter), as a rank-0 f32
    # argument: each number draws another mask.
    for p, seed, n in ((0.5, 0, 1), (0.3, 4, 1037)):
        y, dy, g = grads(lambda t: dropout.apply(t, p, seed, n), xv,
                         dtype=dtype)
        attr = f" {{p = {p!r} : f64, seed = {seed} : i64}}"
        pname = str(p).replace(".", "")
        count = torch.tensor(float(n), dtype=torch.float64)
        for kind, x_in, want in (("fwd", xv, y), ("grad", dy, g[0])):
            op = "dropout" if kind == "fwd" else "dropout_grad"
            cases.append(Case(
                f"dropout_p{pname}_s{seed}_n{n}_{kind}_{dtype}", dtype,
                [x_in, count],
                f"  %r = pulptrain.{op} %arg0 sample %arg1{attr} : {VT}",
                ["%r"], [want], arg_dtypes=[dtype, "f32"]))
    return cases


# (name, C, H, W, kernel, stride, padding [t, b, l, r], layout)
POOL_CONFIGS = [
    ("k2s2", 3, 7, 5, (2, 2), (2, 2), (0, 0, 0, 0), "chw"),
    ("k3s2p1", 3, 7, 5, (3, 3), (2, 2), (1, 1, 1, 1), "chw"),
    ("asym", 2, 6, 7, (3, 2), (1, 2), (1, 0, 0, 1), "chw"),
    ("hwc_k3s2p1", 3, 7, 5, (3, 3), (2, 2), (1, 1, 1, 1), "hwc"),
    # Windows that tile the input exactly (the average-pooling gradient
    # reads the output gradient in place): 2x2/2 on an even map, global.
    ("k2s2_even", 3, 6, 4, (2, 2), (2, 2), (0, 0, 0, 0), "chw"),
    ("global", 4, 5, 3, (5, 3), (5, 3), (0, 0, 0, 0), "chw"),
    ("hwc_global", 4, 5, 3, (5, 3), (5, 3), (0, 0, 0, 0), "hwc"),
]


def pool_cases(dtype):
    cases = []
    for name, c, h, w, k, s, p, layout in POOL_CONFIGS:
        x = rounded(rnd(c, h, w), dtype)
        fm = (lambda t: t.permute(1, 2, 0)) if layout == "hwc" else \
             (lambda t: t)
        attrs = (f"kernel [{k[0]}, {k[1]}] stride [{s[0]}, {s[1]}] padding "
                 f"[{p[0]}, {p[1]}, {p[2]}, {p[3]}]")
        if layout == "hwc":
            attrs += " layout <hwc>"
        T = lambda t: tensor_type(t.shape, dtype)
        for kind in ("max", "avg"):
            fill = float("-inf") if kind == "max" else 0.0

            def fn(t):
                tp = F.pad(t[None], (p[2], p[3], p[0], p[1]), value=fill)
                pool = F.max_pool2d if kind == "max" else F.avg_pool2d
                return pool(tp, k, s)[0]

            y, dy, g = grads(fn, x, dtype=dtype)
            X, Y, DY = fm(x), fm(y), fm(dy)
            cases.append(Case(
                f"{kind}pool_{name}_fwd_{dtype}", dtype, [X],
                f"  %r = pulptrain.{kind}pool2d %arg0 {attrs} : ({T(X)}) -> "
                f"{T(Y)}", ["%r"], [Y]))
            if kind == "max":
                cases.append(Case(
                    f"maxpool_{name}_grad_{dtype}", dtype, [X, DY],
                    f"  %r = pulptrain.maxpool2d_grad %arg0, %arg1 {attrs} : "
                    f"({T(X)}, {T(DY)}) -> {T(X)}", ["%r"], [fm(g[0])]))
            else:
                cases.append(Case(
                    f"avgpool_{name}_grad_{dtype}", dtype, [DY],
                    f"  %r = pulptrain.avgpool2d_grad %arg0 {attrs} : "
                    f"({T(DY)}) -> {T(X)}", ["%r"], [fm(g[0])]))
    return cases


# PyTorch's own options (symmetric padding p): (name, C, H, W, kernel,
# stride, p, ceil_mode, count_include_pad, layout).
POOL_OPTION_CONFIGS = [
    ("ceil_k3s3", 2, 8, 7, 3, 3, 0, True, True, "chw"),
    ("ceil_k3s2p1", 2, 6, 7, 3, 2, 1, True, True, "chw"),
    ("excl_k3s2p1", 2, 7, 5, 3, 2, 1, False, False, "chw"),
    ("ceil_excl_k3s2p1", 2, 6, 7, 3, 2, 1, True, False, "chw"),
    ("hwc_ceil_excl_k2s2p1", 3, 6, 5, 2, 2, 1, True, False, "hwc"),
]


def pool_option_cases(dtype):
    cases = []
    for name, c, h, w, k, s, p, ceil, cip, layout in POOL_OPTION_CONFIGS:
        x = rounded(rnd(c, h, w), dtype)
        fm = (lambda t: t.permute(1, 2, 0)) if layout == "hwc" else \
             (lambda t: t)
        attrs = (f"kernel [{k}, {k}] stride [{s}, {s}] padding "
                 f"[{p}, {p}, {p}, {p}]")
        if layout == "hwc":
            attrs += " layout <hwc>"
        T = lambda t: tensor_type(t.shape, dtype)
        for kind in ("max", "avg"):
            if kind == "max":
                fn = lambda t: F.max_pool2d(t[None], k, s, p,
                                            ceil_mode=ceil)[0]
            else:
                fn = lambda t: F.avg_pool2d(t[None], k, s, p, ceil_mode=ceil,
                                            count_include_pad=cip)[0]
            y, dy, g = grads(fn, x, dtype=dtype)
            floor = (h + 2 * p - k) // s + 1, (w + 2 * p - k) // s + 1
            opts = []
            if ceil and tuple(y.shape[1:]) != floor:
                opts.append("ceil_mode = true")
            if kind == "avg" and not cip:
                opts.append("count_include_pad = false")
            if kind == "max" and not opts:
                continue  # the same as the floor-mode cases
            a = attrs + (f" {{{', '.join(opts)}}}" if opts else "")
            X, Y, DY = fm(x), fm(y), fm(dy)
            cases.append(Case(
                f"{kind}pool_{name}_fwd_{dtype}", dtype, [X],
                f"  %r = pulptrain.{kind}pool2d %arg0 {a} : ({T(X)}) -> "
                f"{T(Y)}", ["%r"], [Y]))
            if kind == "max":
                cases.append(Case(
                    f"maxpool_{name}_grad_{dtype}", dtype, [X, DY],
                    f"  %r = pulptrain.maxpool2d_grad %arg0, %arg1 {a} : "
                    f"({T(X)}, {T(DY)}) -> {T(X)}", ["%r"], [fm(g[0])]))
            else:
                cases.append(Case(
                    f"avgpool_{name}_grad_{dtype}", dtype, [DY],
                    f"  %r = pulptrain.avgpool2d_grad %arg0 {a} : "
                    f"({T(DY)}) -> {T(X)}", ["%r"], [fm(g[0])]))
    return cases


# (name, C, H, W, Ho, Wo, layout): windows of different sizes, overlapping
# (7 -> 3: [0, 3), [2, 5), [4, 7)), and an output larger than the input.
ADAPTIVE_CONFIGS = [
    ("7x5_to_3x2", 3, 7, 5, 3, 2, "chw"),
    ("5x6_to_4x4", 2, 5, 6, 4, 4, "chw"),
    ("3x4_to_5x3", 2, 3, 4, 5, 3, "chw"),
    ("hwc_7x5_to_3x2", 3, 7, 5, 3, 2, "hwc"),
]


def adaptive_pool_cases(dtype):
    cases = []
    for name, c, h, w, oh, ow, layout in ADAPTIVE_CONFIGS:
        x = rounded(rnd(c, h, w), dtype)
        fm = (lambda t: t.permute(1, 2, 0)) if layout == "hwc" else \
             (lambda t: t)
        lay = " layout <hwc>" if layout == "hwc" else ""
        y, dy, g = grads(lambda t: F.adaptive_avg_pool2d(t[None],
                                                         (oh, ow))[0],
                         x, dtype=dtype)
        T = lambda t: tensor_type(t.shape, dtype)
        X, Y, DY = fm(x), fm(y), fm(dy)
        cases.append(Case(
            f"adaptive_avgpool_{name}_fwd_{dtype}", dtype, [X],
            f"  %r = pulptrain.adaptive_avgpool2d %arg0{lay} : ({T(X)}) -> "
            f"{T(Y)}", ["%r"], [Y]))
        cases.append(Case(
            f"adaptive_avgpool_{name}_grad_{dtype}", dtype, [DY],
            f"  %r = pulptrain.adaptive_avgpool2d_grad %arg0{lay} : "
            f"({T(DY)}) -> {T(X)}", ["%r"], [fm(g[0])]))
    return cases


def norm_cases(dtype):
    cases = []
    for layout in ("chw", "hwc"):
        c, h, w, eps = 3, 7, 5, 1e-5
        x = rounded(rnd(c, h, w, scale=2.0) + 0.5, dtype)
        gamma, beta = rounded(rnd(c), dtype), rounded(rnd(c), dtype)
        fn = lambda x, g, b: F.instance_norm(x[None], weight=g, bias=b,
                                             eps=eps)[0]
        y, dy, grd = grads(fn, x, gamma, beta, dtype=dtype)
        cases += norm_step_cases("instance_norm", layout, dtype, x, gamma,
                                 beta, y, dy, grd)
    return cases


def norm_step_cases(op, layout, dtype, x, gamma, beta, y, dy, grd,
                    attrs=""):
    """The forward, input-gradient and weight-gradient cases of the
    normalization `op` (instance_norm, batch_norm) on the CHW map `x` in
    `layout`, against PyTorch's output `y` and gradients `grd` (input,
    gamma, beta) for the output gradient `dy`."""
    fm = (lambda t: t.permute(1, 2, 0)) if layout == "hwc" else (lambda t: t)
    lay = " layout <hwc>" if layout == "hwc" else ""
    X, Y, DY = fm(x), fm(y), fm(dy)
    FT, VT = tensor_type(X.shape, dtype), tensor_type(gamma.shape, dtype)
    return [
        Case(f"{op}_{layout}_fwd_{dtype}", dtype, [X, gamma, beta],
             f"  %r = pulptrain.{op} %arg0, %arg1, %arg2{lay}{attrs} : "
             f"({FT}, {VT}, {VT}) -> {FT}", ["%r"], [Y]),
        Case(f"{op}_{layout}_in_grad_{dtype}", dtype, [X, gamma, DY],
             f"  %r = pulptrain.{op}_in_grad %arg0, %arg1, %arg2{lay}"
             f"{attrs} : ({FT}, {VT}, {FT}) -> {FT}", ["%r"], [fm(grd[0])]),
        Case(f"{op}_{layout}_wgt_grad_{dtype}", dtype, [X, DY],
             f"  %r:2 = pulptrain.{op}_wgt_grad %arg0, %arg1{lay}{attrs}"
             f" : ({FT}, {FT}) -> ({VT}, {VT})", ["%r#0", "%r#1"],
             [grd[1], grd[2]]),
    ]


def batch_norm_cases(dtype):
    """BatchNorm2d in training mode (batch 1: statistics over H x W) and its
    running statistics against F.batch_norm(training=True); in eval mode,
    the per-channel scale and shift the importer emits as a depthwise 1x1
    convolution against F.batch_norm(training=False)."""
    cases = []
    for layout in ("chw", "hwc"):
        c, h, w, eps, momentum = 3, 6, 5, 1e-3, 0.3
        x = rounded(rnd(c, h, w, scale=1.5) - 0.25, dtype)
        gamma, beta = rounded(rnd(c), dtype), rounded(rnd(c), dtype)
        rmean = rounded(rnd(c, scale=0.5), dtype)
        rvar = rounded(rnd(c).abs() + 0.5, dtype)
        fn = lambda x, g, b: F.batch_norm(x[None], None, None, weight=g,
                                          bias=b, training=True,
                                          eps=eps)[0]
        y, dy, grd = grads(fn, x, gamma, beta, dtype=dtype)
        cases += norm_step_cases("batch_norm", layout, dtype, x, gamma, beta,
                                 y, dy, grd, f" {{eps = {eps:e} : f64}}")
        fm = (lambda t: t.permute(1, 2, 0)) if layout == "hwc" else \
             (lambda t: t)
        lay = " layout <hwc>" if layout == "hwc" else ""
        X = fm(x)
        FT, VT = tensor_type(X.shape, dtype), tensor_type((c,), dtype)
        # PyTorch updates the running statistics in place.
        rm, rv = rmean.clone(), rvar.clone()
        F.batch_norm(x[None], rm, rv, training=True, momentum=momentum,
                     eps=eps)
        cases.append(Case(
            f"batch_norm_{layout}_running_stats_{dtype}", dtype,
            [X, rmean, rvar],
            f"  %r:2 = pulptrain.batch_norm_running_stats %arg0, %arg1, "
            f"%arg2{lay} {{momentum = {momentum:e} : f64}} : "
            f"({FT}, {VT}, {VT}) -> ({VT}, {VT})", ["%r#0", "%r#1"],
            [rm, rv]))
        # Eval mode: x * scale + shift per channel, a depthwise 1x1
        # convolution (forward and input gradient; no weight gradient, the
        # statistics and affine parameters being frozen).
        ev = lambda x: F.batch_norm(x[None], rmean, rvar, weight=gamma,
                                    bias=beta, training=False, eps=eps)[0]
        y, dy, grd = grads(ev, x, dtype=dtype)
        scale = gamma / torch.sqrt(rvar + eps)
        shift = beta - rmean * scale
        W = rounded(scale.reshape(c, 1, 1, 1), dtype)
        if layout == "hwc":
            W = W.permute(0, 2, 3, 1)
        B = rounded(shift, dtype)
        WT = tensor_type(W.shape, dtype)
        Y, DY = fm(y), fm(dy)
        cases.append(Case(
            f"batch_norm_eval_{layout}_fwd_{dtype}", dtype, [X, W, B],
            f"  %r = pulptrain.conv2d %arg0, %arg1, %arg2 stride [1, 1] "
            f"padding [0, 0, 0, 0] groups {c}{lay} : ({FT}, {WT}, {VT}) -> "
            f"{FT}", ["%r"], [Y]))
        cases.append(Case(
            f"batch_norm_eval_{layout}_in_grad_{dtype}", dtype, [DY, W],
            f"  %r = pulptrain.conv2d_in_grad %arg0, %arg1 stride [1, 1] "
            f"padding [0, 0, 0, 0] groups {c}{lay} : ({FT}, {WT}) -> {FT}",
            ["%r"], [fm(grd[0])]))
    return cases


def loss_cases(dtype):
    cases = []
    n = 10
    VT, ST = tensor_type((n,), dtype), tensor_type((), dtype)
    y, t = rounded(rnd(n), dtype), rounded(rnd(n), dtype)
    loss, _, g = grads(lambda a: F.mse_loss(a, t), y, dtype=dtype)
    cases.append(Case(f"mse_loss_{dtype}", dtype, [y, t],
                      f"  %r = pulptrain.mse_loss %arg0, %arg1 : ({VT}, {VT})"
                      f" -> {ST}", ["%r"], [loss]))
    leaf = y.clone().requires_grad_(True)
    F.mse_loss(leaf, t).backward()
    cases.append(Case(f"mse_loss_grad_{dtype}", dtype, [y, t],
                      f"  %r = pulptrain.mse_loss_grad %arg0, %arg1 : {VT}",
                      ["%r"], [leaf.grad]))
    logits = rounded(rnd(n, scale=2.0), dtype)
    onehot = torch.zeros(n, dtype=torch.float64)
    onehot[3] = 1.0
    probs = rounded(torch.softmax(rnd(n), 0), dtype)
    for tname, target in (("onehot", onehot), ("probs", probs)):
        leaf = logits.clone().requires_grad_(True)
        loss = F.cross_entropy(leaf[None], target[None])
        loss.backward()
        cases.append(Case(
            f"cross_entropy_{tname}_{dtype}", dtype, [logits, target],
            f"  %r = pulptrain.cross_entropy_loss %arg0, %arg1 : "
            f"({VT}, {VT}) -> {ST}", ["%r"], [loss.detach()]))
        cases.append(Case(
            f"cross_entropy_{tname}_grad_{dtype}", dtype, [logits, target],
            f"  %r = pulptrain.cross_entropy_loss_grad %arg0, %arg1 : {VT}",
            ["%r"], [leaf.grad]))
    return cases


def sgd_cases(dtype):
    """Two steps of torch.optim.SGD against two chained sgd_update ops."""
    cases = []
    shape = (6, 4)
    T = tensor_type(shape, dtype)
    for name, lr, momentum, wd, nesterov in (
            ("plain", 0.1, 0.0, 0.0, False),
            ("momentum_wd", 0.05, 0.9, 0.01, False),
            ("nesterov_wd", 0.05, 0.9, 0.01, True)):
        w = rounded(rnd(*shape), dtype)
        g1, g2 = rounded(rnd(*shape), dtype), rounded(rnd(*shape), dtype)
        p = w.clone().requires_grad_(True)
        opt = torch.optim.SGD([p], lr=lr, momentum=momentum, weight_decay=wd,
                              nesterov=nesterov)
        for grad in (g1, g2):
            p.grad = grad.clone()
            opt.step()
        attrs = f"{{lr = {lr!r} : f64"
        if momentum:
            attrs += f", momentum = {momentum!r} : f64"
        if wd:
            attrs += f", weight_decay = {wd!r} : f64"
        if nesterov:
            attrs += ", nesterov = true"
        attrs += "}"
        if momentum:
            zero = torch.zeros(shape, dtype=torch.float64)
            body = (f"  %w1, %b1 = pulptrain.sgd_update %arg0, %arg1, %arg3 "
                    f"{attrs} : ({T}, {T}, {T}) -> ({T}, {T})\n"
                    f"  %w2, %b2 = pulptrain.sgd_update %w1, %arg2, %b1 "
                    f"{attrs} : ({T}, {T}, {T}) -> ({T}, {T})")
            buf = opt.state[p]["momentum_buffer"]
            cases.append(Case(f"sgd_{name}_{dtype}", dtype,
                              [w, g1, g2, zero], body, ["%w2", "%b2"],
                              [p.detach(), buf]))
        else:
            body = (f"  %w1 = pulptrain.sgd_update %arg0, %arg1 {attrs} : "
                    f"({T}, {T}) -> {T}\n"
                    f"  %w2 = pulptrain.sgd_update %w1, %arg2 {attrs} : "
                    f"({T}, {T}) -> {T}")
            cases.append(Case(f"sgd_{name}_{dtype}", dtype, [w, g1, g2],
                              body, ["%w2"], [p.detach()]))
    return cases


def adam_cases(dtype):
    """Two steps of torch.optim.Adam (single-tensor form) against two
    chained adam_update ops with step numbers 1 and 2; the moments are f32
    state in every dtype (as pulptrain-autodiff makes them)."""
    cases = []
    shape = (6, 4)
    T = tensor_type(shape, dtype)
    M = tensor_type(shape, "f32")
    S = tensor_type((), "f32")
    for name, lr, betas, eps, wd in (
            ("default_wd", 0.01, (0.9, 0.999), 1e-8, 0.01),
            ("betas_eps", 0.05, (0.8, 0.99), 1e-6, 0.0)):
        w = rounded(rnd(*shape), dtype)
        g1, g2 = rounded(rnd(*shape), dtype), rounded(rnd(*shape), dtype)
        p = w.clone().requires_grad_(True)
        opt = torch.optim.Adam([p], lr=lr, betas=betas, eps=eps,
                               weight_decay=wd, foreach=False)
        for grad in (g1, g2):
            p.grad = grad.clone()
            opt.step()
        state = opt.state[p]
        attrs = (f"{{lr = {lr!r} : f64, beta1 = {betas[0]!r} : f64, "
                 f"beta2 = {betas[1]!r} : f64, eps = {eps:e} : f64, "
                 f"weight_decay = {wd!r} : f64}}")
        sig = f"({T}, {T}, {M}, {M}, {S}) -> ({T}, {M}, {M})"
        body = (f"  %w1, %m1, %v1 = pulptrain.adam_update %arg0, %arg1, "
                f"%arg3, %arg4, %arg5 {attrs} : {sig}\n"
                f"  %w2, %m2, %v2 = pulptrain.adam_update %w1, %arg2, "
                f"%m1, %v1, %arg6 {attrs} : {sig}")
        zero = torch.zeros(shape, dtype=torch.float64)
        one, two = (torch.tensor(v, dtype=torch.float64) for v in (1.0, 2.0))
        cases.append(Case(
            f"adam_{name}_{dtype}", dtype, [w, g1, g2, zero, zero, one, two],
            body, ["%w2", "%m2", "%v2"],
            [p.detach(), state["exp_avg"], state["exp_avg_sq"]],
            arg_dtypes=[dtype] * 3 + ["f32"] * 4,
            result_dtypes=[dtype, "f32", "f32"]))
    return cases


def cast_cases(dtype):
    """Casts from `dtype` to each other element type."""
    cases = []
    shape = (5, 3)
    x = rounded(rnd(*shape, scale=3.0), dtype)
    for to in DTYPES:
        if to == dtype:
            continue
        cases.append(Case(
            f"cast_{dtype}_to_{to}", dtype, [x],
            f"  %r = pulptrain.cast %arg0 : {tensor_type(shape, dtype)} to "
            f"{tensor_type(shape, to)}", ["%r"], [rounded(x, to)],
            arg_dtypes=[dtype], result_dtypes=[to]))
    return cases


GROUPS = {
    "linear": linear_cases,
    "conv": conv_cases,
    "activation": activation_cases,
    "scalar": scalar_cases,
    "pool": pool_cases,
    "pool-options": pool_option_cases,
    "adaptive-pool": adaptive_pool_cases,
    "norm": norm_cases,
    "batch-norm": batch_norm_cases,
    "loss": loss_cases,
    "sgd": sgd_cases,
    "adam": adam_cases,
    "cast": cast_cases,
}


def run_group(group, dtypes, seed=0, sim_cores=0, options=""):
    """Runs every case of `group` on the host, or on `sim_cores` simulated
    cores with the full riscv32 pipeline (plus pulptrain-lower-to-llvm
    `options`); returns (case, errors, passed) rows."""
    torch.manual_seed(seed)
    cases = [c for d in dtypes for c in GROUPS[group](d)]
    module = "\n".join(c.mlir() for c in cases)
    if sim_cores:
        outs = sim.run_calls(module, [c.call() for c in cases], sim_cores,
                             options=options)
        all_errors = [c.errors(o) for c, o in zip(cases, outs)]
    else:
        lib = host.compile_module(module, options=options)
        all_errors = [c.run(lib) for c in cases]
    return [(case, errors, all(e <= case.tolerance() for e in errors))
            for case, errors in zip(cases, all_errors)]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--group", choices=sorted(GROUPS), action="append",
                        help="case group (repeatable; default: all)")
    parser.add_argument("--dtype", choices=DTYPES, action="append",
                        help="element type (repeatable; default: all)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--sim", type=int, default=0, metavar="CORES",
                        help="run on pulptrain-sim with this many cores and "
                        "the full riscv32 pipeline (default: on the host)")
    parser.add_argument("--options", default="",
                        help="extra pulptrain-lower-to-llvm options, e.g. "
                        "'im2col=fwd,wgt-grad,in-grad patch-budget=2048'")
    args = parser.parse_args(argv)
    passed = failed = 0
    for group in args.group or sorted(GROUPS):
        for case, errors, ok in run_group(group, args.dtype or DTYPES,
                                          args.seed, args.sim, args.options):
            status = "PASS" if ok else "FAIL"
            errs = " ".join(f"{e:.2e}" for e in errors)
            print(f"{status} {case.name:<40} max-rel-err {errs} "
                  f"tol {case.tolerance():.0e}")
            passed += ok
            failed += not ok
    print(f"{passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
