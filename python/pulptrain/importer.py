"""Imports a PyTorch `nn.Module` into a pulptrain forward model (MLIR text).

The model is traced with `torch.fx` (symbolic tracing; `torch.nn` modules are
leaves), its shapes are propagated with a batch-1 example input, and every
graph node becomes one pulptrain op on unbatched (CHW or vector) tensors, as
docs/TrainStep.md fixes:

  - `func.func @forward` takes the input (`pulptrain.input`) and the
    parameters in the order the forward pass first uses them
    (`pulptrain.param`, `pulptrain.trainable`) and returns the model output;
  - every op carries `pulptrain.layer` and a location naming the layer and,
    when `torch.fx` recorded it, the line of the model source that created
    it;
  - `func.func @init_params` returns the parameter values (rounded to the
    element type) as hexadecimal `arith.constant`s, in the same order.

Supported: Conv2d (stride, padding, groups, bias, dilation), Linear,
ReLU, LeakyReLU, ReLU6, Hardswish, Hardsigmoid, Sigmoid, Tanh, Softmax,
MaxPool2d and AvgPool2d (with ceil_mode and count_include_pad),
AdaptiveAvgPool2d (any output size),
InstanceNorm2d (affine), BatchNorm2d (training mode: batch statistics and
running statistics as buffers; eval mode: folded into a frozen Conv2d, or a
per-channel scale and shift), Dropout (training mode: a counter-based mask,
python/pulptrain/dropout.py; eval mode: the identity), Flatten and
view/reshape that merge or split adjacent dimensions, residual `+`, `x * c`,
`x + c` and `x - c` with a number `c`, Identity, and the functional forms
(F.relu, F.leaky_relu, F.relu6, F.hardswish, F.hardsigmoid, F.dropout,
torch.sigmoid, torch.tanh, F.softmax, F.max_pool2d, F.avg_pool2d,
F.adaptive_avg_pool2d, torch.flatten, torch.add, torch.mul, F.linear and
F.conv2d on parameters). Anything
else raises ModelImportError naming the module type or function, the fx node and
the source line.

  from pulptrain import importer
  m = importer.import_model(model, (8, 8, 8), dtype="f32")
  print(m.mlir)
"""

import inspect
import linecache
import operator
import os
import re
import sys
import traceback
import weakref
from dataclasses import dataclass, field

import torch
import torch.fx as fx
import torch.nn as nn
import torch.nn.functional as F

from pulptrain import host

DTYPES = host.DTYPES

_TORCH_DIR = os.path.dirname(torch.__file__)


class ModelImportError(Exception):
    """The model uses something the importer cannot express. The message
    names the module type or function, the fx node and the source line."""


@dataclass
class Param:
    name: str              # PyTorch name ("conv1.weight")
    tensor: torch.Tensor   # the nn.Parameter
    trainable: bool
    arg: str = ""          # SSA name of the forward argument

    @property
    def layer(self):
        return layer_of(self.name)

    @property
    def shape(self):
        return tuple(self.tensor.shape)


@dataclass
class Buffer:
    """Training state that is not trained: a BatchNorm2d running statistic,
    updated by the forward pass in training mode (pulptrain.buffer)."""
    name: str              # PyTorch name ("bn.running_mean")
    tensor: torch.Tensor   # the module's buffer
    arg: str = ""          # SSA name of the forward argument

    @property
    def shape(self):
        return tuple(self.tensor.shape)


@dataclass
class _Const:
    """A constant operand of the forward function (folded BatchNorm)."""
    arg: str
    shape: tuple


@dataclass
class ImportedModel:
    mlir: str                        # forward (+ init_params) module text
    params: list                     # [Param], forward argument order
    input_name: str
    input_shape: tuple               # unbatched (one sample)
    output_shape: tuple              # unbatched
    dtype: str
    forward_name: str = "forward"
    layers: list = field(default_factory=list)  # pulptrain.layer of each op
    buffers: list = field(default_factory=list)  # [Buffer], argument order
    batch: int = 0                   # samples per step (0: unbatched)
    dropouts: int = 0                # pulptrain.dropout ops (training mode)

    def batched(self, shape):
        """The step's shape of a per-sample `shape` (input, label)."""
        return ((self.batch,) if self.batch else ()) + tuple(shape)

    @property
    def trainable_params(self):
        return [p for p in self.params if p.trainable]


def layer_of(param_name):
    """The layer of a parameter: its name up to the last '.'."""
    return param_name.rpartition(".")[0] or param_name


#===----------------------------------------------------------------------===#
# MLIR text helpers
#===----------------------------------------------------------------------===#

def tensor_type(shape, dtype):
    return "tensor<" + "".join(f"{d}x" for d in shape) + dtype + ">"


def mlir_str(s):
    """A quoted MLIR string literal."""
    out = []
    for ch in s:
        if ch == '"' or ch == "\\":
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.extend(f"\\{b:02X}" for b in ch.encode("utf-8"))
    return '"' + "".join(out) + '"'


def mlir_float(x):
    """A float attribute value that round-trips the double exactly."""
    r = repr(float(x))
    if r in ("inf", "-inf", "nan"):
        raise ValueError(f"non-finite attribute value {r}")
    if "." not in r:
        mant, e, exp = r.partition("e")
        r = mant + ".0" + (e + exp if e else "")
    return r + " : f64"


def hex_dense(t, dtype):
    """`dense<"0x...">` with the raw little-endian data of `t` in `dtype`."""
    buf = host.to_buffer(t, dtype)
    le = {"f32": "<f4", "f16": "<f2", "bf16": "<u2"}[dtype]
    return 'dense<"0x' + buf.astype(le).tobytes().hex().upper() + '">'


def _ident(name, taken):
    """A unique SSA name (without %) for `name`."""
    s = re.sub(r"[^A-Za-z0-9_$.\-]", "_", name) or "v"
    if not re.match(r"[A-Za-z_$.\-]", s):
        s = "_" + s
    base, i = s, 1
    while s in taken:
        s = f"{base}_{i}"
        i += 1
    taken.add(s)
    return s


#===----------------------------------------------------------------------===#
# Source locations
#===----------------------------------------------------------------------===#

_FRAME = re.compile(r'File "(?P<file>[^"]+)", line (?P<line>\d+), in '
                    r'(?P<fn>[^\n]*)\n(?P<code>[^\n]*)')

# Frames of these directories are the machinery, not the user's model:
# torch, this package and the command-line tools of the source tree.
_MACHINERY = (_TORCH_DIR + os.sep,
              os.path.dirname(os.path.abspath(__file__)) + os.sep,
              os.path.normpath(os.path.join(os.path.dirname(
                  os.path.abspath(__file__)), os.pardir, os.pardir,
                  "tools")) + os.sep)

# The frames of torch.fx and of this package's tracer, which wrap every call.
_TRACER_DIRS = (os.path.dirname(os.path.abspath(fx.__file__)) + os.sep,
                _MACHINERY[1])

# Where each module of a model file was constructed: (file, line, column,
# code), recorded by `_recording_definitions` while the file is loaded.
_DEFINED_AT = weakref.WeakKeyDictionary()


def _is_machinery(path):
    """Whether a frame's file is no model source: torch, pulptrain, or no
    file at all ("<frozen runpy>", "<string>")."""
    return os.path.abspath(path).startswith(_MACHINERY) or \
        not os.path.isfile(path)


def _frame_source(path, line, code=None):
    """(file, line, column, code) of a source line; the column is the
    line's indentation (tracebacks do not record one)."""
    text = linecache.getline(path, line)
    col = len(text) - len(text.lstrip()) + 1 if text.strip() else 1
    return path, line, col, (code if code is not None else text.strip())


def _user_frames(trace):
    """The frames of an fx stack trace (innermost first) as (file, line,
    code, is_machinery)."""
    return [(m.group("file"), int(m.group("line")), m.group("code").strip(),
             _is_machinery(m.group("file")))
            for m in _FRAME.finditer(trace)]


def source_of(node):
    """(file, line, column, code) of the model source line that created the
    fx node, or None: the innermost frame of its stack trace outside torch
    and pulptrain. A module called by torch itself (a layer of an
    nn.Sequential) has no such frame of its own; it is located where the
    model file constructed it."""
    trace = node.stack_trace or node.meta.get("stack_trace") or ""
    frames = _user_frames(trace)
    module = node.meta.get("pulptrain_module")
    # The caller of a module: the first frame after the tracer's own.
    caller = next((f for f in frames if not os.path.abspath(f[0]).startswith(
        _TRACER_DIRS)), None)
    if module is not None and module in _DEFINED_AT and \
            (caller is None or caller[3]):
        return _DEFINED_AT[module]
    for path, line, code, machinery in frames:
        if not machinery:
            return _frame_source(path, line, code)
    # Code of torch itself (the forward of a root nn.Linear): the model.
    root = node.meta.get("pulptrain_root")
    return _DEFINED_AT.get(root) if root is not None else None


