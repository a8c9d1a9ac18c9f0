"""Golden training test: a model's compiled training step against PyTorch.

For a model of pulptrain.models and an element type, the check

  1. imports the model (pulptrain.importer) and derives the training step
     with `pulptrain-opt --pulptrain-autodiff=...`;
  2. compiles the module for the host (reference lowering, host.py);
  3. checks @init_params (bit-exact against the rounded PyTorch parameters)
     and @forward on the first sample against PyTorch;
  4. runs N steps of @train_step, one sample per step, feeding the updated
     parameters (and momentum buffers, starting at zero) back, and compares
     each step's loss, updated parameters and momentum buffers with the
     float64 PyTorch reference of pulptrain.golden_train.

Errors are max-norm relative errors, max|got - want| / max|want|. Each
step compares the loss; every updated parameter ("param"); its change since
the start beyond the rounding of the stored parameter ("update", see
update_err), which a wrong gradient moves much more than the parameter
itself; and with momentum every buffer, against the reference run
("momentum") and against the step PyTorch takes from our previous
parameters and buffers ("momentum_step", free of accumulated deviation: the
precise gradient check of f16/bf16 runs). Tolerances per element type are
in TOLERANCE; docs/Import.md lists them with the measured errors.

  /usr/bin/python3 -m pulptrain.train_check (--model NAME |
      --model-file FILE [--class NAME | --model-fn NAME]) [--dtype f32]
      [--steps 10] [--seed 0] [--verbose] [--keep DIR] [--step-mlir FILE]
      [--torch-baseline] [--opt-level N]

prints one line per check and ends with "N passed, M failed" (exit 1 on
failure).
"""

import argparse
import dataclasses
import os
import sys

import torch

from pulptrain import golden_train, host, importer, models

DTYPES = importer.DTYPES

# Max-norm relative tolerances (see docs/Import.md for the measured errors).
#   forward:  @forward's output on the first sample
#   loss:     the loss of each step
#   param:    each updated parameter, against the reference run
#   update:   each parameter's change since step 0 (see update_err)
#   momentum: each momentum buffer, against the reference run
#   momentum_step: each momentum buffer, against the step PyTorch takes from
#             our previous state (no accumulated deviation: the gradient
#             check of the low-precision runs)
#   buffer:   each BatchNorm2d running statistic, against the reference run
#   exp_avg, exp_avg_sq: Adam's moments, against the reference run
TOLERANCE = {
    "f32": {"forward": 1e-5, "loss": 1e-5, "param": 1e-5, "update": 1e-5,
            "momentum": 1e-5, "momentum_step": 1e-5, "buffer": 1e-5,
            "exp_avg": 1e-5, "exp_avg_sq": 1e-5},
    "f16": {"forward": 2e-3, "loss": 2e-3, "param": 5e-3, "update": 5e-2,
            "momentum": 5e-3, "momentum_step": 5e-3, "buffer": 5e-3,
            "exp_avg": 5e-3, "exp_avg_sq": 5e-3},
    "bf16": {"forward": 1e-2, "loss": 1.5e-2, "param": 0.25, "update": 0.4,
             "momentum": 1.0, "momentum_step": 3e-2, "buffer": 3e-2,
             "exp_avg": 1.0, "exp_avg_sq": 1.0},
}


# Adam divides each gradient element by its own running magnitude, so an
# element whose gradient is small and computed with a large relative error
# (cancellation) moves by a step of order lr either way: the parameters of
# PyTorch's own f32 Adam training are off from float64's by about as much
# (tutorial_adam: param 1.6e-05, update 5.0e-04, --torch-baseline; in
# bf16 param 9.1e-02, update 1.8, as ours). These replace the SGD
# tolerances of param and update for Adam steps; the moments (f32 state,
# computed from f16/bf16 gradients) are compared as loosely as the
# momentum buffers.
ADAM_TOLERANCE = {
    "f32": {"param": 5e-5, "update": 1e-3},
    "f16": {"param": 0.1, "update": 1.0, "exp_avg": 0.2, "exp_avg_sq": 0.2},
    "bf16": {"param": 0.25, "update": 2.5},
}


class ContractError(RuntimeError):
    """The training step does not follow docs/TrainStep.md."""


#===----------------------------------------------------------------------===#
# The C interface of the compiled module
#===----------------------------------------------------------------------===#

