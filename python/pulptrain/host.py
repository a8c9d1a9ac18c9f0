"""Compiles pulptrain MLIR for the host and calls it through ctypes.

The reference lowering (`pulptrain-opt --pulptrain-lower-to-llvm`) gives
every function one bare pointer per buffer: the operands first, then one
out-parameter per result. Buffers are numpy arrays; bf16 travels as its
uint16 bit pattern.
"""

import ctypes
import json
import os
import subprocess
import tempfile

import numpy as np
import torch


_RUNTIME_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)),
                            "..", "..", "runtime")


class ToolError(RuntimeError):
    pass


def _tool(name):
    bin_dir = os.environ.get("PULPTRAIN_BIN_DIR")
    if bin_dir:
        path = os.path.join(bin_dir, name)
        if os.path.exists(path):
            return path
    return name


def _run(cmd, stdin=None):
    try:
        proc = subprocess.run(cmd, input=stdin, capture_output=True,
                              text=True)
    except FileNotFoundError:
        raise ToolError(f"{cmd[0]} not found (set PULPTRAIN_BIN_DIR or PATH)")
    if proc.returncode != 0:
        raise ToolError(f"{' '.join(cmd)} failed:\n{proc.stderr}")
    return proc.stdout


def c_interface(mlir_text, path=None):
    """The C interface of the public functions of the tensor-level module
    `mlir_text`, as the compiler derives it (`pulptrain-translate
    --mlir-to-manifest`, the data of the C header): {function name: [one
    dict per C parameter, the arguments then the out-pointers of the
    results, with "kind", "index", "name", "role", "tensor", "trainable",
    "element_type", "c_type", "shape", "elements", "bytes", "buffer"]}.
    `path`, when given, is the file `mlir_text` was read from: the tool
    reads it instead, so that its diagnostics name the file."""
    cmd = [_tool("pulptrain-translate"), "--mlir-to-manifest"]
    if path is None:
        text = _run(cmd, stdin=mlir_text)
    else:
        text = _run(cmd + [path])
    manifest = json.loads(text)
    if manifest.get("format") != "pulptrain-manifest-1":
        raise ToolError(f"unexpected manifest format {manifest.get('format')!r}")
    return {f["name"]: f["params"] for f in manifest["functions"]}


def compile_module(mlir_text, workdir=None, opt_level=None, options=""):
    """Lowers, compiles and loads `mlir_text`; returns the ctypes library.

    Intermediate files go to `workdir` when given (and stay there), else to
    a temporary directory removed once the library is loaded. `opt_level`
    (0-3) is pulptrain-translate's -O; None keeps its default. `options`
    are pulptrain-lower-to-llvm options ("im2col=fwd")."""
    if workdir is None:
        with tempfile.TemporaryDirectory(prefix="pulptrain-") as tmp:
            return compile_module(mlir_text, tmp, opt_level, options)
    src = os.path.join(workdir, "module.mlir")
    llvm = os.path.join(workdir, "module.llvm.mlir")
    obj = os.path.join(workdir, "module.o")
    lib = os.path.join(workdir, "module.so")
    with open(src, "w") as f:
        f.write(mlir_text)
    pipeline = "--pulptrain-lower-to-llvm" + (f"={options}" if options else "")
    _run([_tool("pulptrain-opt"), src, pipeline, "-o", llvm])
    opt = [] if opt_level is None else ["-O", str(opt_level)]
    _run([_tool("pulptrain-translate"), "--mlir-to-object", "--target=host"]
         + opt + [llvm, "-o", obj])
    clang = os.environ.get("PULPTRAIN_CLANG", "clang-22")
    # LLVM may legalize bf16 operations with __truncsfbf2, which the host's
    # libgcc (GCC 12) lacks: link the runtime's host implementation.
    _run([clang, "-shared", "-fuse-ld=lld", "-fPIC", "-O2",
          "-I", os.path.join(_RUNTIME_DIR, "riscv32"),
          os.path.join(_RUNTIME_DIR, "host", "rt_host_softfp.c"), obj,
          "-o", lib, "-lm"])
    return ctypes.CDLL(lib)


# Storage dtypes of the element types.
NUMPY_DTYPE = {"f32": np.float32, "f16": np.float16, "bf16": np.uint16}
DTYPES = tuple(NUMPY_DTYPE)
TORCH_DTYPE = {"f32": torch.float32, "f16": torch.float16,
               "bf16": torch.bfloat16}


def to_buffer(t, dtype):
    """A contiguous numpy buffer holding tensor `t` in element type `dtype`."""
    t = t.detach().to(TORCH_DTYPE[dtype]).contiguous()
    if dtype == "bf16":
        return t.view(torch.int16).numpy().view(np.uint16).copy()
    return t.numpy().copy()


def from_buffer(buf, dtype):
    """The values of a buffer as a float64 torch tensor."""
    if dtype == "bf16":
        t = torch.from_numpy(buf.view(np.int16).copy()).view(torch.bfloat16)
        return t.to(torch.float64)
    return torch.from_numpy(buf.astype(np.float64))


def call_typed(lib, name, inputs, results):
    """Calls function `name` with `inputs`, (tensor, element type) pairs, and
    returns its `results`, (shape, element type) pairs, as float64 tensors."""
    args = [to_buffer(t, d) for t, d in inputs]
    outs = [np.zeros(tuple(shape), dtype=NUMPY_DTYPE[d])
            for shape, d in results]
    fn = getattr(lib, name)
    fn.restype = None
    fn(*[ctypes.c_void_p(a.ctypes.data) for a in args + outs])
    return [from_buffer(o, d) for o, (_, d) in zip(outs, results)]