class _recording_definitions:
    """Within the block, records in _DEFINED_AT where every nn.Module is
    constructed: the innermost frame outside torch and pulptrain."""

    def __enter__(self):
        self.init = nn.Module.__init__
        init = self.init

        def recording_init(module, *args, **kwargs):
            init(module, *args, **kwargs)
            frame = sys._getframe(1)
            while frame is not None and \
                    _is_machinery(frame.f_code.co_filename):
                frame = frame.f_back
            if frame is not None and module not in _DEFINED_AT:
                _DEFINED_AT[module] = _frame_source(frame.f_code.co_filename,
                                                    frame.f_lineno)

        nn.Module.__init__ = recording_init
        return self

    def __exit__(self, *exc):
        nn.Module.__init__ = self.init
        return False


def _describe(node):
    """'fx node NAME: OP TARGET', for diagnostics."""
    if node.op in ("call_function",):
        target = _callable_name(node.target)
    else:
        target = str(node.target)
    return f"fx node '{node.name}': {node.op} {target}"


def _callable_name(fn):
    mod = getattr(fn, "__module__", None) or ""
    name = getattr(fn, "__qualname__", None) or getattr(fn, "__name__", None)
    if name is None:
        return repr(fn)
    if "<locals>" in name or name.startswith("_VariableFunctionsClass."):
        name = getattr(fn, "__name__", name)
    if mod == "_operator":
        mod = "operator"
    if name.startswith("_VariableFunctionsClass") or (not mod and
                                                      hasattr(torch, name)):
        mod = "torch"
    return f"{mod}.{name}" if mod else name


def _error(node, what):
    """A ModelImportError at `node`: 'FILE:LINE:COL: error: WHAT (fx node ...)'
    and the source line."""
    src = source_of(node)
    where = f"{src[0]}:{src[1]}:{src[2]}: " if src else ""
    msg = f"{where}error: {what} ({_describe(node)})"
    if src:
        msg += f"\n    {src[3]}"
    return ModelImportError(msg)


#===----------------------------------------------------------------------===#
# The importer
#===----------------------------------------------------------------------===#

# The torch.nn modules the importer translates (see _Importer.call_module).
SUPPORTED_MODULES = (nn.Conv2d, nn.Linear, nn.ReLU, nn.LeakyReLU, nn.Sigmoid,
                     nn.Tanh, nn.Softmax, nn.MaxPool2d, nn.AvgPool2d,
                     nn.AdaptiveAvgPool2d, nn.InstanceNorm2d, nn.Flatten,
                     nn.Unflatten, nn.Identity, nn.Hardtanh, nn.Hardswish,
                     nn.Hardsigmoid, nn.Dropout, nn.BatchNorm2d)


@dataclass
class DropoutCall:
    """A dropout of the traced graph: its fx node, input node, probability,
    mode and seed (its position among the graph's dropouts: the importer
    gives the op this seed, the golden model draws the same mask)."""
    node: fx.Node
    input: object
    p: float
    training: bool
    inplace: bool
    seed: int

    @property
    def active(self):
        """Whether it drops anything (training mode, p > 0); otherwise it is
        the identity."""
        return self.training and self.p > 0


def dropout_calls(graph, modules):
    """The DropoutCall of every nn.Dropout and F.dropout node of `graph`
    (module path -> module in `modules`), in graph order."""
    calls = []
    for node in graph.nodes:
        if node.op == "call_module" and \
                isinstance(modules.get(node.target), nn.Dropout):
            mod = modules[node.target]
            if len(node.args) != 1 or node.kwargs:
                continue  # rejected by the importer
            calls.append(DropoutCall(node, node.args[0], float(mod.p),
                                     mod.training, mod.inplace, len(calls)))
        elif node.op == "call_function" and node.target is F.dropout:
            try:
                a = _bind(node, ["input", "p", "training", "inplace"],
                          {"p": 0.5, "training": True, "inplace": False})
            except ModelImportError:
                continue  # rejected by the importer
            calls.append(DropoutCall(node, a["input"], a["p"],
                                     a["training"], a["inplace"],
                                     len(calls)))
    return calls


def _unsupported_module(node, module):
    cls = type(module)
    return _error(node, f"unsupported module type {cls.__name__} "
                        f"({cls.__module__}.{cls.__qualname__}) of layer "
                        f"'{node.target}'")


class _Tracer(fx.Tracer):
    record_stack_traces = True

    def call_module(self, m, forward, args, kwargs):
        """Records the module of every leaf call, and rejects unsupported
        leaves while tracing: what the model does with their results (an
        LSTM's tuple, unpacked) may not be traceable at all."""
        path = self.path_of_module(m)
        if not self.is_leaf_module(m, path):
            return super().call_module(m, forward, args, kwargs)
        proxy = super().call_module(m, forward, args, kwargs)
        proxy.node.meta["pulptrain_module"] = m
        if not isinstance(m, SUPPORTED_MODULES):
            raise _unsupported_module(proxy.node, m)
        return proxy


class _ShapeRecorder(fx.Interpreter):
    """Runs the traced model on a batch-1 example input and records the
    shape of every tensor result in node.meta["pulptrain_shape"]."""

    def run_node(self, n):
        try:
            result = super().run_node(n)
        except ModelImportError:
            raise
        except Exception as e:  # noqa: BLE001 - reported with the node
            err = _error(n, f"running the model on the example input "
                            f"failed: {type(e).__name__}: {e}")
            err.diagnostic = str(err)
            raise err from None
        if isinstance(result, torch.Tensor):
            n.meta["pulptrain_shape"] = tuple(result.shape)
        return result


@dataclass
class _Value:
    name: str      # SSA name without %
    shape: tuple   # unbatched shape


def _pair(v):
    if isinstance(v, (tuple, list)):
        if len(v) != 2:
            raise ValueError(f"expected 2 values, got {v!r}")
        return tuple(int(x) for x in v)
    return (int(v), int(v))


def _bind(node, names, defaults):
    """node.args/kwargs bound to parameter `names`; missing ones from
    `defaults` (a dict). Unknown keyword arguments raise."""
    out = dict(defaults)
    if len(node.args) > len(names):
        raise _error(node, f"too many arguments for "
                           f"{_callable_name(node.target)}")
    for n, a in zip(names, node.args):
        out[n] = a
    for k, v in node.kwargs.items():
        if k not in names:
            raise _error(node, f"unsupported keyword argument '{k}'")
        out[k] = v
    for n in names:
        if n not in out:
            raise _error(node, f"missing argument '{n}'")
    return out