def step_interface(module, name="train_step"):
    """(arguments, results) of function @name of the MLIR `module`: the
    parameters of its C interface as the compiler derives them
    (host.c_interface, `pulptrain-translate --mlir-to-manifest`)."""
    functions = host.c_interface(module)
    if name not in functions:
        raise ContractError(f"no function @{name} in the module")
    params = functions[name]
    return ([p for p in params if p["kind"] == "argument"],
            [p for p in params if p["kind"] == "result"])


#===----------------------------------------------------------------------===#
# The check
#===----------------------------------------------------------------------===#

def rel_err(got, want):
    got, want = got.to(torch.float64), want.to(torch.float64)
    if want.shape != got.shape:
        return float("inf")
    scale = max(want.abs().max().item(), 1e-30) if want.numel() else 1.0
    return (got - want).abs().max().item() / scale


# Unit roundoff of the element types.
UNIT_ROUNDOFF = {"f32": 2.0 ** -24, "f16": 2.0 ** -11, "bf16": 2.0 ** -8}


def update_err(got, want, start, stored, dtype):
    """The error of a parameter's change since the start beyond what storing
    it in `dtype` explains, relative to the reference change:
    max(0, |(got - start) - (want - start)| - u * stored) / max|want - start|
    elementwise, where `stored` is the sum of |param| over the steps so far
    and u the unit roundoff: each step rounds the stored parameter by at most
    u * |param|, which loses updates below half an ulp in f16/bf16 (and
    blurs small ones in f32). What remains are errors of the computed
    updates (the gradients) and of the trajectory."""
    got, want, start = (t.to(torch.float64) for t in (got, want, start))
    d_want = want - start
    excess = (((got - start) - d_want).abs()
              - UNIT_ROUNDOFF[dtype] * stored).clamp(min=0)
    scale = max(d_want.abs().max().item(), 1e-30)
    return excess.max().item() / scale


def autodiff_options(spec):
    extra = {"nesterov": "true"} if spec.nesterov else {}
    if spec.optimizer == "adam":
        extra = {"optimizer": "adam", "beta1": repr(spec.betas[0]),
                 "beta2": repr(spec.betas[1]), "eps": repr(spec.eps)}
    return importer.autodiff_options(spec.loss, spec.lr, spec.momentum,
                                     spec.weight_decay, **extra)


def derive_step(forward_mlir, spec):
    """The module with @train_step derived by the autodiff pass."""
    return importer.run_opt(
        [f"--pulptrain-autodiff={autodiff_options(spec)}"], forward_mlir)


def check_contract(args, results, imported, spec, dtype):
    """Checks the train_step interface (`args`, `results` as returned by
    step_interface) against docs/TrainStep.md: roles, order, names,
    shapes, element types and trainable flags. Raises ContractError."""
    params = imported.params
    train = [p for p in params if p.trainable]
    want_args = [("input", imported.input_name,
                  imported.batched(imported.input_shape)),
                 ("label", None, imported.batched(imported.output_shape))]
    want_args += [("param", p.name, p.shape) for p in params]
    adam = spec.optimizer == "adam"
    state = []
    if spec.momentum:
        state += [("momentum", p.name, p.shape) for p in train]
    if adam:
        state += [("exp_avg", p.name, p.shape) for p in train]
        state += [("exp_avg_sq", p.name, p.shape) for p in train]
    if adam or imported.dropouts:
        # One step counter: Adam's, which the dropout masks use too.
        state += [("step", "adam" if adam else "dropout", ())]
    want_args += state
    want_args += [("buffer", b.name, b.shape) for b in imported.buffers]
    want_res = [("loss", None, ())]
    want_res += [("param", p.name, p.shape) for p in train]
    want_res += state
    want_res += [("buffer", b.name, b.shape) for b in imported.buffers]

    def role(p):
        return None if p["role"] == "other" else p["role"]

    for what, got, want in (("argument", args, want_args),
                            ("result", results, want_res)):
        have = [(role(p), p.get("tensor"), tuple(p["shape"])) for p in got]
        if have != want:
            raise ContractError(
                f"train_step {what}s do not follow docs/TrainStep.md:\n"
                f"  got      {have}\n  expected {want}")
        for p, (r, n, _) in zip(got, want):
            # Adam's state is f32 in every dtype.
            adam_state = r in ("step", "exp_avg", "exp_avg_sq")
            if p["element_type"] != ("f32" if adam_state else dtype):
                raise ContractError(f"train_step {what} {r} {n or ''} has "
                                    f"element type {p['element_type']}, "
                                    f"expected {dtype}")
    # The trainable attribute of the parameters is carried over.
    for a, p in zip(args[2:2 + len(params)], params):
        if a["trainable"] != p.trainable:
            raise ContractError(f"train_step marks parameter {p.name} "
                                f"trainable = {str(a['trainable']).lower()}"
                                f", the import says {p.trainable}")


