"""Accuracy of the compiled exp, log, tanh and sigmoid against float64.

The compiler replaces math.exp, math.log and math.tanh by polynomial
approximations (pulptrain-approximate-math, in the codegen stage); sigmoid
is 1 / (1 + exp(-x)) on top of exp. This compiles one element-wise
function per (function, element type) through the whole pipeline for the
host (the same generated arithmetic as on the cluster: IEEE operations and
explicit fused multiply-adds, no libm), runs it on the inputs below and
compares every result with numpy's float64 function of the same input:

- f16 and bf16: every bit pattern (65,536 inputs: all finite values,
  subnormals, +-0, +-inf and NaNs);
- f32: 2^20 bit patterns spread evenly over all 2^32 (every exponent,
  both signs, infinities and NaNs), 2^20 uniform inputs over the range
  where the function is not saturated, and the edges (overflow and
  underflow thresholds of exp, the smallest and largest floats).

Per function and type it reports the maximum error in units in the last
place (ulp) of the element type at the float64 result, over results in
the normal range, and checks the rest exactly: NaN in -> NaN out, exp
overflow -> +inf, log(0) = -inf, log(x < 0) = NaN, tanh and sigmoid
saturating at +-1 and 0/1 for infinite inputs. Results whose float64
value is below the smallest normal number of the type may be flushed to
zero (exp below -87.3 in f32 and bf16): their absolute error is reported
and must stay below that smallest normal.

  python3 -m pulptrain.math_accuracy [--check] [--functions exp,log]
      [--dtypes f32,f16,bf16]

prints the table of docs/ReferenceLowering.md; --check fails (exit 1)
when an error exceeds the bounds in BOUNDS (the ones documented there).
"""

import argparse
import ctypes
import sys

import numpy as np

from . import host

FUNCTIONS = ("exp", "log", "tanh", "sigmoid")
DTYPES = ("f32", "f16", "bf16")

# Maximum error in ulp of the element type over normal-range results: the
# documented bounds (measured maxima rounded up; docs/ReferenceLowering.md).
BOUNDS = {
    ("exp", "f32"): 5.5, ("exp", "f16"): 0.51, ("exp", "bf16"): 0.51,
    ("log", "f32"): 1.5, ("log", "f16"): 0.51, ("log", "bf16"): 0.51,
    ("tanh", "f32"): 5.0, ("tanh", "f16"): 0.51, ("tanh", "bf16"): 0.51,
    ("sigmoid", "f32"): 3.0, ("sigmoid", "f16"): 0.51,
    ("sigmoid", "bf16"): 0.51,
}

# Precision (significand bits) and smallest normal exponent per type.
FORMAT = {"f32": (24, -126), "f16": (11, -14), "bf16": (8, -126)}
MAX_FINITE = {"f32": float(np.finfo(np.float32).max),
              "f16": 65504.0, "bf16": 3.3895313892515355e38}


def to_float64(bits, dtype):
    """float64 values of storage bit patterns of `dtype`."""
    if dtype == "f32":
        return bits.astype(np.uint32).view(np.float32).astype(np.float64)
    if dtype == "f16":
        return bits.astype(np.uint16).view(np.float16).astype(np.float64)
    return (bits.astype(np.uint32) << 16).view(np.float32).astype(np.float64)


def storage(bits, dtype):
    """The buffer of bit patterns `bits` in `dtype`'s storage type."""
    return bits.astype(np.uint32 if dtype == "f32" else np.uint16)


def inputs(fn, dtype):
    """Bit patterns of the inputs of `fn` in `dtype` (see the docstring)."""
    if dtype != "f32":
        return np.arange(1 << 16, dtype=np.uint32)
    rng = np.random.default_rng(17)
    spread = (np.arange(1 << 20, dtype=np.uint64) * 4099) % (1 << 32)
    lo, hi = {"exp": (-104.0, 89.0), "log": (0.0, 16.0),
              "tanh": (-10.0, 10.0), "sigmoid": (-90.0, 20.0)}[fn]
    active = rng.uniform(lo, hi, 1 << 20).astype(np.float32)
    edges = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 88.72283,
                      88.7228394, 88.72284, 89.0, -87.33654, -87.3365,
                      -87.34, -103.2789, -103.97, -104.0, 1e-45, 1e-38,
                      1.1754944e-38, 3.4028235e38, -3.4028235e38, 1.0,
                      -1.0, 1e-4, -1e-4, 4e-4, 7.99881172, 8.0, 9.0,
                      -9.0, 15.9, 16.0, 17.0, -17.0, 30.0, -30.0],
                     dtype=np.float32)
    return np.concatenate([spread.astype(np.uint32),
                           active.view(np.uint32), edges.view(np.uint32)])


def reference(fn, x):
    with np.errstate(all="ignore"):
        if fn == "exp":
            return np.exp(x)
        if fn == "log":
            return np.log(x)
        if fn == "tanh":
            return np.tanh(x)
        return 1.0 / (1.0 + np.exp(-x))


