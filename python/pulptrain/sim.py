"""Runs compiled pulptrain functions on the simulated cluster.

The module is lowered with the full riscv32 pipeline (parallel kernels on
`cores` cores, the arena in L1 when it fits, L2 operands on L1 tiles moved
by DMA, register blocking, fused multiply-adds), linked with a generated
harness that keeps every input and output buffer in L2 (as a firmware would)
and run once on pulptrain-sim: the harness calls every function in turn and
prints its results as bit patterns, which come back as float64 tensors.
"""

import os
import re
import tempfile

import numpy as np

from pulptrain import host

# The L1 of the default cluster (128 KiB) minus 8 core stacks of 2 KiB and
# some runtime data; 64 KiB of it for tiles.
PIPELINE = ("target=riscv32 arena=auto l1-size=110592 l1-tile-budget=65536 "
            "l2-size=1048576")

_BITS = {"f32": ("uint32_t", np.uint32, 8), "f16": ("uint16_t", np.uint16, 4),
         "bf16": ("uint16_t", np.uint16, 4)}


def _c_array(name, buf, dtype, initialized):
    ctype, npty, _ = _BITS[dtype]
    words = buf.reshape(-1).view(npty)
    # Not const: .rodata shares the code's segment, which the DMA may not
    # read; initialized data is in L2 like the outputs.
    if not initialized:
        return f"static {ctype} {name}[{max(words.size, 1)}];\n"
    body = ",".join(f"0x{int(w):x}" for w in words)
    return f"static {ctype} {name}[{max(words.size, 1)}] = {{{body}}};\n"


def run_calls(module_text, calls, cores=8, workdir=None, options=""):
    """Runs `calls`, (function name, inputs, results) triples as for
    host.call_typed, on `cores` simulated cores; returns the results of
    every call as lists of float64 tensors. `options` are extra
    pulptrain-lower-to-llvm options ("im2col=fwd patch-budget=4096")."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="pulptrain-sim-") as tmp:
            return run_calls(module_text, calls, cores, tmp, options)
    src = os.path.join(workdir, "module.mlir")
    with open(src, "w") as f:
        f.write(module_text)
    llvm = os.path.join(workdir, "module.llvm.mlir")
    obj = os.path.join(workdir, "module.o")
    host._run([host._tool("pulptrain-opt"), src,
               f"--pulptrain-lower-to-llvm={PIPELINE} cores={cores} "
               f"{options}",
               "-o", llvm])
    host._run([host._tool("pulptrain-translate"), "--mlir-to-object",
               "--target=riscv32", llvm, "-o", obj])

    lines = ['#include "pulptrain_rt.h"', "#include <stdint.h>", ""]
    main = ["int main(void) {"]
    for i, (name, inputs, results) in enumerate(calls):
        names = []
        for k, (t, dtype) in enumerate(inputs):
            lines.append(_c_array(f"in{i}_{k}", host.to_buffer(t, dtype),
                                  dtype, initialized=True))
            names.append(f"(void *)in{i}_{k}")
        for k, (shape, dtype) in enumerate(results):
            buf = np.zeros(tuple(shape), dtype=host.NUMPY_DTYPE[dtype])
            lines.append(_c_array(f"out{i}_{k}", buf, dtype, initialized=False))
            names.append(f"out{i}_{k}")
        lines.append(f"void {name}({', '.join('void *' for _ in names)});")
        main.append(f"  {name}({', '.join(names)});")
        for k, (shape, dtype) in enumerate(results):
            count = int(np.prod(shape)) if len(shape) else 1
            width = _BITS[dtype][2]
            main.append(f'  pulptrain_printf("R {i} {k}");')
            main.append(f"  for (unsigned j = 0; j < {count}; ++j)")
            main.append(f'    pulptrain_printf(" %0{width}x", '
                        f"(unsigned)out{i}_{k}[j]);")
            main.append('  pulptrain_printf("\\n");')
    main += ["  return 0;", "}"]
    harness = os.path.join(workdir, "harness.c")
    with open(harness, "w") as f:
        f.write("\n".join(lines + [""] + main) + "\n")
    elf = os.path.join(workdir, "module.elf")
    host._run([host._tool("pulptrain-cc"), "-O2", harness, obj, "-o", elf])
    out = host._run([host._tool("pulptrain-sim"), "-q", "--cores",
                     str(cores), elf])

    values = {}
    for line in out.splitlines():
        m = re.match(r"R (\d+) (\d+)((?: [0-9a-f]+)*)$", line)
        if m:
            values[(int(m.group(1)), int(m.group(2)))] = m.group(3).split()
    outputs = []
    for i, (_, _, results) in enumerate(calls):
        row = []
        for k, (shape, dtype) in enumerate(results):
            words = np.array([int(w, 16) for w in values[(i, k)]],
                             dtype=_BITS[dtype][1])
            buf = words.view(host.NUMPY_DTYPE[dtype]).reshape(tuple(shape))
            row.append(host.from_buffer(buf, dtype))
        outputs.append(row)
    return outputs