class Report:
    def __init__(self, verbose=False):
        self.passed = self.failed = 0
        self.verbose = verbose
        self.max_err = {}

    def line(self, ok, label, text):
        print(f"{'PASS' if ok else 'FAIL'} {label:<34} {text}")
        self.passed += ok
        self.failed += not ok

    def note(self, kind, err):
        self.max_err[kind] = max(self.max_err.get(kind, 0.0), err)


def step_errors(loss, cur, mom, rec, start, stored, train, dtype, momentum,
                verbose=False):
    """The errors of one step's loss, parameters `cur` and momentum buffers
    `mom` (name -> tensor) against the reference record `rec` (`start`: the
    initial parameters, `stored`: the sum of |param| over the steps so far,
    see update_err): a dict with
    the worst error of each kind (and the parameter it occurs in), and the
    per-parameter lines for --verbose."""
    errs = {"loss": abs(loss - rec.loss) / max(abs(rec.loss), rec.scale,
                                               1e-30)}
    detail = []
    for kind in ("param", "update", "momentum"):
        if kind == "momentum" and not momentum:
            continue
        worst, worst_name = 0.0, ""
        for p in train:
            if kind == "param":
                e = rel_err(cur[p.name], rec.params[p.name])
            elif kind == "update":
                e = update_err(cur[p.name], rec.params[p.name],
                               start[p.name], stored[p.name], dtype)
            else:
                e = rel_err(mom[p.name], rec.momentum[p.name])
            if verbose:
                detail.append(f"    {kind:<8} {p.name:<24} {e:.2e}")
            if e >= worst:
                worst, worst_name = e, p.name
        errs[kind] = worst
        errs[kind + "_name"] = worst_name
    return errs, detail


def torch_baseline(model, params, data, ref, spec, dtype):
    """The worst errors of PyTorch's own training in `dtype` (bf16 or f32;
    PyTorch has no f16 convolution on the CPU) against the float64
    reference, for comparison with ours: a dict, or None."""
    compute = {"f32": torch.float32, "bf16": torch.bfloat16}.get(dtype)
    if compute is None:
        return None
    base = golden_train.reference_run(model, params, data, spec.loss,
                                      spec.lr, spec.momentum,
                                      spec.weight_decay, dtype,
                                      compute=compute,
                                      nesterov=spec.nesterov,
                                      optimizer=spec.optimizer,
                                      betas=spec.betas, eps=spec.eps)
    train = [p for p in params if p.trainable]
    start = {p.name: golden_train.rounded(p.tensor, dtype) for p in params}
    worst = {}
    stored = {p.name: torch.zeros(p.shape, dtype=torch.float64)
              for p in train}
    for step, (b, r) in enumerate(zip(base, ref)):
        for p in train:
            stored[p.name] += b.params[p.name].abs()
        errs, _ = step_errors(b.loss, b.params, b.momentum, r, start, stored,
                              train, dtype, spec.momentum)
        # momentum_step compares a step's momentum with the step PyTorch
        # takes from the run's previous state; in step 0 that state is the
        # initial one, so it is the momentum error of step 0 (later steps
        # would need the run's own state, which the baseline does not
        # replay).
        if step == 0 and "momentum" in errs:
            errs["momentum_step"] = errs["momentum"]
        for k, v in errs.items():
            if not k.endswith("_name"):
                worst[k] = max(worst.get(k, 0.0), v)
    return worst


