"""Layer-step benchmarks on the simulated cluster (issue #7's table).

Each case is one pulptrain op (a layer's forward, weight gradient or input
gradient, an SGD update), a weight gradient with its SGD update, or a whole
training step, compiled with the full riscv32 pipeline
(parallel outlining, arena in L1 when it fits, L2 operands on L1 tiles moved
by DMA, fused multiply-adds), linked with a generated harness that keeps
every argument in L2, and run on pulptrain-sim with 1 and 8 cores. The
cycles are those of the call, read from the cluster's performance counters;
they are deterministic. The harness also hashes every result: the 1- and
8-core runs must agree bit for bit.

  /usr/bin/python3 bench/layers/bench.py [--build DIR] [--cases a,b]
      [--options "im2col=fwd,wgt-grad,in-grad"] [--dtypes f32,f16,bf16]
      [--preset ideal|pulp-open]

prints a Markdown table (the one in docs/Benchmarks.md). With --dtypes,
one table with cycles and MAC/cycle (1 and 8 cores) of each element type
per layer step, and each type's 8-core cycles relative to f32: the same
ops on f16 or bf16 tensors, with random data rounded to the type (f16
and bf16 run the packed-pair SIMD code of pulptrain-vectorize-pairs).
--preset chooses the simulator's timing model (runtime/sim/README.md):
ideal (the default) or pulp-open (GVSoC's pulp_open cluster: shared FPUs,
instruction cache, DMA bank contention, its latencies).
"""

import argparse
import os
import re
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))

# L1: 128 KiB minus 8 core stacks of 2 KiB and some runtime data; 64 KiB
# of it for tiles, the rest for the arena when it fits.
PIPELINE = ("target=riscv32 cores=8 arena=auto l1-size=110592 "
            "l1-tile-budget=65536 l2-size=1048576")
# A training step keeps its state (the parameters) resident in L1, as
# pulptrain-run does: the state first, the tiles half of what it leaves.
STEP_PIPELINE = ("target=riscv32 cores=8 arena=auto l1-size=110592 "
                 "l1-tile-budget=16384 state-l1-size=94208 l2-size=1048576")


# The element type of the cases' tensors (main() sets it per table).
DTYPE = "f32"

# C type of a buffer element and the expression that turns a float `v` into
# it: f16 through the cores' conversion (Zhinx), bf16 by truncation.
C_ELEMENT = {
    "f32": ("float", "{v}"),
    "f16": ("_Float16", "(_Float16)({v})"),
    "bf16": ("uint16_t", "(uint16_t)(float_bits({v}) >> 16)"),
}


def ttype(shape):
    return "tensor<" + "".join(f"{d}x" for d in shape) + DTYPE + ">"


class Case:
    """One function `name(args...) -> results` of one op (or a step)."""

    def __init__(self, name, layer, step, macs, args, results, body,
                 mlir=None, state=None):
        self.name, self.layer, self.step, self.macs = name, layer, step, macs
        self.args, self.results, self.body = args, results, body
        self.text = mlir
        # A training step measured through its state API: (indices of the
        # state arguments, indices of the updated state results).
        self.state = state

    def pipeline(self):
        return STEP_PIPELINE if self.state else PIPELINE

    def module(self):
        if self.text:
            return self.text
        params = ", ".join(f"%a{i}: {ttype(s)}" for i, s in enumerate(self.args))
        rets = ", ".join(ttype(s) for s in self.results)
        return (f"func.func @{self.name}({params}) -> ({rets}) {{\n"
                f"{self.body}\n}}\n")


