"""Golden data of a `pulptrain-run` on the simulated cluster.

Imports a PyTorch model (one of pulptrain.models, or a model file), draws the
training samples and runs the float64 PyTorch reference of
pulptrain.golden_train, and writes everything `pulptrain-run` needs as one
JSON document:

  format          "pulptrain-golden-1"
  model           the model's name
  dtype           element type of the import ("f32", "f16", "bf16")
  loss, lr, momentum, weight_decay, trainable, saved_activations
                  the training setup (command-line values override the
                  model's own; a model file's SAVED_ACTIVATIONS)
  mlir            the forward model with @init_params (pulptrain.importer)
  inputs          {input name: [one flat list of values per step]}
  labels          [one flat list of values per step]
  losses          PyTorch's loss per step (float64; none with --no-reference)
  loss_scales     per step, the magnitude the loss's rounding error scales
                  with (golden_train.loss_scale: for cross-entropy the
                  largest logit); a loss is compared relative to the larger
                  of it and the loss
  loss_tolerance  max relative loss error accepted for the element type

Values are the samples rounded to the element type, written as decimal
float64 numbers, which represent them exactly.

A model file is what tools/pulptrain-import reads (see
pulptrain.importer.load_model_file): a `model()` function returning the
nn.Module and `INPUT_SHAPE` (unbatched, (C, H, W) or (N,)). It may set the
training setup with `LOSS` ("mse" or "cross_entropy"), `LABEL` ("randn" or
"onehot"), `LR` (default 0.01), `MOMENTUM`, `WEIGHT_DECAY` and `TRAINABLE`
(layer names), the fields of pulptrain.models.ModelSpec. It is run after
`torch.manual_seed(seed)`.

  /usr/bin/python3 -m pulptrain.sim_golden (--model NAME | FILE.py
      [--class NAME | --model-fn NAME]) [--dtype f32] [--steps 10] [--seed 0] [--lr X] [--loss mse]
      [--momentum X] [--weight-decay X] [--trainable a,b]
      [--saved-activations model|f16|bf16] [--no-reference]
      [-o FILE]

Errors (unknown model, unsupported layer, bad file) print one line starting
with "error: " on stderr and exit with status 1.
"""

import argparse
import json
import math
import os
import sys

import torch

from pulptrain import golden_train, importer, models
from pulptrain.train_check import TOLERANCE


# Seeds are unsigned 32-bit: every generator of the run takes them.
SEED_MAX = 2**32 - 1

# The relative loss error accepted in an f32 run with saved activations in
# f16 or bf16 against the hooked PyTorch reference (golden_train.
# saved_activations), docs/Import.md "Saved activations in f16 or bf16".
SAVED_ACTIVATIONS_TOLERANCE = {"f16": {"loss": 1e-4, "param": 5e-4},
                               "bf16": {"loss": 1e-3, "param": 5e-3}}


class SetupError(Exception):
    pass


def load_spec(args):
    """The ModelSpec and a fresh model (built after seeding torch)."""
    torch.manual_seed(args.seed)
    if args.model:
        if args.model not in models.MODELS:
            raise SetupError(f"unknown model '{args.model}' (one of "
                             f"{', '.join(sorted(models.MODELS))})")
        spec = models.MODELS[args.model]
        return spec, spec.build()
    try:
        model, ns = importer.load_model_file(args.file, args.class_name,
                                             args.model_fn)
    except importer.ModelImportError as e:
        raise SetupError(str(e))
    try:
        input_shape = importer.model_input_shape(ns,
                                                 os.path.abspath(args.file))
    except importer.ModelImportError as e:
        raise SetupError(str(e))
    spec = models.ModelSpec(
        name=os.path.splitext(os.path.basename(args.file))[0], build=None,
        input_shape=input_shape,
        loss=getattr(ns, "LOSS", "mse"), label=getattr(ns, "LABEL", "randn"),
        lr=getattr(ns, "LR", 0.01), momentum=getattr(ns, "MOMENTUM", 0.0),
        weight_decay=getattr(ns, "WEIGHT_DECAY", 0.0),
        trainable=getattr(ns, "TRAINABLE", None),
        nesterov=getattr(ns, "NESTEROV", False),
        optimizer=getattr(ns, "OPTIMIZER", "sgd"),
        betas=getattr(ns, "BETAS", (0.9, 0.999)),
        eps=getattr(ns, "EPS", 1e-8),
        saved_activations=getattr(ns, "SAVED_ACTIVATIONS", "model"))
    # torch.optim.Adam's options that the compiled step does not have.
    for name in ("AMSGRAD", "MAXIMIZE"):
        if getattr(ns, name, False):
            raise SetupError(f"{args.file}: {name} = True is not supported "
                             f"(the Adam step is torch.optim.Adam with "
                             f"amsgrad=False, maximize=False)")
    return spec, model