def file_spec(path, class_name=None, model_fn=None, seed=0):
    """The ModelSpec of a model file (docs/Import.md: `model()` or
    `--class`/`--model-fn`, `INPUT_SHAPE`, and optionally `LOSS`, `LABEL`,
    `LR`, `MOMENTUM`, `WEIGHT_DECAY`, `TRAINABLE`), read as
    `pulptrain-run` reads it (pulptrain.sim_golden). Its `build` runs the
    file again, after the caller has seeded torch. Raises
    importer.ModelImportError."""
    # sim_golden takes TOLERANCE from this module: imported late.
    from pulptrain import sim_golden
    args = argparse.Namespace(model=None, file=path, class_name=class_name,
                              model_fn=model_fn, seed=seed)
    try:
        spec, _ = sim_golden.load_spec(args)
    except sim_golden.SetupError as e:
        raise importer.ModelImportError(str(e)) from None
    if spec.loss not in golden_train.LOSSES:
        raise importer.ModelImportError(
            f"error: {path}: LOSS {spec.loss!r} is not one of "
            f"{', '.join(golden_train.LOSSES)}")
    if spec.label not in golden_train.LABELS:
        raise importer.ModelImportError(
            f"error: {path}: LABEL {spec.label!r} is not one of "
            f"{', '.join(golden_train.LABELS)}")
    return dataclasses.replace(
        spec, build=lambda: importer.load_model_file(path, class_name,
                                                     model_fn)[0])