def conv_cases(tag, layer, cin, cout, k, hw, pad, groups):
    ho = hw + 2 * pad - k + 1
    x, w, y = [cin, hw, hw], [cout, cin // groups, k, k], [cout, ho, ho]
    macs = cout * ho * ho * (cin // groups) * k * k
    attrs = (f"stride [1, 1] padding [{pad}, {pad}, {pad}, {pad}]"
             + (f" groups {groups}" if groups != 1 else ""))
    return [
        Case(f"{tag}_fwd", layer, "fwd", macs, [x, w], [y],
             f"  %0 = pulptrain.conv2d %a0, %a1 {attrs} : ({ttype(x)}, "
             f"{ttype(w)}) -> {ttype(y)}\n  return %0 : {ttype(y)}"),
        Case(f"{tag}_wgt", layer, "wgt-grad", macs, [x, y], [w],
             f"  %0 = pulptrain.conv2d_wgt_grad %a0, %a1 {attrs} : "
             f"({ttype(x)}, {ttype(y)}) -> {ttype(w)}\n"
             f"  return %0 : {ttype(w)}"),
        Case(f"{tag}_in", layer, "in-grad", macs, [y, w], [x],
             f"  %0 = pulptrain.conv2d_in_grad %a0, %a1 {attrs} : "
             f"({ttype(y)}, {ttype(w)}) -> {ttype(x)}\n"
             f"  return %0 : {ttype(x)}"),
    ]


def update_cases(tag, layer, grad_args, w, grad_op, grad_types, macs,
                 fused):
    """The SGD update of a weight alone, and its weight gradient and update
    in one function (pulptrain-fuse-weight-update fuses them where the
    gradient is element-wise)."""
    wt = ttype(w)

    def update(param, grad):
        return (f"  %0 = pulptrain.sgd_update {param}, {grad} "
                f"{{lr = 0.01 : f64}} : ({wt}, {wt}) -> {wt}\n"
                f"  return %0 : {wt}")

    return [
        Case(f"{tag}_sgd", layer, "SGD update", 0, [w, w], [w],
             update("%a0", "%a1")),
        Case(f"{tag}_wgt_sgd", layer, "wgt-grad + SGD update, "
             + ("fused" if fused else "one function (not fused)"), macs,
             grad_args + [w], [w],
             f"  %g = {grad_op} : {grad_types} -> {wt}\n"
             + update(f"%a{len(grad_args)}", "%g")),
    ]


def cases():
    i, o = 256, 128
    lin = "Linear 256→128"
    result = [
        Case("linear_fwd", lin, "fwd", i * o, [[i], [o, i]], [[o]],
             f"  %0 = pulptrain.linear %a0, %a1 : ({ttype([i])}, "
             f"{ttype([o, i])}) -> {ttype([o])}\n  return %0 : {ttype([o])}"),
        Case("linear_wgt", lin, "wgt-grad", i * o, [[i], [o]], [[o, i]],
             f"  %0 = pulptrain.linear_wgt_grad %a0, %a1 : ({ttype([i])}, "
             f"{ttype([o])}) -> {ttype([o, i])}\n"
             f"  return %0 : {ttype([o, i])}"),
        Case("linear_in", lin, "in-grad", i * o, [[o], [o, i]], [[i]],
             f"  %0 = pulptrain.linear_in_grad %a0, %a1 : ({ttype([o])}, "
             f"{ttype([o, i])}) -> {ttype([i])}\n"
             f"  return %0 : {ttype([i])}"),
    ]
    result += update_cases("linear", lin, [[i], [o]], [o, i],
                           "pulptrain.linear_wgt_grad %a0, %a1",
                           f"({ttype([i])}, {ttype([o])})", i * o, True)
    result += conv_cases("conv", "Conv2D 16→32 3x3, 16x16, pad 1",
                         16, 32, 3, 16, 1, 1)
    x, w, y = [16, 16, 16], [32, 16, 3, 3], [32, 16, 16]
    result += update_cases("conv", "Conv2D 16→32 3x3, 16x16, pad 1", [x, y], w,
                           "pulptrain.conv2d_wgt_grad %a0, %a1 stride [1, 1] "
                           "padding [1, 1, 1, 1]",
                           f"({ttype(x)}, {ttype(y)})", 32 * 16 * 16 * 16 * 9,
                           False)
    result += conv_cases("pw", "PW 32→64, 16x16", 32, 64, 1, 16, 0, 1)
    result += conv_cases("dw", "DW 32ch 3x3, 16x16, pad 1", 32, 32, 3, 16, 1,
                         32)
    step = open(os.path.join(ROOT, "examples/tutorial_cnn/train_step.mlir")
                ).read()
    # conv fwd + wgt-grad, linear fwd + wgt-grad + in-grad.
    macs = 2 * 16 * 6 * 6 * 8 * 9 + 3 * 32 * 576
    result.append(Case("train_step", "tutorial CNN", "training step", macs,
                       [[8, 8, 8], [32], [16, 8, 3, 3], [32, 576]],
                       [[], [16, 8, 3, 3], [32, 576]], None, mlir=step,
                       state=([2, 3], [1, 2])))
    return result


def harness(case):
    """C source calling the case once with pseudo-random L2 buffers."""
    bufs = [("in", s) for s in case.args] + [("out", s) for s in case.results]
    lines = ['#include "pulptrain_rt.h"', "#include <stdint.h>", ""]
    ctype, convert = C_ELEMENT[DTYPE]
    for n, (_, shape) in enumerate(bufs):
        size = 1
        for d in shape:
            size *= d
        # Word-aligned, as a firmware would place the buffers.
        lines.append(f"static {ctype} b{n}[{size}] "
                     "__attribute__((aligned(4)));")
    params = ", ".join(f"{ctype} *" for _ in bufs)
    lines += [f"void {case.name}({params});", "",
              "static uint32_t seed = 12345u;",
              "static float next_value(void) {",
              "  seed = seed * 1664525u + 1013904223u;",
              "  return (float)((int32_t)(seed >> 8) - (1 << 23)) / "
              "(float)(1 << 24);", "}",
              "static uint32_t float_bits(float f) {",
              "  union { float f; uint32_t u; } x = {f};", "  return x.u;",
              "}",
              "static uint32_t hash(const void *p, unsigned n) {",
              "  const uint8_t *b = (const uint8_t *)p; uint32_t h = "
              "2166136261u;",
              "  for (unsigned i = 0; i < n; ++i) h = (h ^ b[i]) * 16777619u;",
              "  return h;", "}", "", "int main(void) {"]
    for n, (kind, _) in enumerate(bufs):
        if kind == "in":
            value = convert.format(v="next_value()")
            lines.append(f"  for (unsigned i = 0; i < sizeof(b{n}) / "
                         f"sizeof(b{n}[0]); ++i) b{n}[i] = {value};")
    names = [f"b{n}" for n in range(len(bufs))]
    call = f"  {case.name}({', '.join(names)});"
    if case.state:
        # The state API: the state in once, one step measured, then out.
        state_in, state_out = case.state
        args, outs = names[:len(case.args)], names[len(case.args):]
        run_args = [a for i, a in enumerate(args) if i not in state_in] + \
            [o for i, o in enumerate(outs) if i not in state_out]
        ptrs = ", ".join(f"{ctype} *" for _ in run_args)
        lines[lines.index("static uint32_t seed = 12345u;"):0] = [
            f"void {case.name}_init({', '.join(ctype + ' *' for _ in state_in)});",
            f"void {case.name}_run({ptrs});",
            f"void {case.name}_read({', '.join(ctype + ' *' for _ in state_out)});",
            ""]
        lines.append(f"  {case.name}_init("
                     f"{', '.join(args[i] for i in state_in)});")
        call = f"  {case.name}_run({', '.join(run_args)});"
    lines += ["  pulptrain_perf_reset();", "  pulptrain_perf_start();", call,
              "  pulptrain_perf_stop();",
              '  pulptrain_printf("cycles %u\\n", '
              "pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES));"]
    if case.state:
        lines.append(f"  {case.name}_read("
                     f"{', '.join(outs[i] for i in case.state[1])});")
    for n, (kind, _) in enumerate(bufs):
        if kind == "out":
            lines.append(f'  pulptrain_printf("hash %08x\\n", '
                         f"hash(b{n}, sizeof(b{n})));")
    lines += ["  return 0;", "}"]
    return "\n".join(lines) + "\n"


def run(cmd, **kw):
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return proc.stdout


def measure(case, build, tmp, options="", preset="ideal"):
    bin_dir = os.path.join(build, "bin")
    src = os.path.join(tmp, case.name + ".mlir")
    with open(src, "w") as f:
        f.write(case.module())
    llvm = run([os.path.join(bin_dir, "pulptrain-opt"), src,
                f"--pulptrain-lower-to-llvm={case.pipeline()} {options}"])
    obj = os.path.join(tmp, case.name + ".o")
    run([os.path.join(bin_dir, "pulptrain-translate"), "--mlir-to-object",
         "--target=riscv32", "-o", obj], input=llvm)
    c = os.path.join(tmp, case.name + "_main.c")
    with open(c, "w") as f:
        f.write(harness(case))
    elf = os.path.join(tmp, case.name + ".elf")
    run([os.path.join(bin_dir, "pulptrain-cc"), "-O2", c, obj, "-o", elf])
    out = {}
    for cores in (1, 8):
        text = run([os.path.join(bin_dir, "pulptrain-sim"), "-q", "--preset",
                    preset, "--cores", str(cores), elf])
        cycles = int(re.search(r"cycles (\d+)", text).group(1))
        hashes = re.findall(r"hash ([0-9a-f]+)", text)
        out[cores] = (cycles, hashes)
    if out[1][1] != out[8][1]:
        sys.exit(f"{case.name}: 1- and 8-core results differ")
    return out[1][0], out[8][0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--cases", help="comma-separated case names")
    parser.add_argument("--options", default="",
                        help="extra pulptrain-lower-to-llvm options")
    parser.add_argument("--preset", default="ideal",
                        choices=["ideal", "pulp-open"],
                        help="timing model of pulptrain-sim "
                        "(runtime/sim/README.md)")
    parser.add_argument("--dtypes",
                        help="comma-separated element types (f32, f16, "
                        "bf16): one table comparing them")
    args = parser.parse_args()
    selected = cases()
    if args.cases:
        names = args.cases.split(",")
        selected = [c for c in selected if c.name in names]
    if args.dtypes:
        return compare_dtypes(selected, args)
    print("| layer | step | MACs | cycles, 1 core | cycles, 8 cores | "
          "speed-up | MAC/cycle, 1 core | MAC/cycle, 8 cores |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="pulptrain-bench-") as tmp:
        for case in selected:
            one, eight = measure(case, args.build, tmp, args.options,
                                 args.preset)
            print(f"| {case.layer} | {case.step} | {case.macs} | {one} | "
                  f"{eight} | {one / eight:.2f}x | {case.macs / one:.3f} | "
                  f"{case.macs / eight:.3f} |", flush=True)


def compare_dtypes(selected, args):
    """One row per layer step: cycles and MAC/cycle of every element type on
    1 and 8 cores, and the 8-core cycles relative to the first type."""
    global DTYPE
    dtypes = args.dtypes.split(",")
    for dtype in dtypes:
        if dtype not in C_ELEMENT:
            sys.exit(f"unknown element type '{dtype}'")
    # The whole-step case is an f32 model file.
    selected = [c for c in selected if c.text is None]
    head = "| layer | step | MACs |"
    align = "|---|---|---:|"
    for dtype in dtypes:
        head += (f" {dtype} cycles, 1 core | {dtype} cycles, 8 cores | "
                 f"{dtype} MAC/cycle, 1 core | {dtype} MAC/cycle, 8 cores |")
        align += "---:|---:|---:|---:|"
    for dtype in dtypes[1:]:
        head += f" {dtype} / {dtypes[0]}, 8 cores |"
        align += "---:|"
    print(head)
    print(align)
    with tempfile.TemporaryDirectory(prefix="pulptrain-bench-") as tmp:
        for case in selected:
            row = f"| {case.layer} | {case.step} | {case.macs} |"
            eights = []
            for dtype in dtypes:
                # The case's IR in this element type.
                DTYPE = dtype
                typed = next(c for c in cases() if c.name == case.name)
                one, eight = measure(typed, args.build, tmp, args.options,
                                     args.preset)
                eights.append(eight)
                row += (f" {one} | {eight} | {case.macs / one:.3f} | "
                        f"{case.macs / eight:.3f} |")
            for eight in eights[1:]:
                row += f" {eight / eights[0]:.2f}x |"
            print(row, flush=True)
    DTYPE = "f32"


if __name__ == "__main__":
    main()
