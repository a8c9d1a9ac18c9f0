"""PyTorch reference of a training run: the golden data of train_check.

`reference_run` trains a copy of the model in float64, batch 1, with
torch.optim.SGD for one sample per step and records, per step, the loss (of
the forward pass before the update), every trainable parameter after the
update and its momentum buffer. It starts from the parameters rounded to the
element type under test and takes the same rounded samples, so that a
comparison with a run in f16/bf16 measures that run's error, not PyTorch's.
Frozen parameters (not trainable in the import) have requires_grad False.
"""

import contextlib
import copy
from dataclasses import dataclass, field

import torch
import torch.fx as fx
import torch.nn.functional as F

from pulptrain import dropout, host

LOSSES = ("mse", "cross_entropy")
LABELS = ("randn", "onehot")


def rounded(t, dtype):
    """`t` rounded to `dtype`, as float64."""
    return t.detach().to(host.TORCH_DTYPE[dtype]).to(torch.float64)


@dataclass
class Sample:
    x: torch.Tensor      # unbatched input, float64, rounded to the dtype
    label: torch.Tensor  # shape of the output, float64, rounded
    batched: bool = False  # x and label are a mini-batch [B, ...]

    def batch(self):
        """(x, label) with a leading batch dimension."""
        if self.batched:
            return self.x, self.label
        return self.x[None], self.label[None]


@dataclass
class StepRecord:
    loss: float
    # The magnitude the loss's rounding error scales with (loss_scale):
    # compare a loss relative to it, not to the loss alone.
    scale: float = 0.0
    params: dict = field(default_factory=dict)    # name -> tensor (after)
    momentum: dict = field(default_factory=dict)  # name -> buffer (after)
    # torch.optim.Adam: the moments (name -> tensor, after) and the step
    # counter after the step.
    exp_avg: dict = field(default_factory=dict)
    exp_avg_sq: dict = field(default_factory=dict)
    step: float = 0.0
    # BatchNorm2d running statistics (name -> tensor, after the step).
    buffers: dict = field(default_factory=dict)


def make_dataset(input_shape, output_shape, label, steps, dtype, seed=0,
                 batch=0):
    """`steps` samples, a different one per step, from a seeded generator:
    standard-normal inputs; labels standard-normal ("randn", regression
    targets) or one-hot vectors of a random class ("onehot"). With `batch`
    > 0 each step takes a mini-batch of that many."""
    if batch:
        per_step = [make_dataset(input_shape, output_shape, label, batch,
                                 dtype, seed * 7919 + 17 * s + 1)
                    for s in range(steps)]
        return [Sample(torch.stack([p.x for p in ps]),
                       torch.stack([p.label for p in ps]), True)
                for ps in per_step]
    if label not in LABELS:
        raise ValueError(f"unknown label kind {label!r}")
    gen = torch.Generator().manual_seed(1_000_003 + seed)
    data = []
    for _ in range(steps):
        x = torch.randn(tuple(input_shape), dtype=torch.float64,
                        generator=gen)
        if label == "randn":
            y = torch.randn(tuple(output_shape), dtype=torch.float64,
                            generator=gen)
        else:
            n = 1
            for d in output_shape:
                n *= d
            y = torch.zeros(n, dtype=torch.float64)
            y[int(torch.randint(n, (1,), generator=gen))] = 1.0
            y = y.reshape(tuple(output_shape))
        data.append(Sample(rounded(x, dtype), rounded(y, dtype)))
    return data


def loss_fn(loss, out, label):
    """The mean loss of a batch output `out` ([B, ...]) against `label`
    ([B, ...])."""
    if loss == "mse":
        return F.mse_loss(out, label)
    if loss == "cross_entropy":
        if out.dim() != 2:
            raise ValueError("cross-entropy needs a vector output, got shape "
                             f"{list(out.shape[1:])}")
        # Class probabilities (a one-hot vector for a class index).
        return F.cross_entropy(out, label)
    raise ValueError(f"unknown loss {loss!r} (one of {', '.join(LOSSES)})")