def run_check(name, dtype, steps=10, seed=0, report=None, workdir=None,
              step_mlir=None, verbose=False, baseline=False, opt_level=None,
              spec=None):
    """Checks model `name` of pulptrain.models (or `spec`, e.g. of
    file_spec, named `name`) in `dtype`; returns the Report."""
    spec = spec or models.MODELS[name]
    tol = TOLERANCE[dtype]
    if spec.optimizer == "adam":
        tol = {**tol, **ADAM_TOLERANCE[dtype]}
    report = report or Report(verbose)
    tag = f"{name}/{dtype}"

    torch.manual_seed(seed)
    model = spec.build()
    imported = importer.import_model(model, spec.input_shape, dtype,
                                     trainable=spec.trainable)
    if step_mlir is None:
        module = derive_step(imported.mlir, spec)
    else:
        with open(step_mlir) as f:
            module = f.read()
        # A file without the forward model gets the import prepended.
        if imported.forward_name not in host.c_interface(module, step_mlir):
            module = imported.mlir + "\n" + module
    if workdir:
        os.makedirs(workdir, exist_ok=True)
        with open(os.path.join(workdir, f"{name}_{dtype}.mlir"), "w") as f:
            f.write(module)
    args, results = step_interface(module)
    check_contract(args, results, imported, spec, dtype)
    build = None
    if workdir:
        build = os.path.join(workdir, f"{name}_{dtype}")
        os.makedirs(build, exist_ok=True)
    lib = host.compile_module(module, build, opt_level)

    params = imported.params
    train = [p for p in params if p.trainable]
    data = golden_train.make_dataset(imported.input_shape,
                                     imported.output_shape, spec.label,
                                     steps, dtype, seed,
                                     batch=imported.batch)
    ref = golden_train.reference_run(model, params, data, spec.loss,
                                     spec.lr, spec.momentum,
                                     spec.weight_decay, dtype,
                                     nesterov=spec.nesterov,
                                     optimizer=spec.optimizer,
                                     betas=spec.betas, eps=spec.eps)

    # @init_params: bit-exact rounded parameters (then the buffers).
    buffers = imported.buffers
    init = host.call_typed(lib, "init_params", [],
                           [(p.shape, dtype) for p in params + buffers])
    want = [golden_train.rounded(p.tensor, dtype) for p in params]
    want_buf = [golden_train.rounded(b.tensor, dtype) for b in buffers]
    errs = [rel_err(g, w) for g, w in zip(init, want + want_buf)] or [0.0]
    report.line(all(e == 0 for e in errs), f"{tag} init_params",
                f"{len(params)} params"
                + (f", {len(buffers)} buffers" if buffers else "") +
                f", max-rel-err {max(errs):.2e} "
                f"(exact)")

    # @forward on the first sample.
    x0 = data[0].x[0] if imported.batch else data[0].x
    out = host.call_typed(lib, imported.forward_name,
                          [(x0, dtype)] +
                          [(w, dtype) for w in want + want_buf],
                          [(imported.output_shape, dtype)])[0]
    fwd_want = golden_train.reference_forward(model, params, dtype, x0)
    e = rel_err(out, fwd_want)
    report.note("forward", e)
    report.line(e <= tol["forward"], f"{tag} forward",
                f"max-rel-err {e:.2e} tol {tol['forward']:g}")

    # The training steps.
    local_model = golden_train.reference_model(model, params, dtype)
    cur = {p.name: w for p, w in zip(params, want)}
    start = dict(cur)
    stored = {p.name: torch.zeros(p.shape, dtype=torch.float64)
              for p in train}
    mom = {p.name: torch.zeros(p.shape, dtype=torch.float64) for p in train}
    adam = spec.optimizer == "adam"
    # Adam's moments and step counter, zero at the start.
    avg = {p.name: torch.zeros(p.shape, dtype=torch.float64) for p in train}
    avg_sq = {p.name: torch.zeros(p.shape, dtype=torch.float64)
              for p in train}
    counter = torch.zeros((), dtype=torch.float64)
    # The step counter (Adam's, or the dropout masks' only).
    counted = adam or imported.dropouts
    buf = {b.name: w for b, w in zip(buffers, want_buf)}
    for step, (sample, rec) in enumerate(zip(data, ref)):
        ins = [(sample.x, dtype), (sample.label, dtype)]
        ins += [(cur[p.name], dtype) for p in params]
        if spec.momentum:
            ins += [(mom[p.name], dtype) for p in train]
        if adam:
            # Adam's state is f32 in every dtype.
            ins += [(avg[p.name], "f32") for p in train]
            ins += [(avg_sq[p.name], "f32") for p in train]
        if counted:
            ins += [(counter, "f32")]
        ins += [(buf[b.name], dtype) for b in buffers]
        outs = [((), dtype)] + [(p.shape, dtype) for p in train]
        if spec.momentum:
            outs += [(p.shape, dtype) for p in train]
        if adam:
            outs += [(p.shape, "f32") for p in train] * 2
        if counted:
            outs += [((), "f32")]
        outs += [(b.shape, dtype) for b in buffers]
        if spec.momentum:
            # The step PyTorch takes from our current state.
            local = golden_train.reference_step(
                local_model, params, cur, mom, sample, spec.loss, spec.lr,
                spec.momentum, spec.weight_decay, spec.nesterov, step=step)
        got = host.call_typed(lib, "train_step", ins, outs)
        loss = got[0].item()
        for i, p in enumerate(train):
            cur[p.name] = got[1 + i]
            if spec.momentum:
                mom[p.name] = got[1 + len(train) + i]
            if adam:
                avg[p.name] = got[1 + len(train) + i]
                avg_sq[p.name] = got[1 + 2 * len(train) + i]
        if counted:
            counter = got[len(got) - len(buffers) - 1]
        for i, b in enumerate(buffers):
            buf[b.name] = got[len(got) - len(buffers) + i]
        for p in train:
            stored[p.name] += cur[p.name].abs()
        errs, detail = step_errors(loss, cur, mom, rec, start, stored, train,
                                   dtype, spec.momentum, verbose)
        def record_worst(key, label, names, ours, ref):
            """errs[key] = the largest relative error of ours[n] against
            ref[n] over `names`, errs[key + "_name"] the name that has it."""
            worst, worst_name = 0.0, ""
            for name in names:
                e = rel_err(ours[name], ref[name])
                if verbose:
                    detail.append(f"    {label:<8} {name:<24} {e:.2e}")
                if e >= worst:
                    worst, worst_name = e, name
            errs[key] = worst
            errs[key + "_name"] = worst_name

        if spec.momentum:
            record_worst("momentum_step", "mom-step", [p.name for p in train],
                         mom, local.momentum)
        if buffers:
            record_worst("buffer", "buffer", [b.name for b in buffers], buf,
                         rec.buffers)
        if adam:
            record_worst("exp_avg", "exp_avg", [p.name for p in train], avg,
                         rec.exp_avg)
            record_worst("exp_avg_sq", "exp_avg_sq", [p.name for p in train],
                         avg_sq, rec.exp_avg_sq)
            # The step counter is exact: PyTorch's state['step'].
            errs["step_counter"] = abs(counter.item() - rec.step)
        elif counted:
            # The dropout masks' counter counts the steps taken.
            errs["step_counter"] = abs(counter.item() - (step + 1))
        ok = all(errs[k] <= tol[k] for k in tol if k in errs) and \
            errs.get("step_counter", 0.0) == 0.0
        for k in tol:
            if k in errs:
                report.note(k, errs[k])
        text = (f"loss {loss:.6e} (ref {rec.loss:.6e}) err {errs['loss']:.1e}"
                f" param {errs['param']:.1e} update {errs['update']:.1e}")
        if spec.momentum:
            text += (f" momentum {errs['momentum']:.1e}"
                     f" momentum-step {errs['momentum_step']:.1e}")
        if buffers:
            text += f" buffer {errs['buffer']:.1e}"
        if adam:
            text += (f" exp_avg {errs['exp_avg']:.1e}"
                     f" exp_avg_sq {errs['exp_avg_sq']:.1e}"
                     f" step {counter.item():g} (ref {rec.step:g})")
        if not ok:
            bad = [k for k in tol if k in errs and errs[k] > tol[k]]
            text += "  exceeds " + ", ".join(
                f"{k} tol {tol[k]:g}" + (f" ({errs[k + '_name']})"
                                            if k + "_name" in errs else "")
                for k in bad)
        report.line(ok, f"{tag} step {step}", text)
        for d in detail:
            print(d)
    if baseline:
        worst = torch_baseline(model, params, data, ref, spec, dtype)
        if worst is None:
            print(f"INFO {tag} no PyTorch CPU baseline for {dtype}")
        else:
            print(f"INFO {tag} PyTorch {dtype} training, max errors: " +
                  ", ".join(f"{k} {v:.2e}" for k, v in sorted(worst.items())))
    return report


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", choices=sorted(models.MODELS),
                        action="append", default=[],
                        help="model of pulptrain.models (repeatable)")
    parser.add_argument("--model-file", metavar="FILE",
                        help="a model file as tools/pulptrain-import and "
                             "pulptrain-run read it (model(), INPUT_SHAPE, "
                             "LOSS, LR, ...; docs/Import.md)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--class", dest="class_name", metavar="NAME",
                       help="model file: instantiate this nn.Module class")
    which.add_argument("--model-fn", metavar="NAME",
                       help="model file: call this function (default: "
                            "model)")
    parser.add_argument("--dtype", choices=DTYPES, action="append",
                        help="element type (repeatable; default: f32)")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--verbose", action="store_true",
                        help="print the error of every parameter")
    parser.add_argument("--keep", metavar="DIR",
                        help="keep the MLIR and build files in DIR")
    parser.add_argument("--opt-level", type=int, choices=range(4),
                        metavar="N",
                        help="pulptrain-translate -O level (default: its "
                             "own; the tests use 0, which compiles much "
                             "faster and computes the same numbers)")
    parser.add_argument("--torch-baseline", action="store_true",
                        help="also print the errors of PyTorch's own "
                             "training in the element type (f32, bf16)")
    parser.add_argument("--step-mlir", metavar="FILE",
                        help="take @train_step from FILE instead of the "
                             "autodiff pass (appended to the import unless "
                             "FILE holds the forward function too)")
    args = parser.parse_args(argv)
    if not args.model and not args.model_file:
        parser.error("one of --model NAME or --model-file FILE is required")
    if (args.class_name or args.model_fn) and not args.model_file:
        parser.error("--class and --model-fn need --model-file")
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    report = Report(args.verbose)
    checks = [(name, None) for name in args.model]
    if args.model_file:
        try:
            spec = file_spec(args.model_file, args.class_name, args.model_fn,
                             args.seed)
        except importer.ModelImportError as e:
            message = str(e)
            if message.startswith("error: "):
                message = message[len("error: "):]
            print(f"train_check: error: {message}", file=sys.stderr)
            return 1
        checks.append((spec.name, spec))
    for name, spec in checks:
        for dtype in args.dtype or ["f32"]:
            try:
                run_check(name, dtype, args.steps, args.seed, report,
                          args.keep, args.step_mlir, args.verbose,
                          args.torch_baseline, args.opt_level, spec)
            except (ContractError, host.ToolError,
                    importer.ModelImportError, ValueError) as e:
                report.line(False, f"{name}/{dtype}",
                            f"{type(e).__name__}: {e}")
    if report.max_err:
        print("max errors: " + ", ".join(
            f"{k} {v:.2e}" for k, v in sorted(report.max_err.items())))
    print(f"{report.passed} passed, {report.failed} failed")
    return 0 if report.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