def module(fn, dtype, n):
    t = f"tensor<{n}x{dtype}>"
    if fn == "tanh":
        body = f"  %0 = pulptrain.tanh %x : {t}\n"
    elif fn == "sigmoid":
        body = f"  %0 = pulptrain.sigmoid %x : {t}\n"
    else:
        body = (f"  %e = tensor.empty() : {t}\n"
                f"  %0 = linalg.generic {{indexing_maps = "
                f"[affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], "
                f"iterator_types = [\"parallel\"]}} ins(%x : {t}) "
                f"outs(%e : {t}) {{\n"
                f"  ^bb0(%a: {dtype}, %b: {dtype}):\n"
                f"    %r = math.{fn} %a : {dtype}\n"
                f"    linalg.yield %r : {dtype}\n"
                f"  }} -> {t}\n")
    return (f"func.func @{fn}(%x: {t}) -> {t} {{\n{body}"
            f"  return %0 : {t}\n}}\n")


def run(fn, dtype, bits):
    lib = host.compile_module(module(fn, dtype, len(bits)))
    x = storage(bits, dtype)
    y = np.zeros_like(x)
    f = getattr(lib, fn)
    f.restype = None
    f(ctypes.c_void_p(x.ctypes.data), ctypes.c_void_p(y.ctypes.data))
    return to_float64(y, dtype)


def ulp(ref, dtype):
    """The ulp of `dtype` at each float64 value of `ref` (finite)."""
    precision, emin = FORMAT[dtype]
    _, e = np.frexp(np.abs(ref))
    e = np.maximum(e - 1, emin)
    return np.ldexp(1.0, e - (precision - 1))


def measure(fn, dtype):
    """{max_ulp, at, flushed_abs, special_failures, n} for `fn` in `dtype`."""
    bits = inputs(fn, dtype)
    x = to_float64(bits, dtype)
    y = run(fn, dtype, bits)
    ref = reference(fn, x)
    precision, emin = FORMAT[dtype]
    min_normal = 2.0 ** emin
    special = []
    nan = np.isnan(ref)
    bad = nan & ~np.isnan(y)
    special += [(x[i], y[i], ref[i]) for i in np.flatnonzero(bad)[:3]]
    # Results beyond the largest finite value round to infinity.
    over = ~nan & (np.abs(ref) > MAX_FINITE[dtype] * (1 + 2.0 ** -precision))
    bad = over & (y != np.copysign(np.inf, ref))
    special += [(x[i], y[i], ref[i]) for i in np.flatnonzero(bad)[:3]]
    finite = ~nan & ~over
    tiny = finite & (np.abs(ref) < min_normal)
    normal = finite & ~tiny
    with np.errstate(all="ignore"):
        err = np.where(normal, np.abs(y - ref) / ulp(np.where(normal, ref, 1),
                                                     dtype), 0.0)
    err[np.isnan(err)] = np.inf
    i = int(np.argmax(err))
    flushed = float(np.max(np.abs(y[tiny] - ref[tiny]))) if tiny.any() else 0.0
    # Saturation: tanh(+-inf) = +-1, sigmoid(-inf) = 0, sigmoid(inf) = 1.
    for v, want in {"tanh": [(np.inf, 1.0), (-np.inf, -1.0)],
                    "sigmoid": [(np.inf, 1.0), (-np.inf, 0.0)],
                    "exp": [(np.inf, np.inf), (-np.inf, 0.0)],
                    "log": [(0.0, -np.inf), (np.inf, np.inf)]}[fn]:
        got = y[x == v]
        if got.size and not np.all(got == want):
            special.append((v, got[0], want))
    return {"max_ulp": float(err[i]), "at": float(x[i]),
            "flushed_abs": flushed, "special": special, "n": len(bits),
            "normal": int(normal.sum())}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true")
    parser.add_argument("--functions", default=",".join(FUNCTIONS))
    parser.add_argument("--dtypes", default=",".join(DTYPES))
    args = parser.parse_args(argv)
    failed = False
    print("| function | type | inputs | max error (ulp) | at x | "
          "flushed results: max abs error |")
    print("|---|---|---|---|---|---|")
    for fn in args.functions.split(","):
        for dtype in args.dtypes.split(","):
            m = measure(fn, dtype)
            print(f"| {fn} | {dtype} | {m['n']:,} | {m['max_ulp']:.3f} | "
                  f"{m['at']:.9g} | {m['flushed_abs']:.3g} |")
            bound = BOUNDS[(fn, dtype)]
            if m["max_ulp"] > bound:
                print(f"error: {fn} {dtype}: {m['max_ulp']:.3f} ulp at "
                      f"x = {m['at']!r} exceeds the bound {bound} ulp")
                failed = True
            if m["flushed_abs"] >= 2.0 ** FORMAT[dtype][1]:
                print(f"error: {fn} {dtype}: a result below the smallest "
                      f"normal is off by {m['flushed_abs']}")
                failed = True
            for x, y, want in m["special"]:
                print(f"error: {fn} {dtype}: f({x!r}) = {y!r}, "
                      f"expected {want!r}")
                failed = True
    if args.check and failed:
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