def loss_scale(loss, value, out):
    """The magnitude the rounding error of the loss `value` of the model
    output `out` scales with. Cross-entropy is log(sum(exp(z - m))) + m -
    z[label]: a loss near zero is the difference of two terms of the size
    of the largest logit, and its error is a few units of roundoff of that
    size, not of the loss. MSE sums squares: its error is relative."""
    v = abs(float(value))
    if loss == "cross_entropy" and out.numel():
        return max(v, float(out.detach().abs().max()))
    return v


def round_like(x, dtype):
    """`x` with its values rounded to `dtype`, in `x`'s own type (a
    baseline computing in bf16, train_check.torch_baseline, must not get
    float64 back); the gradient passes unchanged."""
    return x + (rounded(x, dtype).to(x.dtype) - x).detach()


def _reference_graph(ref, dtype):
    """`ref`, or a torch.fx GraphModule of it (parameter names kept) where
    - dropouts in training mode apply the device's counter-based masks (a
      dropout.Dropout with the seed the importer gives them; set its step
      with dropout.set_step) and dropouts in eval mode are the identity;
    - in f16 and bf16, the input of every max pooling, nn.MaxPool2d or
      F.max_pool2d, is rounded to the element type (round_like): the
      reference then picks the maximum of each window as a run in that
      element type does. Two values that differ in float64 may be equal
      once rounded, and the tie sends the gradient to another element;
      the rest of the reference stays in float64."""
    from pulptrain import importer
    graph = importer._Tracer().trace(ref)
    modules = dict(ref.named_modules())
    changed = False
    for call in importer.dropout_calls(graph, modules):
        if call.active:
            name = f"pulptrain_dropout_{call.seed}"
            ref.add_module(name, dropout.Dropout(call.p, call.seed))
            with graph.inserting_before(call.node):
                new = graph.call_module(name, (call.input,))
            call.node.replace_all_uses_with(new)
        else:
            call.node.replace_all_uses_with(call.input)
        graph.erase_node(call.node)
        changed = True
    if dtype != "f32":
        for node in list(graph.nodes):
            if not (node.op == "call_function" and node.target is F.max_pool2d
                    or node.op == "call_module" and isinstance(
                        modules.get(node.target), torch.nn.MaxPool2d)):
                continue
            x = node.args[0] if node.args else node.kwargs["input"]
            with graph.inserting_before(node):
                new = graph.call_function(round_like, (x, dtype))
            if node.args:
                node.update_arg(0, new)
            else:
                node.update_kwarg("input", new)
            changed = True
    return fx.GraphModule(ref, graph) if changed else ref


def reference_model(model, params, dtype):
    """A float64 copy of `model` with the imported parameters `params`
    ([importer.Param]) rounded to `dtype`; only trainable ones require
    gradients. In f16 and bf16 max-pooling compares values rounded to the
    element type, and dropouts draw the device's masks, in the mode the
    model was imported in (_reference_graph)."""
    ref = _reference_graph(copy.deepcopy(model).double(), dtype)
    ref.train()
    # BatchNorm2d stays in the mode it was imported in (training: batch
    # statistics and running statistics updated; eval: folded or a
    # per-channel scale and shift); its running statistics start rounded
    # to the element type, as @init_params gives them.
    modes = {n: m.training for n, m in model.named_modules()
             if isinstance(m, torch.nn.BatchNorm2d)}
    for n, m in ref.named_modules():
        if n in modes:
            m.training = modes[n]
            if m.running_mean is not None:
                with torch.no_grad():
                    m.running_mean.copy_(rounded(m.running_mean, dtype))
                    m.running_var.copy_(rounded(m.running_var, dtype))
    trainable = {p.name: p.trainable for p in params}
    init = {p.name: p.tensor for p in params}
    with torch.no_grad():
        for name, p in ref.named_parameters():
            if name in init:
                p.copy_(rounded(init[name], dtype))
            p.requires_grad_(trainable.get(name, False))
    return ref


