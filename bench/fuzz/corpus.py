"""The seed corpus of the fuzzing campaign: the project's own MLIR inputs.

Seeds are the chunks (`// -----`) of every `.mlir` file under `test/` and
`examples/`, without their comment lines, and optionally the training steps
the importer derives for the models of `python/pulptrain/models.py`. Each
seed carries the commands its file's RUN lines apply to it, so that mutants
reach the passes that file tests, not only the full pipeline.
"""

import os
import re
import shlex

SPLIT = "// -----"

# Flags of the RUN lines that are about the test, not the compilation.
_TEST_FLAGS = {"--split-input-file", "--verify-diagnostics",
               "-verify-diagnostics", "--verify-roundtrip",
               "--mlir-print-op-generic", "-S", "-o"}


class Seed:
    """One seed chunk. `kind` is "step" (tensor-level input for
    pulptrain-opt) or "llvm" (LLVM dialect input for pulptrain-translate);
    `opt_args` and `translate_args` are the option lists of its RUN lines;
    `invalid` says the chunk expects an error (`expected-error`)."""

    def __init__(self, name, text, kind, opt_args, translate_args,
                 invalid=False):
        self.name = name
        self.invalid = invalid
        self.text = text
        self.kind = kind
        self.opt_args = opt_args
        self.translate_args = translate_args


def _run_commands(text):
    """(tool, options) for each RUN line of `text` that reads `%s`."""
    cmds = []
    for line in text.splitlines():
        m = re.match(r"\s*//\s*RUN:\s*(.*)", line)
        if not m:
            continue
        first = m.group(1).split("|")[0].replace("2>&1", "")
        try:
            words = shlex.split(first)
        except ValueError:
            continue
        if words and words[0] == "not":
            words = words[1:]
        if len(words) < 2 or "%s" not in words:
            continue
        tool, opts, skip = words[0], [], False
        for w in words[1:]:
            if skip:
                skip = False
            elif w == "-o":
                skip = True
            elif w != "%s" and w not in _TEST_FLAGS:
                opts.append(w)
        if tool in ("pulptrain-opt", "pulptrain-translate"):
            cmds.append((tool, tuple(opts)))
    return cmds


def _strip_comments(chunk):
    lines = [l for l in chunk.split("\n") if not l.lstrip().startswith("//")]
    return "\n".join(lines).strip("\n") + "\n"


def file_seeds(root):
    """Seeds from the `.mlir` files under `root`/test and `root`/examples."""
    seeds = []
    for top in ("test", "examples"):
        for dirpath, _, files in sorted(os.walk(os.path.join(root, top))):
            for f in sorted(files):
                if not f.endswith(".mlir"):
                    continue
                path = os.path.join(dirpath, f)
                with open(path) as fh:
                    text = fh.read()
                cmds = _run_commands(text)
                opt = sorted({o for t, o in cmds if t == "pulptrain-opt"})
                tr = sorted({o for t, o in cmds
                             if t == "pulptrain-translate"})
                rel = os.path.relpath(path, root)
                for i, chunk in enumerate(text.split(SPLIT)):
                    body = _strip_comments(chunk)
                    if not body.strip():
                        continue
                    kind = ("llvm" if "llvm.func" in body and
                            "func.func" not in body else "step")
                    seeds.append(Seed(f"{rel}#{i}", body, kind, opt, tr,
                                      "expected-error" in chunk))
    return seeds


def model_seeds(cache_dir):
    """The training steps of the models of python/pulptrain/models.py
    (f32, plus f16 and bf16 for two of them), imported without their
    parameter initializers; cached as files in `cache_dir`."""
    from pulptrain import importer, models  # torch is only needed here
    import torch
    os.makedirs(cache_dir, exist_ok=True)
    seeds = []
    variants = [(n, "f32") for n in sorted(models.MODELS)]
    variants += [("tutorial_cnn", "f16"), ("mlp", "bf16")]
    for name, dtype in variants:
        path = os.path.join(cache_dir, f"{name}-{dtype}.mlir")
        if not os.path.exists(path):
            spec = models.MODELS[name]
            torch.manual_seed(0)
            imported = importer.import_model(
                spec.build(), spec.input_shape, dtype, spec.trainable,
                init_params=False)
            opts = importer.autodiff_options(spec.loss, spec.lr,
                                             spec.momentum,
                                             spec.weight_decay)
            text = importer.run_opt([f"--pulptrain-autodiff={opts}"],
                                    imported.mlir)
            with open(path, "w") as fh:
                fh.write(text)
        with open(path) as fh:
            body = _strip_comments(fh.read())
        seeds.append(Seed(f"model:{name}-{dtype}", body, "step", [], []))
    return seeds