class _Importer:
    def __init__(self, model, input_shape, dtype, trainable, forward_name):
        if dtype not in DTYPES:
            raise ValueError(f"unknown element type {dtype!r} "
                             f"(one of {', '.join(DTYPES)})")
        self.model = model
        # A mini-batch (B, C, H, W): the forward function takes one
        # sample; the training step accumulates over the B samples.
        self.batch, self.input_shape = split_batch(
            check_input_shape(input_shape))
        self.dtype = dtype
        self.trainable = None if trainable is None else list(trainable)
        self.forward_name = forward_name
        self.modules = dict(model.named_modules())
        self.named_params = dict(model.named_parameters())
        self.params = {}          # name -> Param, in first-use order
        self.buffers = {}         # name -> Buffer, in first-use order
        self.bn_folds = {}        # conv fx node -> (its BatchNorm2d node)
        self.taken = set()
        self.lines = []
        self.layers = []
        self.env = {}             # fx node -> _Value
        self.calls = {}           # module path -> number of call nodes

    # -- tracing -----------------------------------------------------------

    def trace(self):
        try:
            graph = _Tracer().trace(self.model)
        except ModelImportError:
            raise
        except Exception as e:  # noqa: BLE001 - re-raised with context
            raise ModelImportError(
                f"error: torch.fx cannot trace {type(self.model).__name__}: "
                f"{type(e).__name__}: {e}") from e
        gm = fx.GraphModule(self.model, graph)
        for n in graph.nodes:
            n.meta["pulptrain_root"] = self.model
        placeholders = [n for n in graph.nodes if n.op == "placeholder"]
        if len(placeholders) != 1:
            raise ModelImportError(
                f"error: the model's forward takes {len(placeholders)} "
                f"inputs ({', '.join(n.name for n in placeholders)}); "
                f"exactly one is supported")
        pdtype = next((p.dtype for p in self.model.parameters()),
                      torch.float32)
        example = torch.randn((1,) + self.input_shape, dtype=pdtype,
                              generator=torch.Generator().manual_seed(0))
        # Eval mode for the shapes: no running statistics get updated.
        modes = {m: m.training for m in self.model.modules()}
        try:
            gm.eval()
            with torch.no_grad():
                _ShapeRecorder(gm).run(example)
        except ModelImportError as e:
            # fx appends its own traceback to the message; keep ours.
            raise ModelImportError(getattr(e, "diagnostic", str(e))) \
                from None
        finally:
            for m, training in modes.items():
                m.training = training
        for n in graph.nodes:
            if n.op == "call_module":
                self.calls[n.target] = self.calls.get(n.target, 0) + 1
        return gm, graph

    # -- helpers -----------------------------------------------------------

    def shape(self, node):
        """The unbatched shape of a node's result."""
        shape = node.meta.get("pulptrain_shape")
        if shape is None:
            raise _error(node, "the node does not produce a single tensor")
        if not shape or shape[0] != 1:
            raise _error(node, f"result shape {list(shape)} has no batch "
                               f"dimension of size 1 (batch dimension merged "
                               f"or dropped)")
        return shape[1:]

    def type(self, shape):
        return tensor_type(shape, self.dtype)

    def value(self, node, arg):
        """The _Value of a tensor argument of `node`."""
        if not isinstance(arg, fx.Node) or arg not in self.env:
            raise _error(node, f"argument {arg!r} is not a tensor computed by "
                               f"the model (constants are not supported)")
        v = self.env[arg]
        if isinstance(v, Param):
            raise _error(node, f"parameter '{v.name}' is used as a feature "
                               f"map")
        return v

    def param(self, node, name):
        if name not in self.named_params:
            raise _error(node, f"'{name}' is not a parameter of the model "
                               f"(buffers and constants are not supported)")
        p = self.params.get(name)
        if p is None:
            t = self.named_params[name]
            p = Param(name, t, bool(t.requires_grad))
            p.arg = _ident(name, self.taken)
            self.params[name] = p
        return p

    def param_arg(self, node, arg):
        """A parameter passed as an fx get_attr node (functional forms)."""
        if isinstance(arg, fx.Node) and isinstance(self.env.get(arg), Param):
            return self.env[arg]
        raise _error(node, "the weight/bias must be a parameter of the model")

    def layer(self, node):
        if node.op == "call_module":
            mod = self.modules[node.target]
            has_params = any(True for _ in mod.parameters(recurse=False))
            if self.calls.get(node.target, 0) > 1 and not has_params:
                return node.name
            return node.target
        return node.name

    def loc(self, node, layer):
        src = source_of(node)
        if src:
            return (f"loc({mlir_str(layer)}({mlir_str(src[0])}:{src[1]}:"
                    f"{src[2]}))")
        return f"loc({mlir_str(layer)})"

    def emit(self, node, op, operands, extra_attrs, type_text, shape,
             pre_attrs=""):
        """Emits `%res = op operands pre_attrs {extra, layer} : type loc` and
        binds the node to the result."""
        layer = self.layer(node)
        res = _ident(node.name, self.taken)
        attrs = list(extra_attrs) + [f"pulptrain.layer = {mlir_str(layer)}"]
        ops = ", ".join(f"%{o}" for o in operands)
        text = f"  %{res} = {op} {ops}"
        if pre_attrs:
            text += f" {pre_attrs}"
        text += f" {{{', '.join(attrs)}}} : {type_text}"
        self.lines.append(f"{text}\n      {self.loc(node, layer)}")
        self.layers.append(layer)
        self.env[node] = _Value(res, tuple(shape))

    def check_inplace(self, node, inplace, src):
        """An in-place op is fine when nothing reads its input afterwards."""
        if not inplace:
            return
        order = {n: i for i, n in enumerate(node.graph.nodes)}
        later = [u for u in src.users if u is not node and
                 order[u] > order[node]]
        if later:
            raise _error(node, f"in-place operation overwrites '{src.name}', "
                               f"which '{later[0].name}' reads afterwards")

    # -- op builders -------------------------------------------------------

    def conv2d(self, node, x, weight, bias, stride, padding, dilation, groups,
               padding_mode="zeros"):
        if padding_mode != "zeros":
            raise _error(node, f"Conv2d padding_mode '{padding_mode}' is not "
                               f"supported (only 'zeros')")
        dil = _pair(dilation)
        kh, kw = weight.shape[2], weight.shape[3]
        if isinstance(padding, str):
            if padding == "valid":
                pad = (0, 0, 0, 0)
            elif padding == "same":
                th, tw = dil[0] * (kh - 1), dil[1] * (kw - 1)
                pad = (th // 2, th - th // 2, tw // 2, tw - tw // 2)
            else:
                raise _error(node, f"Conv2d padding '{padding}'")
        else:
            ph, pw = _pair(padding)
            pad = (ph, ph, pw, pw)
        sh, sw = _pair(stride)
        xv = self.value(node, x)
        if len(xv.shape) != 3:
            raise _error(node, f"Conv2d input must be [C, H, W], got "
                               f"{list(xv.shape)}")
        out = self.shape(node)
        operands = [xv.name, weight.arg] + ([bias.arg] if bias else [])
        types = [self.type(xv.shape), self.type(weight.shape)] + \
            ([self.type(bias.shape)] if bias else [])
        geo = (f"stride [{sh}, {sw}] padding [{pad[0]}, {pad[1]}, {pad[2]}, "
               f"{pad[3]}]")
        if groups != 1:
            geo += f" groups {groups}"
        attrs = [f"dilation = array<i64: {dil[0]}, {dil[1]}>"] \
            if dil != (1, 1) else []
        self.emit(node, "pulptrain.conv2d", operands, attrs,
                  f"({', '.join(types)}) -> {self.type(out)}", out,
                  pre_attrs=geo)

    def linear(self, node, x, weight, bias):
        xv = self.value(node, x)
        if len(xv.shape) != 1:
            raise _error(node, f"Linear input must be a vector (flatten the "
                               f"feature map first), got {list(xv.shape)}")
        out = self.shape(node)
        operands = [xv.name, weight.arg] + ([bias.arg] if bias else [])
        types = [self.type(xv.shape), self.type(weight.shape)] + \
            ([self.type(bias.shape)] if bias else [])
        self.emit(node, "pulptrain.linear", operands, [],
                  f"({', '.join(types)}) -> {self.type(out)}", out)

    def unary(self, node, op, x, attrs=()):
        xv = self.value(node, x)
        self.emit(node, f"pulptrain.{op}", [xv.name], list(attrs),
                  self.type(xv.shape), xv.shape)

    def softmax(self, node, x, dim):
        xv = self.value(node, x)
        if dim is None:
            raise _error(node, "softmax needs an explicit dim")
        rank = len(xv.shape) + 1   # batched rank
        d = dim + rank if dim < 0 else dim
        if d == 0 or not 0 < d < rank:
            raise _error(node, f"softmax over dim {dim} (the batch "
                               f"dimension or out of range) is not supported")
        self.unary(node, "softmax", x, [f"axis = {d - 1} : i64"])

    def pool(self, node, kind, x, kernel, stride, padding, dilation=1,
             ceil_mode=False, count_include_pad=True, divisor_override=None,
             return_indices=False):
        xv = self.value(node, x)
        if len(xv.shape) != 3:
            raise _error(node, f"pooling input must be [C, H, W], got "
                               f"{list(xv.shape)}")
        kh, kw = _pair(kernel)
        sh, sw = _pair(stride if stride not in (None, []) else kernel)
        ph, pw = _pair(padding)
        if _pair(dilation) != (1, 1):
            raise _error(node, "pooling with dilation is not supported")
        if return_indices:
            raise _error(node, "max pooling with return_indices is not "
                               "supported")
        if divisor_override is not None:
            raise _error(node, "avg pooling with divisor_override is not "
                               "supported")
        out = self.shape(node)
        _, h, w = xv.shape
        floor = ((h + 2 * ph - kh) // sh + 1, (w + 2 * pw - kw) // sw + 1)
        attrs = []
        # Only where they change something: ceil_mode where it changes the
        # output size, count_include_pad=False where there is padding (or
        # windows past it).
        if ceil_mode and tuple(out[1:]) != floor:
            attrs.append("ceil_mode = true")
        if kind == "avg" and not count_include_pad and \
                (ph or pw or attrs):
            attrs.append("count_include_pad = false")
        geo = (f"kernel [{kh}, {kw}] stride [{sh}, {sw}] padding "
               f"[{ph}, {ph}, {pw}, {pw}]")
        self.emit(node, f"pulptrain.{kind}pool2d", [xv.name], attrs,
                  f"({self.type(xv.shape)}) -> {self.type(out)}", out,
                  pre_attrs=geo)

    def adaptive_avg_pool(self, node, x, output_size):
        xv = self.value(node, x)
        if len(xv.shape) != 3:
            raise _error(node, f"pooling input must be [C, H, W], got "
                               f"{list(xv.shape)}")
        _, h, w = xv.shape
        if not isinstance(output_size, (tuple, list)):
            output_size = (output_size, output_size)
        oh = h if output_size[0] is None else int(output_size[0])
        ow = w if output_size[1] is None else int(output_size[1])
        if h % oh or w % ow:
            # Windows of different sizes: the adaptive op.
            out = self.shape(node)
            self.emit(node, "pulptrain.adaptive_avgpool2d", [xv.name], [],
                      f"({self.type(xv.shape)}) -> {self.type(out)}", out)
            return
        k = (h // oh, w // ow)
        self.pool(node, "avg", x, k, k, 0)

    def instance_norm(self, node, mod, x):
        if mod.track_running_stats:
            raise _error(node, "InstanceNorm2d(track_running_stats=True) is "
                               "not supported (the statistics are always "
                               "those of the instance)")
        xv = self.value(node, x)
        if len(xv.shape) != 3:
            raise _error(node, f"InstanceNorm2d input must be [C, H, W], got "
                               f"{list(xv.shape)}")
        ft, vt = self.type(xv.shape), self.type((xv.shape[0],))
        if mod.affine:
            gamma = self.param(node, f"{node.target}.weight").arg
            beta = self.param(node, f"{node.target}.bias").arg
        else:
            # Without affine parameters: gamma 1 and beta 0, constants of
            # the forward function (no gradient; y = xhat * 1 + 0 = xhat).
            gamma = _ident(f"{node.name}_ones", self.taken)
            beta = _ident(f"{node.name}_zeros", self.taken)
            loc = self.loc(node, self.layer(node))
            self.lines.append(f"  %{gamma} = arith.constant dense<1.0> : "
                              f"{vt}\n      {loc}")
            self.lines.append(f"  %{beta} = arith.constant dense<0.0> : "
                              f"{vt}\n      {loc}")
        self.emit(node, "pulptrain.instance_norm", [xv.name, gamma, beta],
                  [f"eps = {mlir_float(mod.eps)}"],
                  f"({ft}, {vt}, {vt}) -> {ft}", xv.shape)

    # -- BatchNorm2d ---------------------------------------------------------

    def is_trainable(self, name):
        """Whether parameter `name` will be trained (the trainable layers
        given to the import, else requires_grad)."""
        if self.trainable is not None:
            return layer_of(name) in self.trainable
        return bool(self.named_params[name].requires_grad)

    @staticmethod
    def bn_uses_batch_stats(mod):
        """PyTorch's rule: batch statistics in training mode, and always
        without running statistics."""
        return mod.training or mod.running_mean is None

    def bn_eval(self, mod, path):
        return not mod.affine or not any(
            self.is_trainable(f"{path}.{n}") for n in ("weight", "bias"))

    @staticmethod
    def bn_scale_shift(mod):
        """Eval-mode BatchNorm2d as y = x * scale + shift per channel
        (float64)."""
        rstd = 1.0 / torch.sqrt(mod.running_var.double() + mod.eps)
        gamma = mod.weight.detach().double() if mod.affine else 1.0
        beta = mod.bias.detach().double() if mod.affine else 0.0
        scale = gamma * rstd
        shift = beta - mod.running_mean.double() * scale
        return scale, shift

    def find_bn_folds(self, graph):
        """Conv2d -> BatchNorm2d pairs folded at import: the BatchNorm in
        eval mode with frozen (or no) affine parameters, the convolution's
        parameters frozen too and its output read by the BatchNorm only.
        Then both are constants the importer knows, and the convolution
        with its weight scaled and its bias shifted per output channel
        computes the same function."""
        for node in graph.nodes:
            if node.op != "call_module":
                continue
            bn = self.modules[node.target]
            if not isinstance(bn, nn.BatchNorm2d) or \
                    self.bn_uses_batch_stats(bn) or \
                    not self.bn_eval(bn, node.target) or len(node.args) != 1:
                continue
            src = node.args[0]
            if not isinstance(src, fx.Node) or src.op != "call_module" or \
                    len(src.users) != 1 or self.calls.get(src.target, 0) != 1:
                continue
            conv = self.modules[src.target]
            if not isinstance(conv, nn.Conv2d) or any(
                    self.is_trainable(f"{src.target}.{n}")
                    for n, _ in conv.named_parameters(recurse=False)):
                continue
            self.bn_folds[src] = node

    def constant(self, node, name, tensor):
        """An arith.constant of `tensor` (rounded to the element type) in
        the forward function; returns a _Const operand."""
        arg = _ident(name, self.taken)
        loc = self.loc(node, self.layer(node))
        shape = tuple(tensor.shape)
        self.lines.append(f"  %{arg} = arith.constant "
                          f"{hex_dense(tensor, self.dtype)} : "
                          f"{self.type(shape)}\n      {loc}")
        return _Const(arg, shape)

    def folded_conv(self, node, mod, x):
        """A frozen Conv2d whose BatchNorm2d (eval, frozen) is folded into
        it: weight * scale[co], (bias - mean) * scale + beta, as constants."""
        bn = self.modules[self.bn_folds[node].target]
        scale, shift = self.bn_scale_shift(bn)
        w = mod.weight.detach().double() * scale.reshape(-1, 1, 1, 1)
        b = shift
        if mod.bias is not None:
            b = mod.bias.detach().double() * scale + shift
        wc = self.constant(node, f"{node.name}_folded_weight", w)
        bc = self.constant(node, f"{node.name}_folded_bias", b)
        self.conv2d(node, x, wc, bc, mod.stride, mod.padding, mod.dilation,
                    mod.groups, mod.padding_mode)

    def buffer(self, name, tensor):
        b = self.buffers.get(name)
        if b is None:
            b = Buffer(name, tensor)
            b.arg = _ident(name, self.taken)
            self.buffers[name] = b
        return b

    def batch_norm_eval_trained(self, node, mod, x):
        """Eval-mode BatchNorm2d whose weight or bias trains: the constant
        normalization by the running statistics, xhat = x * rstd - mean *
        rstd, then y = xhat * gamma + beta per channel, each a depthwise
        1x1 convolution; gamma [C] enters the second as its weight
        [C, 1, 1, 1] (tensor.expand_shape), so that the convolution's
        weight and bias gradients are gamma's and beta's."""
        path = node.target
        c = self.value(node, x).shape[0]
        rstd = 1.0 / torch.sqrt(mod.running_var.double() + mod.eps)
        wc = self.constant(node, f"{node.name}_rstd", rstd.reshape(c, 1, 1, 1))
        bc = self.constant(node, f"{node.name}_shift",
                           -mod.running_mean.double() * rstd)
        self.conv2d(node, x, wc, bc, 1, 0, 1, c)
        gamma = self.param(node, f"{path}.weight")
        beta = self.param(node, f"{path}.bias")
        g4 = _ident(f"{node.name}_gamma", self.taken)
        loc = self.loc(node, self.layer(node))
        self.lines.append(
            f"  %{g4} = tensor.expand_shape %{gamma.arg} [[0, 1, 2, 3]] "
            f"output_shape [{c}, 1, 1, 1] {{pulptrain.layer = "
            f"{mlir_str(self.layer(node))}}} : {self.type((c,))} into "
            f"{self.type((c, 1, 1, 1))}\n      {loc}")
        self.conv2d(node, node, _Const(g4, (c, 1, 1, 1)), beta, 1, 0, 1, c)

    def batch_norm(self, node, mod, x):
        path = node.target
        xv = self.value(node, x)
        if len(xv.shape) != 3:
            raise _error(node, f"BatchNorm2d input must be [C, H, W], got "
                               f"{list(xv.shape)}")
        src = x if isinstance(x, fx.Node) else None
        if src in self.bn_folds:
            # Folded into the convolution that produced x.
            self.env[node] = xv
            return
        c, h, w = xv.shape
        ft, vt = self.type(xv.shape), self.type((c,))
        loc = self.loc(node, self.layer(node))
        if not self.bn_uses_batch_stats(mod):
            # Eval mode with running statistics.
            if not self.bn_eval(mod, path):
                self.batch_norm_eval_trained(node, mod, x)
                return
            # y = x * scale + shift per channel: a depthwise 1x1
            # convolution with constant weight and bias.
            scale, shift = self.bn_scale_shift(mod)
            wc = self.constant(node, f"{node.name}_scale",
                               scale.reshape(c, 1, 1, 1))
            bc = self.constant(node, f"{node.name}_shift", shift)
            self.conv2d(node, x, wc, bc, 1, 0, 1, c)
            return
        # Training mode: batch statistics (over H x W at batch 1).
        if h * w < 2:
            raise _error(node, f"BatchNorm2d in training mode needs more "
                               f"than one value per channel, got a "
                               f"{h}x{w} map (PyTorch rejects it too)")
        if mod.running_mean is not None and mod.momentum is None:
            raise _error(node, "BatchNorm2d(momentum=None) (a cumulative "
                               "moving average of the running statistics) "
                               "is not supported")
        if mod.affine:
            gamma = self.param(node, f"{path}.weight").arg
            beta = self.param(node, f"{path}.bias").arg
        else:
            gamma = _ident(f"{node.name}_ones", self.taken)
            beta = _ident(f"{node.name}_zeros", self.taken)
            self.lines.append(f"  %{gamma} = arith.constant dense<1.0> : "
                              f"{vt}\n      {loc}")
            self.lines.append(f"  %{beta} = arith.constant dense<0.0> : "
                              f"{vt}\n      {loc}")
        if mod.running_mean is not None:
            rm = self.buffer(f"{path}.running_mean", mod.running_mean)
            rv = self.buffer(f"{path}.running_var", mod.running_var)
            res = _ident(f"{node.name}_stats", self.taken)
            self.lines.append(
                f"  %{res}:2 = pulptrain.batch_norm_running_stats %{xv.name}, "
                f"%{rm.arg}, %{rv.arg} {{momentum = "
                f"{mlir_float(mod.momentum)}, pulptrain.layer = "
                f"{mlir_str(self.layer(node))}}} : ({ft}, {vt}, {vt}) -> "
                f"({vt}, {vt})\n      {loc}")
        self.emit(node, "pulptrain.batch_norm", [xv.name, gamma, beta],
                  [f"eps = {mlir_float(mod.eps)}"],
                  f"({ft}, {vt}, {vt}) -> {ft}", xv.shape)

    def dropout(self, node):
        """nn.Dropout / F.dropout: in training mode the op with the call's
        seed, in eval mode (or p = 0) the identity."""
        # PyTorch itself rejects (while the shapes are recorded) a p
        # outside [0, 1] and a training flag that is no constant bool.
        call = self.dropouts[node]
        self.check_inplace(node, call.inplace, call.input)
        if not call.active:
            self.env[node] = self.value(node, call.input)
            return
        self.unary(node, "dropout", call.input,
                   [f"p = {mlir_float(call.p)}", f"seed = {call.seed} : i64"])
        self.active_dropouts += 1

    def scalar_op(self, node, kind, a, b):
        """`x * c`, `c * x`, `x + c`, `c + x` and `x - c` with a number `c`:
        pulptrain.mul_scalar / add_scalar. Returns False when neither
        operand is a number (a tensor op)."""
        def number(v):
            return isinstance(v, (int, float)) and not isinstance(v, bool)
        if kind == "sub":
            if number(a):
                raise _error(node, "subtracting a tensor from a number is "
                                   "not supported (write -1 * x + c)")
            if not number(b):
                raise _error(node, "subtraction of two tensors is not "
                                   "supported")
            kind, b = "add", -b
        if number(a) and not number(b):
            a, b = b, a
        if not number(b):
            return False
        c = float(b)
        if c != c or c in (float("inf"), float("-inf")):
            raise _error(node, f"scalar {c} must be finite")
        self.unary(node, f"{kind}_scalar", a, [f"scalar = {mlir_float(c)}"])
        return True

    def mul(self, node, a, b):
        if not self.scalar_op(node, "mul", a, b):
            raise _error(node, "element-wise multiplication of two tensors "
                               "is not supported (only by a number)")

    def add(self, node, a, b):
        if self.scalar_op(node, "add", a, b):
            return
        av, bv = self.value(node, a), self.value(node, b)
        if av.shape != bv.shape:
            raise _error(node, f"addition of shapes {list(av.shape)} and "
                               f"{list(bv.shape)} (broadcasting is not "
                               f"supported)")
        self.emit(node, "pulptrain.add", [av.name, bv.name], [],
                  self.type(av.shape), av.shape)

    def reshape(self, node, x):
        """Flatten/view/reshape: a collapse or an expansion of adjacent
        dimensions of the unbatched tensor."""
        xv = self.value(node, x)
        out = self.shape(node)
        src, dst = tuple(xv.shape), tuple(out)
        if src == dst:
            self.env[node] = xv
            return
        collapse = len(dst) < len(src)
        big, small = (src, dst) if collapse else (dst, src)
        groups = _reassociation(big, small)
        if groups is None:
            raise _error(node, f"reshape from {list(src)} to {list(dst)} "
                               f"neither merges nor splits adjacent "
                               f"dimensions")
        reassoc = "[" + ", ".join(
            "[" + ", ".join(str(i) for i in g) + "]" for g in groups) + "]"
        if collapse:
            self.emit(node, "tensor.collapse_shape", [xv.name], [],
                      f"{self.type(src)} into {self.type(dst)}", dst,
                      pre_attrs=reassoc)
        else:
            self.emit(node, "tensor.expand_shape", [xv.name], [],
                      f"{self.type(src)} into {self.type(dst)}", dst,
                      pre_attrs=f"{reassoc} output_shape "
                                f"[{', '.join(str(d) for d in dst)}]")

    def flatten(self, node, x, start_dim, end_dim):
        xv = self.value(node, x)
        rank = len(xv.shape) + 1
        s = start_dim + rank if start_dim < 0 else start_dim
        if s == 0:
            raise _error(node, "flatten with start_dim=0 merges the batch "
                               "dimension (use start_dim=1, as nn.Flatten)")
        self.reshape(node, x)

    # -- dispatch ----------------------------------------------------------

    def call_module(self, node):
        mod = self.modules[node.target]
        path = node.target
        if node.kwargs:
            raise _error(node, f"keyword arguments to module "
                               f"{type(mod).__name__}")
        x = node.args[0] if node.args else None
        if len(node.args) != 1:
            raise _error(node, f"module {type(mod).__name__} called with "
                               f"{len(node.args)} arguments")
        if isinstance(mod, nn.Conv2d) and node in self.bn_folds:
            self.folded_conv(node, mod, x)
        elif isinstance(mod, nn.Conv2d):
            w = self.param(node, f"{path}.weight")
            b = self.param(node, f"{path}.bias") if mod.bias is not None \
                else None
            self.conv2d(node, x, w, b, mod.stride, mod.padding, mod.dilation,
                        mod.groups, mod.padding_mode)
        elif isinstance(mod, nn.Linear):
            w = self.param(node, f"{path}.weight")
            b = self.param(node, f"{path}.bias") if mod.bias is not None \
                else None
            self.linear(node, x, w, b)
        elif isinstance(mod, nn.ReLU):
            self.check_inplace(node, mod.inplace, x)
            self.unary(node, "relu", x)
        elif isinstance(mod, nn.LeakyReLU):
            self.check_inplace(node, mod.inplace, x)
            self.unary(node, "leaky_relu", x,
                       [f"negative_slope = {mlir_float(mod.negative_slope)}"])
        elif isinstance(mod, nn.Hardtanh):
            if (mod.min_val, mod.max_val) != (0.0, 6.0):
                raise _error(node, f"Hardtanh({mod.min_val}, {mod.max_val}) "
                                   f"is not supported (only ReLU6, "
                                   f"Hardtanh(0, 6))")
            self.check_inplace(node, mod.inplace, x)
            self.unary(node, "relu6", x)
        elif isinstance(mod, nn.Hardswish):
            self.check_inplace(node, mod.inplace, x)
            self.unary(node, "hardswish", x)
        elif isinstance(mod, nn.Hardsigmoid):
            self.check_inplace(node, mod.inplace, x)
            self.unary(node, "hardsigmoid", x)
        elif isinstance(mod, nn.Dropout):
            self.dropout(node)
        elif isinstance(mod, nn.Sigmoid):
            self.unary(node, "sigmoid", x)
        elif isinstance(mod, nn.Tanh):
            self.unary(node, "tanh", x)
        elif isinstance(mod, nn.Softmax):
            self.softmax(node, x, mod.dim)
        elif isinstance(mod, nn.MaxPool2d):
            self.pool(node, "max", x, mod.kernel_size, mod.stride,
                      mod.padding, mod.dilation, mod.ceil_mode,
                      return_indices=mod.return_indices)
        elif isinstance(mod, nn.AvgPool2d):
            self.pool(node, "avg", x, mod.kernel_size, mod.stride,
                      mod.padding, 1, mod.ceil_mode, mod.count_include_pad,
                      mod.divisor_override)
        elif isinstance(mod, nn.AdaptiveAvgPool2d):
            self.adaptive_avg_pool(node, x, mod.output_size)
        elif isinstance(mod, nn.InstanceNorm2d):
            self.instance_norm(node, mod, x)
        elif isinstance(mod, nn.BatchNorm2d):
            self.batch_norm(node, mod, x)
        elif isinstance(mod, nn.Flatten):
            self.flatten(node, x, mod.start_dim, mod.end_dim)
        elif isinstance(mod, nn.Unflatten):
            self.reshape(node, x)
        elif isinstance(mod, nn.Identity):
            self.env[node] = self.value(node, x)
        else:
            raise _unsupported_module(node, mod)

    def call_function(self, node):
        t = node.target
        if t in (F.relu, torch.relu, F.relu_, torch.relu_):
            a = _bind(node, ["input", "inplace"], {"inplace": False})
            self.check_inplace(node, a["inplace"] or t in (F.relu_,
                                                          torch.relu_),
                               a["input"])
            self.unary(node, "relu", a["input"])
        elif t in (F.leaky_relu, F.leaky_relu_):
            a = _bind(node, ["input", "negative_slope", "inplace"],
                      {"negative_slope": 0.01, "inplace": False})
            self.check_inplace(node, a["inplace"] or t is F.leaky_relu_,
                               a["input"])
            self.unary(node, "leaky_relu", a["input"],
                       [f"negative_slope = {mlir_float(a['negative_slope'])}"])
        elif t in (F.relu6, F.hardswish, F.hardsigmoid):
            a = _bind(node, ["input", "inplace"], {"inplace": False})
            self.check_inplace(node, a["inplace"], a["input"])
            self.unary(node, {F.relu6: "relu6", F.hardswish: "hardswish",
                              F.hardsigmoid: "hardsigmoid"}[t], a["input"])
        elif t is F.dropout:
            if node not in self.dropouts:  # raises the binding's error
                _bind(node, ["input", "p", "training", "inplace"],
                      {"p": 0.5, "training": True, "inplace": False})
            self.dropout(node)
        elif t in (operator.mul, torch.mul):
            a = _bind(node, ["input", "other"], {})
            self.mul(node, a["input"], a["other"])
        elif t is operator.sub:
            self.scalar_op(node, "sub", node.args[0], node.args[1])
        elif t in (torch.sigmoid, F.sigmoid):
            a = _bind(node, ["input"], {})
            self.unary(node, "sigmoid", a["input"])
        elif t in (torch.tanh, F.tanh):
            a = _bind(node, ["input"], {})
            self.unary(node, "tanh", a["input"])
        elif t in (F.softmax, torch.softmax):
            a = _bind(node, ["input", "dim", "_stacklevel", "dtype"],
                      {"dim": None, "_stacklevel": 3, "dtype": None})
            if a["dtype"] is not None:
                raise _error(node, "softmax with a dtype is not supported")
            self.softmax(node, a["input"], a["dim"])
        elif t is F.max_pool2d:
            a = _bind(node, ["input", "kernel_size", "stride", "padding",
                             "dilation", "ceil_mode", "return_indices"],
                      {"stride": None, "padding": 0, "dilation": 1,
                       "ceil_mode": False, "return_indices": False})
            self.pool(node, "max", a["input"], a["kernel_size"], a["stride"],
                      a["padding"], a["dilation"], a["ceil_mode"],
                      return_indices=a["return_indices"])
        elif t is F.avg_pool2d:
            a = _bind(node, ["input", "kernel_size", "stride", "padding",
                             "ceil_mode", "count_include_pad",
                             "divisor_override"],
                      {"stride": None, "padding": 0, "ceil_mode": False,
                       "count_include_pad": True, "divisor_override": None})
            self.pool(node, "avg", a["input"], a["kernel_size"], a["stride"],
                      a["padding"], 1, a["ceil_mode"],
                      a["count_include_pad"], a["divisor_override"])
        elif t is F.adaptive_avg_pool2d:
            a = _bind(node, ["input", "output_size"], {})
            self.adaptive_avg_pool(node, a["input"], a["output_size"])
        elif t is torch.flatten:
            a = _bind(node, ["input", "start_dim", "end_dim"],
                      {"start_dim": 0, "end_dim": -1})
            self.flatten(node, a["input"], a["start_dim"], a["end_dim"])
        elif t in (torch.reshape,):
            self.reshape(node, node.args[0])
        elif t in (operator.add, torch.add):
            a = _bind(node, ["input", "other", "alpha"], {"alpha": 1})
            if a["alpha"] != 1:
                raise _error(node, "torch.add with alpha != 1 is not "
                                   "supported")
            self.add(node, a["input"], a["other"])
        elif t is operator.iadd:
            self.check_inplace(node, True, node.args[0])
            self.add(node, node.args[0], node.args[1])
        elif t is F.linear:
            a = _bind(node, ["input", "weight", "bias"], {"bias": None})
            w = self.param_arg(node, a["weight"])
            b = self.param_arg(node, a["bias"]) if a["bias"] is not None \
                else None
            self.linear(node, a["input"], w, b)
        elif t is F.conv2d:
            a = _bind(node, ["input", "weight", "bias", "stride", "padding",
                             "dilation", "groups"],
                      {"bias": None, "stride": 1, "padding": 0,
                       "dilation": 1, "groups": 1})
            w = self.param_arg(node, a["weight"])
            b = self.param_arg(node, a["bias"]) if a["bias"] is not None \
                else None
            self.conv2d(node, a["input"], w, b, a["stride"], a["padding"],
                        a["dilation"], a["groups"])
        else:
            raise _error(node, f"unsupported function "
                               f"{_callable_name(t)}")

    METHODS_UNARY = {"relu": "relu", "sigmoid": "sigmoid", "tanh": "tanh"}

    def call_method(self, node):
        m = node.target
        if m in self.METHODS_UNARY:
            self.unary(node, self.METHODS_UNARY[m], node.args[0])
        elif m == "relu_":
            self.check_inplace(node, True, node.args[0])
            self.unary(node, "relu", node.args[0])
        elif m == "softmax":
            a = _bind(node, ["self", "dim", "dtype"], {"dtype": None})
            self.softmax(node, a["self"], a["dim"])
        elif m == "flatten":
            a = _bind(node, ["self", "start_dim", "end_dim"],
                      {"start_dim": 0, "end_dim": -1})
            self.flatten(node, a["self"], a["start_dim"], a["end_dim"])
        elif m in ("view", "reshape"):
            self.reshape(node, node.args[0])
        elif m == "size":
            # Only a shape argument of view/reshape (taken from the
            # propagated shapes); any other use fails at its user.
            if any(u.op != "call_method" or u.target not in ("view",
                                                             "reshape")
                   for u in node.users):
                raise _error(node, "Tensor.size() is only supported as an "
                                   "argument of view/reshape")
            self.env[node] = None
        elif m in ("add", "__add__"):
            if len(node.args) != 2 or node.kwargs:
                raise _error(node, "Tensor.add with alpha is not supported")
            self.add(node, node.args[0], node.args[1])
        elif m == "add_":
            self.check_inplace(node, True, node.args[0])
            self.add(node, node.args[0], node.args[1])
        elif m in ("mul", "__mul__", "mul_") and len(node.args) == 2 and \
                not node.kwargs:
            if m == "mul_":
                self.check_inplace(node, True, node.args[0])
            self.mul(node, node.args[0], node.args[1])
        elif m in ("sub", "__sub__") and len(node.args) == 2 and \
                not node.kwargs:
            self.scalar_op(node, "sub", node.args[0], node.args[1])
        else:
            raise _error(node, f"unsupported tensor method '{m}'")

    # -- the module --------------------------------------------------------

    def run(self):
        gm, graph = self.trace()
        self.dropouts = {c.node: c for c in dropout_calls(graph,
                                                          self.modules)}
        self.active_dropouts = 0
        self.find_bn_folds(graph)
        input_node = None
        output_value = None
        for node in graph.nodes:
            if node.op == "placeholder":
                input_node = node
                shape = self.shape(node)
                self.input_arg = _ident(node.name, self.taken)
                self.env[node] = _Value(self.input_arg, shape)
            elif node.op == "get_attr":
                self.env[node] = self.param(node, node.target)
            elif node.op == "call_module":
                self.call_module(node)
            elif node.op == "call_function":
                self.call_function(node)
            elif node.op == "call_method":
                self.call_method(node)
            elif node.op == "output":
                res = node.args[0]
                if not isinstance(res, fx.Node):
                    raise _error(node, "the model must return exactly one "
                                       "tensor")
                output_value = self.value(node, res)
                self.output_loc = self.loc(node, "output")
            else:
                raise _error(node, f"unsupported fx node kind '{node.op}'")
        self.apply_trainable()
        return input_node, output_value

    def apply_trainable(self):
        if self.trainable is None:
            return
        layers = {p.layer for p in self.params.values()}
        unknown = [t for t in self.trainable if t not in layers]
        if unknown:
            raise ModelImportError(
                f"error: trainable layer(s) {', '.join(unknown)} have no "
                f"parameters in the model (layers with parameters: "
                f"{', '.join(sorted(layers))})")
        for p in self.params.values():
            p.trainable = p.layer in self.trainable

    def function_loc(self):
        """The location of the forward function (and so of the training
        step derived from it): the model's `forward` method, else where the
        model was constructed (an nn.Sequential), else its name."""
        name = mlir_str(self.forward_name)
        forward = getattr(type(self.model), "forward", None)
        src = None
        try:
            path = inspect.getsourcefile(forward)
            if path and not _is_machinery(path):
                src = _frame_source(path, inspect.getsourcelines(forward)[1])
        except (TypeError, OSError):
            pass
        src = src or _DEFINED_AT.get(self.model)
        if src:
            return f"loc({name}({mlir_str(src[0])}:{src[1]}:{src[2]}))"
        return f"loc({name})"

    def module_text(self, input_node, out, with_init):
        params = list(self.params.values())
        args = [f"%{self.input_arg}: {self.type(self.env[input_node].shape)} "
                f"{{pulptrain.input = {mlir_str(input_node.name)}}}"]
        for p in params:
            args.append(
                f"%{p.arg}: {self.type(p.shape)} {{pulptrain.param = "
                f"{mlir_str(p.name)}, pulptrain.trainable = "
                f"{'true' if p.trainable else 'false'}}}")
        buffers = list(self.buffers.values())
        for b in buffers:
            args.append(f"%{b.arg}: {self.type(b.shape)} {{pulptrain.buffer "
                        f"= {mlir_str(b.name)}}}")
        rt = self.type(out.shape)
        batch = (f" attributes {{pulptrain.batch = {self.batch} : i64}}"
                 if self.batch else "")
        text = [f"func.func @{self.forward_name}(\n    "
                + ",\n    ".join(args) + f")\n    -> {rt}{batch} {{"]
        text += self.lines
        text.append(f"  return %{out.name} : {rt}\n      {self.output_loc}")
        text.append("} " + self.function_loc())
        if with_init:
            params = params + buffers
            rts = [self.type(p.shape) for p in params]
            text.append("")
            text.append("// The initial parameter values, in the order of "
                        f"@{self.forward_name}'s parameters"
                        + (", then its buffers." if buffers else "."))
            text.append(f"func.func @init_params() -> ({', '.join(rts)}) {{")
            for i, p in enumerate(params):
                text.append(f"  %p{i} = arith.constant "
                            f"{hex_dense(p.tensor, self.dtype)} : {rts[i]}"
                            f" loc({mlir_str(p.name)})")
            if params:
                text.append(f"  return {', '.join(f'%p{i}' for i in range(len(params)))}"
                            f" : {', '.join(rts)}")
            else:
                text.append("  return")
            text.append("}")
        return "\n".join(text) + "\n"


def import_model(model, input_shape, dtype="f32", trainable=None,
                 forward_name="forward", init_params=True, header=None):
    """Imports `model` for an unbatched input of `input_shape` ((C, H, W) or
    (N,)), or a mini-batch (B, C, H, W) (ImportedModel.batch). `trainable` (a list of layer names) overrides the parameters'
    `requires_grad`. Returns an ImportedModel; raises ModelImportError."""
    imp = _Importer(model, input_shape, dtype, trainable, forward_name)
    input_node, out = imp.run()
    text = imp.module_text(input_node, out, init_params)
    if header:
        text = "".join(f"// {l}\n" if l else "//\n"
                       for l in header.splitlines()) + "\n" + text
    return ImportedModel(
        mlir=text, params=list(imp.params.values()),
        input_name=input_node.name, input_shape=imp.env[input_node].shape,
        output_shape=out.shape, dtype=dtype, forward_name=forward_name,
        layers=imp.layers, buffers=list(imp.buffers.values()),
        batch=imp.batch, dropouts=imp.active_dropouts)


def check_trainable(imported, model):
    """Raises a ModelImportError, located where the model was constructed
    when that is known, unless `imported` has a parameter to train: a
    training step without one has nothing to do."""
    if imported.trainable_params:
        return
    src = _DEFINED_AT.get(model)
    where = f"{src[0]}:{src[1]}:{src[2]}: " if src else ""
    name = type(model).__name__
    if imported.params:
        what = (f"none of the parameters of the model ({name}) is trainable "
                f"(requires_grad is False, or --trainable names none)")
    else:
        what = f"the model ({name}) has no parameters to train"
    msg = f"{where}error: {what}"
    if src:
        msg += f"\n    {src[3]}"
    raise ModelImportError(msg)


def _reassociation(big, small):
    """Groups of adjacent dimensions of `big` whose products are the
    dimensions of `small`, or None."""
    groups, i = [], 0
    for k, d in enumerate(small):
        g, prod = [], 1
        while i < len(big) and (not g or prod < d or
                                (prod == d and big[i] == 1 and
                                 k == len(small) - 1)):
            prod *= big[i]
            g.append(i)
            i += 1
        if prod != d or not g:
            return None
        groups.append(g)
    if i != len(big):
        return None
    return groups


def run_opt(args, mlir_text):
    """pulptrain-opt ARGS on `mlir_text`; its output. Raises host.ToolError
    on failure or when pulptrain-opt is missing."""
    return host._run([host._tool("pulptrain-opt")] + list(args) + ["-"],
                     stdin=mlir_text)


def autodiff_options(loss, lr, momentum, weight_decay, **extra):
    """The option string of --pulptrain-autodiff; `extra` adds options
    (forward=..., name=...)."""
    opts = [f"loss={loss}", f"lr={lr!r}", f"momentum={momentum!r}",
            f"weight-decay={weight_decay!r}"]
    opts += [f"{key}={value}" for key, value in extra.items()]
    return " ".join(opts)


def verify(mlir_text):
    """Parses and verifies `mlir_text` with pulptrain-opt (round trip);
    raises host.ToolError on failure."""
    return run_opt(["--verify-roundtrip"], mlir_text)


#===----------------------------------------------------------------------===#
# Command line (tools/pulptrain-import)
#===----------------------------------------------------------------------===#

def load_model_file(path, class_name=None, model_fn=None):
    """Runs the Python file `path` and returns (module, its namespace): an
    instance of `class_name`, the result of `model_fn()`, or by default the
    result of its `model()` function."""
    import importlib.util
    path = os.path.abspath(path)
    name = "_pulptrain_model_" + re.sub(r"\W", "_",
                                        os.path.splitext(
                                            os.path.basename(path))[0])
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None:
        raise ModelImportError(f"error: cannot load {path}")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[name] = mod
    sys.path.insert(0, os.path.dirname(path))
    # No __pycache__ next to the model file.
    dont_write, sys.dont_write_bytecode = sys.dont_write_bytecode, True
    try:
        with _recording_definitions():
            spec.loader.exec_module(mod)
    except OSError as e:
        raise ModelImportError(f"error: cannot read {path}: {e.strerror}") \
            from None
    except (Exception, SystemExit) as e:  # noqa: BLE001 - the file's own
        raise ModelImportError(f"error: loading {path} failed: "
                               f"{_failure(e, path)}") from None
    finally:
        sys.path.pop(0)
        sys.dont_write_bytecode = dont_write
    if class_name:
        make = getattr(mod, class_name, None)
        if make is None:
            raise ModelImportError(f"error: {path} defines no class "
                                   f"'{class_name}'")
        what = class_name
    else:
        what = model_fn or "model"
        make = getattr(mod, what, None)
        if not callable(make):
            raise ModelImportError(
                f"error: {path} defines no function '{what}()' "
                f"(use --class NAME or --model-fn NAME)")
    try:
        with _recording_definitions():
            model = make()
    except (Exception, SystemExit) as e:  # noqa: BLE001 - the file's own
        raise ModelImportError(f"error: building the model of {path} "
                               f"({what}()) failed: {_failure(e, path)}") \
            from None
    if not isinstance(model, nn.Module):
        raise ModelImportError(f"error: the model of {path} is a "
                               f"{type(model).__name__}, not an nn.Module")
    return model, mod


def _failure(exc, path):
    """What went wrong running the model file `path`: the exception, or the
    sys.exit() call and its line (a script's exit is no model)."""
    if not isinstance(exc, SystemExit):
        return f"{type(exc).__name__}: {exc}"
    line = None
    for frame, lineno in traceback.walk_tb(exc.__traceback__):
        if os.path.abspath(frame.f_code.co_filename) == path:
            line = lineno
    at = f" at line {line}" if line else ""
    return (f"it calls sys.exit({'' if exc.code is None else repr(exc.code)})"
            f"{at}; a model file must define the model and INPUT_SHAPE, "
            f"not exit")


INPUT_SHAPE_HELP = ("the unbatched input shape: (C, H, W) for a feature map, "
                    "(N,) for a vector; the batch, of size 1, is implicit; "
                    "or (B, C, H, W): a mini-batch of B feature maps")


def split_batch(dims):
    """(batch, per-sample shape) of a checked input shape: a rank-4 shape
    (B, C, H, W) is a mini-batch of B feature maps (B = 1 is the unbatched
    step, batch 0); other shapes are unbatched."""
    if len(dims) == 4:
        return (dims[0] if dims[0] > 1 else 0), tuple(dims[1:])
    return 0, tuple(dims)


def check_input_shape(shape, origin="error: "):
    """`shape` (a sequence of ints) as a tuple, or a ModelImportError
    starting with `origin` (a location and 'error: ') saying what is
    wrong and what is supported."""
    try:
        dims = tuple(operator.index(d) for d in shape)
    except TypeError:
        dims = None
    if not dims:
        raise ModelImportError(f"{origin}input shape {shape!r} is not a "
                               f"tuple of integers ({INPUT_SHAPE_HELP})")
    bad = [d for d in dims if d <= 0]
    if bad:
        raise ModelImportError(f"{origin}input shape {list(dims)} has the "
                               f"size {bad[0]} (sizes must be positive)")
    if len(dims) > 4:
        raise ModelImportError(f"{origin}input shape {list(dims)} has "
                               f"{len(dims)} dimensions; it must be "
                               f"{INPUT_SHAPE_HELP}")
    return dims


def model_input_shape(ns, path):
    """The validated INPUT_SHAPE of the model file `path` (namespace `ns`);
    errors are located at its assignment."""
    if not hasattr(ns, "INPUT_SHAPE"):
        raise ModelImportError(f"error: {path} has no INPUT_SHAPE")
    origin = f"{path}: error: INPUT_SHAPE: "
    for i, text in enumerate(linecache.getlines(path), 1):
        if re.match(r"\s*INPUT_SHAPE\s*=", text):
            col = len(text) - len(text.lstrip()) + 1
            origin = f"{path}:{i}:{col}: error: INPUT_SHAPE: "
    return check_input_shape(ns.INPUT_SHAPE, origin)


def _shape_arg(text):
    try:
        dims = tuple(int(d) for d in text.replace("x", ",").split(",") if d)
    except ValueError:
        dims = ()
    if not dims or any(d <= 0 for d in dims):
        raise ValueError(f"bad shape '{text}' (expected e.g. 8,8,8)")
    return dims


def main(argv=None):
    import argparse
    parser = argparse.ArgumentParser(
        prog="pulptrain-import",
        description="Imports a PyTorch model (torch.fx) into a pulptrain "
                    "forward model, or with --train-step its training "
                    "step, as MLIR.")
    parser.add_argument("model_file", help="Python file defining the model")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--class", dest="class_name", metavar="NAME",
                       help="instantiate this nn.Module class (no "
                            "arguments)")
    which.add_argument("--model-fn", metavar="NAME",
                       help="call this function for the model (default: "
                            "model)")
    parser.add_argument("--input-shape", metavar="DIMS",
                        help="unbatched input shape, e.g. 8,8,8 (default: "
                             "the file's INPUT_SHAPE)")
    parser.add_argument("--dtype", choices=DTYPES, default="f32",
                        help="element type of inputs and parameters")
    parser.add_argument("--trainable", metavar="LAYERS",
                        help="comma-separated layers to train (default: "
                             "the parameters' requires_grad)")
    parser.add_argument("--forward", default="forward", metavar="NAME",
                        help="name of the forward function")
    parser.add_argument("--no-init", action="store_true",
                        help="omit @init_params")
    parser.add_argument("--seed", type=int, default=0,
                        help="torch seed before building the model "
                             "(initial parameters)")
    parser.add_argument("--no-verify", action="store_true",
                        help="do not verify the output with pulptrain-opt")
    step = parser.add_argument_group("training step (pulptrain-opt "
                                     "--pulptrain-autodiff)")
    step.add_argument("--train-step", action="store_true",
                      help="print the module with the derived training "
                           "step")
    step.add_argument("--loss", choices=("mse", "cross_entropy"))
    step.add_argument("--lr", type=float, default=0.01)
    step.add_argument("--momentum", type=float, default=0.0)
    step.add_argument("--weight-decay", type=float, default=0.0)
    step.add_argument("--nesterov", action="store_true",
                      help="SGD with Nesterov momentum (needs --momentum)")
    step.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd",
                      help="torch.optim.SGD (default) or torch.optim.Adam")
    step.add_argument("--betas", type=float, nargs=2, metavar="BETA",
                      default=(0.9, 0.999), help="Adam's betas")
    step.add_argument("--eps", type=float, default=1e-8, help="Adam's eps")
    step.add_argument("--step-name", default="train_step", metavar="NAME")
    step.add_argument("--print-debuginfo", action="store_true",
                      help="keep the locations (layer and model source "
                           "line) in the training step's output")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="output file (default: stdout)")
    args = parser.parse_args(argv)
    if args.train_step and not args.loss:
        parser.error("--train-step needs --loss")
    try:
        torch.manual_seed(args.seed)
        model, ns = load_model_file(args.model_file, args.class_name,
                                    args.model_fn)
        if args.input_shape:
            shape = check_input_shape(_shape_arg(args.input_shape),
                                      "error: --input-shape: ")
        elif hasattr(ns, "INPUT_SHAPE"):
            shape = model_input_shape(ns, os.path.abspath(args.model_file))
        else:
            raise ModelImportError(f"error: {args.model_file} has no "
                                   f"INPUT_SHAPE; pass --input-shape")
        trainable = args.trainable.split(",") if args.trainable else None
        header = (f"Imported by pulptrain-import from "
                  f"{os.path.basename(args.model_file)} "
                  f"({type(model).__name__}), input {list(shape)}, "
                  f"{args.dtype}.")
        imported = import_model(model, shape, args.dtype, trainable,
                                args.forward, not args.no_init, header)
        text = imported.mlir
        if args.train_step:
            check_trainable(imported, model)
            extra = {"nesterov": "true"} if args.nesterov else {}
            if args.optimizer == "adam":
                extra.update(optimizer="adam", beta1=repr(args.betas[0]),
                             beta2=repr(args.betas[1]), eps=repr(args.eps))
            opts = autodiff_options(args.loss, args.lr, args.momentum,
                                    args.weight_decay, forward=args.forward,
                                    name=args.step_name, **extra)
            cmd = [f"--pulptrain-autodiff={opts}"]
            if args.print_debuginfo:
                cmd.append("--mlir-print-debuginfo")
            text = run_opt(cmd, text)
        elif not args.no_verify:
            verify(text)
    except ModelImportError as e:
        msg = str(e)
        # Diagnostics with a source location start with it.
        print(msg if not msg.startswith("error:") else
              f"pulptrain-import: {msg}", file=sys.stderr)
        return 1
    except (ValueError, host.ToolError) as e:
        print(f"pulptrain-import: error: {e}", file=sys.stderr)
        return 1
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