def reference_forward(model, params, dtype, x):
    """The model output for the unbatched input `x` (float64)."""
    ref = reference_model(model, params, dtype)
    with torch.no_grad():
        return ref(x[None])[0]


OPTIMIZERS = ("sgd", "adam")

# The element types of saved activations (pulptrain-round-saved-activations):
# the model's own, or f16 or bf16 in an f32 model.
SAVED_ACTIVATIONS = ("model", "f16", "bf16")


@contextlib.contextmanager
def saved_activations(kind, model, x):
    """Runs the forward pass of `model` on the input `x` with its saved
    activations kept in `kind` ("f16" or "bf16"); yields the input to call
    the model with. PyTorch's analogue of pulptrain-round-saved-activations:
    torch.autograd.graph.saved_tensors_hooks whose pack rounds each tensor
    autograd saves for the backward pass to `kind` and whose unpack extends
    it back. Only activations are rounded, tensors computed from the input:
    the input takes part in autograd (a node of its own, numerically the
    identity) and pack rounds the tensors whose graph reaches it. The
    parameters, tensors made from them alone (InstanceNorm's affine weight
    repeated per sample), the input itself and constants (a dropout mask)
    are saved as they are, as the compiled step never rounds its arguments.
    With "model" nothing is rounded.

    PyTorch saves different tensors than the compiled step for some ops
    (BatchNorm's batch statistics, a convolution's input where the step
    keeps the ReLU output that feeds it: the same values), so the two agree
    within a tolerance, not bit for bit."""
    if kind == "model":
        yield x
        return
    narrow = host.TORCH_DTYPE[kind]
    marked = x.detach().requires_grad_(True) * 1.0
    source = marked.grad_fn
    reaches = {}

    def from_input(fn):
        # Whether the autograd graph from `fn` reaches the input's node; an
        # iterative post-order walk, memoised over the forward pass.
        stack = [(fn, False)]
        while stack:
            node, expanded = stack.pop()
            if node in reaches:
                continue
            if node is source:
                reaches[node] = True
                continue
            inputs = [n for n, _ in node.next_functions if n is not None]
            if expanded:
                reaches[node] = any(reaches[n] for n in inputs)
            else:
                stack.append((node, True))
                stack.extend((n, False) for n in inputs if n not in reaches)
        return reaches[fn]

    def pack(t):
        if not t.is_floating_point() or t.grad_fn is None or \
                t.grad_fn is source or not from_input(t.grad_fn):
            return t
        return (t.to(narrow), t.dtype)

    def unpack(packed):
        if isinstance(packed, tuple):
            t, dtype = packed
            return t.to(dtype)
        return packed

    with torch.autograd.graph.saved_tensors_hooks(pack, unpack):
        yield marked


def make_optimizer(tensors, lr, momentum=0.0, weight_decay=0.0,
                   nesterov=False, optimizer="sgd", betas=(0.9, 0.999),
                   eps=1e-8):
    """torch.optim.SGD(lr, momentum, weight_decay, nesterov) or, with
    optimizer "adam", torch.optim.Adam(lr, betas, eps, weight_decay) in its
    single-tensor form (foreach=False), over `tensors`."""
    if optimizer == "adam":
        return torch.optim.Adam(tensors, lr=lr, betas=tuple(betas), eps=eps,
                                weight_decay=weight_decay, foreach=False)
    return torch.optim.SGD(tensors, lr=lr, momentum=momentum,
                           weight_decay=weight_decay, nesterov=nesterov)


def record_adam_state(rec, opt, named, train):
    """Copies Adam's state of the trainable parameters into `rec`."""
    for n in train:
        state = opt.state[named[n]]
        rec.exp_avg[n] = state["exp_avg"].to(torch.float64).clone()
        rec.exp_avg_sq[n] = state["exp_avg_sq"].to(torch.float64).clone()
        rec.step = float(state["step"])