def check_setup(lr, momentum, weight_decay):
    """SGD hyperparameters PyTorch and the training step both accept: a
    finite positive learning rate, a finite non-negative momentum and weight
    decay."""
    for name, value in (("lr", lr), ("momentum", momentum),
                        ("weight decay", weight_decay)):
        if not isinstance(value, (int, float)) or isinstance(value, bool) \
                or not math.isfinite(value):
            raise SetupError(f"the {name} {value!r} is not a finite number")
    if lr <= 0:
        raise SetupError(f"the lr {lr!r} is not positive")
    if momentum < 0:
        raise SetupError(f"the momentum {momentum!r} is negative")
    if weight_decay < 0:
        raise SetupError(f"the weight decay {weight_decay!r} is negative")


def check_adam_setup(optimizer, betas, eps, momentum, nesterov):
    """The optimizer of a model file (OPTIMIZER, BETAS, EPS) or the command
    line: sgd, or adam with two betas in [0, 1), a finite eps >= 0 and no
    SGD momentum."""
    if optimizer not in golden_train.OPTIMIZERS:
        raise SetupError(f"unknown optimizer {optimizer!r} (one of "
                         f"{', '.join(golden_train.OPTIMIZERS)})")
    if optimizer != "adam":
        return
    if momentum or nesterov:
        raise SetupError("optimizer adam takes no MOMENTUM or NESTEROV "
                         "(they are SGD's)")
    if not isinstance(betas, (tuple, list)) or len(betas) != 2 or not all(
            isinstance(b, (int, float)) and not isinstance(b, bool)
            and 0 <= b < 1 for b in betas):
        raise SetupError(f"BETAS {betas!r} is not two numbers in [0, 1)")
    if not isinstance(eps, (int, float)) or isinstance(eps, bool) or \
            not math.isfinite(eps) or eps < 0:
        raise SetupError(f"EPS {eps!r} is not a finite number >= 0")


def tolerance(dtype, saved, measure):
    """The relative error accepted for `measure` ("loss" or "param") of a
    run in `dtype` with saved activations `saved`."""
    if saved == "model":
        return TOLERANCE[dtype][measure]
    return SAVED_ACTIVATIONS_TOLERANCE[saved][measure]


def flat(t):
    return [float(v) for v in t.reshape(-1).tolist()]


