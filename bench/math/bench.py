"""Cycles per element of exp, log, tanh and sigmoid on the simulated cluster.

Each case is one element-wise function over N elements (arguments and
result in L2, moved through L1 tiles by DMA as in bench/layers), compiled
with the full riscv32 pipeline (pulptrain-approximate-math: polynomial
approximations, no libm) and run on pulptrain-sim with 1 and 8 cores; the
cycles of the call divided by N. tanh and sigmoid are the pulptrain ops;
exp and log are linalg.generic bodies (log of |x|, the inputs being
uniform in [-0.5, 0.5)). One more row: the softmax cross-entropy loss and
its gradient on 10 logits (issue 17's target), cycles of the call.

  /usr/bin/python3 bench/math/bench.py [--build DIR] [--dtypes f32,f16,bf16]
      [--elements N] [--preset ideal|pulp-open]

prints the Markdown table of docs/Benchmarks.md.
"""

import argparse
import os
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), "layers"))
import bench as layers  # noqa: E402


def elementwise(fn, n):
    t = layers.ttype([n])
    dtype = layers.DTYPE
    if fn in ("tanh", "sigmoid"):
        body = f"  %0 = pulptrain.{fn} %a0 : {t}\n  return %0 : {t}"
    else:
        arg = "%a"
        pre = ""
        if fn == "log":
            pre = f"    %m = math.absf %a : {dtype}\n"
            arg = "%m"
        body = (f"  %e = tensor.empty() : {t}\n"
                f"  %0 = linalg.generic {{indexing_maps = "
                f"[affine_map<(i) -> (i)>, affine_map<(i) -> (i)>], "
                f"iterator_types = [\"parallel\"]}} ins(%a0 : {t}) "
                f"outs(%e : {t}) {{\n"
                f"  ^bb0(%a: {dtype}, %b: {dtype}):\n{pre}"
                f"    %r = math.{fn} {arg} : {dtype}\n"
                f"    linalg.yield %r : {dtype}\n"
                f"  }} -> {t}\n  return %0 : {t}")
    return layers.Case(f"{fn}_{n}", fn, "fwd", 0, [[n]], [[n]], body)


def cross_entropy(k):
    t = layers.ttype([k])
    s = layers.ttype([])
    body = (f"  %l = pulptrain.cross_entropy_loss %a0, %a1 : ({t}, {t}) -> "
            f"{s}\n"
            f"  %g = pulptrain.cross_entropy_loss_grad %a0, %a1 : {t}\n"
            f"  return %l, %g : {s}, {t}")
    return layers.Case(f"ce_{k}", "cross-entropy", "loss + gradient", 0,
                       [[k], [k]], [[], [k]], body)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(layers.ROOT, "build"))
    parser.add_argument("--dtypes", default="f32,f16,bf16")
    parser.add_argument("--elements", type=int, default=4096)
    parser.add_argument("--preset", default="ideal",
                        choices=["ideal", "pulp-open"])
    args = parser.parse_args()
    n = args.elements
    print(f"| function | type | cycles/element, 1 core | "
          f"cycles/element, 8 cores | cycles, 1 core | cycles, 8 cores |")
    print("|---|---|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="pulptrain-bench-math-") as tmp:
        for dtype in args.dtypes.split(","):
            layers.DTYPE = dtype
            for fn in ("exp", "log", "tanh", "sigmoid"):
                one, eight = layers.measure(elementwise(fn, n), args.build,
                                            tmp, preset=args.preset)
                print(f"| {fn} | {dtype} | {one / n:.1f} | {eight / n:.1f} |"
                      f" {one} | {eight} |", flush=True)
        layers.DTYPE = "f32"
        one, eight = layers.measure(cross_entropy(10), args.build, tmp,
                                    preset=args.preset)
        print(f"| cross-entropy loss + gradient, 10 logits | f32 | | | "
              f"{one} | {eight} |")


if __name__ == "__main__":
    main()