def reference_step(ref, params, state, buffers, sample, loss, lr,
                   momentum=0.0, weight_decay=0.0, nesterov=False, step=0):
    """One SGD step of the float64 model `ref` (from reference_model) from
    a given state: parameter values `state` (name -> tensor) and, with
    momentum, buffers `buffers` (trainable name -> tensor). The state of a
    run under test thus gives the step it should have taken, free of the
    run's accumulated deviation. `step` numbers the step (from 0) for the
    dropout masks. Returns a StepRecord."""
    dropout.set_step(ref, step)
    named = dict(ref.named_parameters())
    with torch.no_grad():
        for n, t in state.items():
            named[n].copy_(t)
    train = [p.name for p in params if p.trainable]
    opt = make_optimizer([named[n] for n in train], lr, momentum,
                         weight_decay, nesterov)
    if momentum:
        for n in train:
            opt.state[named[n]]["momentum_buffer"] = \
                buffers[n].to(torch.float64).clone()
    opt.zero_grad(set_to_none=True)
    x, label = sample.batch()
    out = ref(x)
    value = loss_fn(loss, out, label)
    value.backward()
    opt.step()
    rec = StepRecord(value.item(), loss_scale(loss, value, out))
    for n in train:
        rec.params[n] = named[n].detach().clone()
        if momentum:
            rec.momentum[n] = opt.state[named[n]]["momentum_buffer"].clone()
    return rec


def running_stats(ref):
    """The running statistics of the BatchNorm2d layers of `ref` in training
    mode (name -> float64 tensor)."""
    out = {}
    for n, m in ref.named_modules():
        if isinstance(m, torch.nn.BatchNorm2d) and m.training and \
                m.running_mean is not None:
            out[f"{n}.running_mean"] = m.running_mean.to(torch.float64).clone()
            out[f"{n}.running_var"] = m.running_var.to(torch.float64).clone()
    return out


def reference_run(model, params, dataset, loss, lr, momentum=0.0,
                  weight_decay=0.0, dtype="f32", compute=torch.float64,
                  nesterov=False, optimizer="sgd", betas=(0.9, 0.999),
                  eps=1e-8, saved="model"):
    """Trains a copy of `model` on `dataset`, one SGD (or Adam) step per
    sample, in
    float64 (`compute` = torch.bfloat16 or float32 gives PyTorch's own
    low-precision training, for comparison); returns a StepRecord per step
    (tensors in float64). With `saved` "f16" or "bf16" the forward pass
    keeps its saved activations in that type (saved_activations); the loss
    is computed outside, as the compiled step does."""
    ref = reference_model(model, params, dtype).to(compute)
    named = dict(ref.named_parameters())
    train = [p.name for p in params if p.trainable]
    opt = make_optimizer([named[n] for n in train], lr, momentum,
                         weight_decay, nesterov, optimizer, betas, eps)
    # PyTorch's CPU losses have no bf16 kernels: those compute in f32.
    loss_type = torch.float64 if compute == torch.float64 else torch.float32
    records = []
    for step, sample in enumerate(dataset):
        # Each step draws new dropout masks, numbered by the step counter.
        dropout.set_step(ref, step)
        opt.zero_grad(set_to_none=True)
        x, label = sample.batch()
        with saved_activations(saved, ref, x.to(compute)) as x:
            out = ref(x)
        value = loss_fn(loss, out.to(loss_type), label.to(loss_type))
        value.backward()
        opt.step()
        rec = StepRecord(value.item(), loss_scale(loss, value, out))
        for n in train:
            p = named[n]
            rec.params[n] = p.detach().to(torch.float64).clone()
            if momentum:
                rec.momentum[n] = opt.state[p]["momentum_buffer"].to(
                    torch.float64).clone()
        if optimizer == "adam":
            record_adam_state(rec, opt, named, train)
        rec.buffers = running_stats(ref)
        records.append(rec)
    return records