def golden(args):
    spec, model = load_spec(args)
    loss = args.loss or spec.loss
    if loss not in golden_train.LOSSES:
        raise SetupError(f"unknown loss '{loss}' (one of "
                         f"{', '.join(golden_train.LOSSES)})")
    lr = spec.lr if args.lr is None else args.lr
    momentum = spec.momentum if args.momentum is None else args.momentum
    weight_decay = (spec.weight_decay if args.weight_decay is None
                    else args.weight_decay)
    # The model file's own setup is checked like the command line's.
    check_setup(lr, momentum, weight_decay)
    # Callers that build their own Namespace (random_models) may not set
    # the optimizer options: the model's own then.
    def given(name):
        return getattr(args, name, None)

    nesterov = spec.nesterov if given("nesterov") is None else args.nesterov
    if not isinstance(nesterov, bool):
        raise SetupError(f"NESTEROV {nesterov!r} is not True or False")
    if nesterov and momentum == 0:
        raise SetupError("Nesterov momentum needs a non-zero momentum")
    optimizer = spec.optimizer if given("optimizer") is None \
        else args.optimizer
    saved = spec.saved_activations if given("saved_activations") is None \
        else args.saved_activations
    if saved not in golden_train.SAVED_ACTIVATIONS:
        raise SetupError(f"SAVED_ACTIVATIONS {saved!r} is not one of "
                         f"{', '.join(golden_train.SAVED_ACTIVATIONS)}")
    if saved != "model" and args.dtype != "f32":
        raise SetupError(f"saved activations in {saved} need an f32 model, "
                         f"not {args.dtype}")
    betas = spec.betas if given("betas") is None else tuple(args.betas)
    eps = spec.eps if given("eps") is None else args.eps
    check_adam_setup(optimizer, betas, eps, momentum, nesterov)
    trainable = spec.trainable
    if args.trainable is not None:
        trainable = [t for t in args.trainable.split(",") if t]
    try:
        imported = importer.import_model(model, spec.input_shape, args.dtype,
                                         trainable=trainable)
        importer.check_trainable(imported, model)
    except importer.ModelImportError as e:
        raise SetupError(str(e))
    data = golden_train.make_dataset(imported.input_shape,
                                     imported.output_shape, spec.label,
                                     args.steps, args.dtype, args.seed,
                                     batch=imported.batch)
    ref = [] if args.no_reference else golden_train.reference_run(
        model, imported.params, data, loss, lr, momentum, weight_decay,
        args.dtype, nesterov=nesterov, optimizer=optimizer, betas=betas,
        eps=eps, saved=saved)
    return {
        "format": "pulptrain-golden-1",
        "model": spec.name,
        "dtype": args.dtype,
        "loss": loss,
        "lr": lr,
        "momentum": momentum,
        "weight_decay": weight_decay,
        "nesterov": nesterov,
        "optimizer": optimizer,
        "betas": list(betas),
        "eps": eps,
        "saved_activations": saved,
        "trainable": [p.layer for p in imported.params if p.trainable],
        "mlir": imported.mlir,
        "inputs": {imported.input_name: [flat(s.x) for s in data]},
        "labels": [flat(s.label) for s in data],
        "losses": [r.loss for r in ref],
        "loss_scales": [r.scale for r in ref],
        "loss_tolerance": tolerance(args.dtype, saved, "loss"),
        # The trained parameters after the last step (float64 reference).
        "final_params": {name: flat(t) for name, t in ref[-1].params.items()}
        if ref else {},
        "param_tolerance": tolerance(args.dtype, saved, "param"),
        # BatchNorm2d running statistics after the last step.
        "final_buffers": {name: flat(t)
                          for name, t in ref[-1].buffers.items()}
        if ref else {},
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--model", help="a model of pulptrain.models")
    source.add_argument("file", nargs="?", help="a model file (.py)")
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--class", dest="class_name",
                       help="model file: instantiate this nn.Module class")
    which.add_argument("--model-fn",
                       help="model file: call this function (default model)")
    parser.add_argument("--dtype", choices=importer.DTYPES, default="f32")
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--lr", type=float)
    parser.add_argument("--loss")
    parser.add_argument("--momentum", type=float)
    parser.add_argument("--weight-decay", type=float)
    parser.add_argument("--nesterov", action="store_true", default=None)
    parser.add_argument("--optimizer")
    parser.add_argument("--betas", type=float, nargs=2)
    parser.add_argument("--eps", type=float)
    parser.add_argument("--trainable", help="comma-separated layer names")
    parser.add_argument("--saved-activations",
                        help="model, f16 or bf16: element type of the saved "
                             "activations of an f32 model")
    parser.add_argument("--no-reference", action="store_true",
                        help="import and draw the samples, but do not train "
                             "the PyTorch reference (\"losses\" is empty)")
    parser.add_argument("-o", "--output", default="-")
    args = parser.parse_args(argv)
    if args.steps < 1:
        parser.error("--steps must be at least 1")
    if not 0 <= args.seed <= SEED_MAX:
        parser.error(f"--seed must be in [0, {SEED_MAX}]")
    try:
        doc = golden(args)
    except SetupError as e:
        message = str(e)
        if message.startswith("error: "):
            message = message[len("error: "):]
        print(f"error: {message}", file=sys.stderr)
        return 1
    text = json.dumps(doc)
    if args.output == "-":
        sys.stdout.write(text)
    else:
        with open(args.output, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
