"""Compile time of a training step, stage by stage (issue 17).

For each model: the CPU time (user + system, of the child processes) of

  import     python3 -m pulptrain.sim_golden --no-reference (torch.fx import
             to the forward model with @init_params, as pulptrain-run does)
  opt        pulptrain-opt --pulptrain-stage-train-step=... (loss, lr,
             momentum, weight decay of the model) then
             --pulptrain-lower-to-llvm=target=riscv32 cores=8 (and the L2
             size given here), written as MLIR bytecode (--emit-bytecode:
             the lowered step is megabytes of text to print and parse),
             with --verify-each=false as pulptrain-run lowers (the IR is
             verified once, when pulptrain-translate reads it)
  translate  pulptrain-translate --mlir-to-object --target=riscv32 of it
  link       pulptrain-cc -O2 of a main that takes the step's address,
             with the object

their sum from import to object (the compile, what issue 17's target
counts) and to the linked ELF, with the object's size and its code (.text). The models:
the tutorial CNN (examples/tutorial_cnn/model.py), the models of
python/pulptrain/models.py and MobileNetV1-0.25 on 3x32x32
(examples/mobilenet_v1/model.py). The CPU times vary from run to run by a
few percent; the machine's load does not enter them (wall time would).

  /usr/bin/python3 bench/compile/compile.py [--build DIR] [--models a,b]
      [--l2-size 4194304]

prints the Markdown table of docs/Benchmarks.md.
"""

import argparse
import json
import os
import resource
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "python"))
from pulptrain import models  # noqa: E402

FILES = {
    "tutorial_cnn_file": os.path.join(ROOT, "examples/tutorial_cnn/model.py"),
    "mobilenet_v1": os.path.join(ROOT, "examples/mobilenet_v1/model.py"),
}


def cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def text_size(path):
    """Bytes of the .text section of an ELF32 little-endian object."""
    with open(path, "rb") as f:
        elf = f.read()
    shoff, = struct.unpack_from("<I", elf, 0x20)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x2E)
    def section(i):
        return struct.unpack_from("<IIIIII", elf, shoff + i * shentsize)
    names = section(shstrndx)[4]
    for i in range(shnum):
        name, _, _, _, _, size = section(i)
        end = elf.index(b"\0", names + name)
        if elf[names + name:end] == b".text":
            return size
    return 0


def timed(cmd, env=None, stdout=None):
    start = cpu()
    proc = subprocess.run(cmd, env=env, stdout=stdout,
                          stderr=subprocess.PIPE, text=True)
    if proc.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed:\n{proc.stderr[-3000:]}")
    return cpu() - start


def measure(name, build, tmp, l2):
    bin_dir = os.path.join(build, "bin")
    env = dict(os.environ, PYTHONPATH=os.path.join(ROOT, "python"),
               PULPTRAIN_BIN_DIR=bin_dir)
    golden = os.path.join(tmp, name + ".json")
    source = (["--model", name] if name in models.MODELS
              else [FILES[name]])
    t_import = timed([sys.executable, "-m", "pulptrain.sim_golden",
                      "--no-reference", "-o", golden] + source, env=env)
    doc = json.load(open(golden))
    fwd = os.path.join(tmp, name + ".mlir")
    with open(fwd, "w") as f:
        f.write(doc["mlir"])
    step = (f"loss={doc['loss']} lr={doc['lr']} momentum={doc['momentum']} "
            f"weight-decay={doc['weight_decay']}")
    if doc["trainable"]:
        step += " trainable=" + ",".join(doc["trainable"])
    llvm = os.path.join(tmp, name + ".llvm.mlirbc")
    t_opt = timed([os.path.join(bin_dir, "pulptrain-opt"), fwd,
                   f"--pulptrain-stage-train-step={step}",
                   f"--pulptrain-lower-to-llvm=target=riscv32 cores=8 "
                   f"l2-size={l2}", "--verify-each=false",
                   "--emit-bytecode", "-o", llvm])
    obj = os.path.join(tmp, name + ".o")
    t_translate = timed([os.path.join(bin_dir, "pulptrain-translate"),
                         "--mlir-to-object", "--target=riscv32", llvm,
                         "-o", obj])
    main = os.path.join(tmp, name + "_main.c")
    with open(main, "w") as f:
        f.write("void train_step(void);\n"
                "int main(void) { return (int)(unsigned long)&train_step "
                "& 1; }\n")
    t_link = timed([os.path.join(bin_dir, "pulptrain-cc"), "-O2", main, obj,
                    "-o", os.path.join(tmp, name + ".elf")])
    return (t_import, t_opt, t_translate, t_link, os.path.getsize(obj),
            text_size(obj))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--build", default=os.path.join(ROOT, "build"))
    parser.add_argument("--models",
                        default=",".join(["tutorial_cnn_file"]
                                         + list(models.MODELS)
                                         + ["mobilenet_v1"]))
    parser.add_argument("--l2-size", type=int, default=4 << 20,
                        help="L2 bytes of the plan (MobileNetV1-0.25's "
                        "step needs more than the default 1 MiB)")
    args = parser.parse_args()
    print("| model | import (s) | pulptrain-opt (s) | pulptrain-translate (s)"
          " | import to object (s) | link (s) | total CPU (s) | object (bytes)"
          " | .text (bytes) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    with tempfile.TemporaryDirectory(prefix="pulptrain-bench-compile-") as tmp:
        for name in args.models.split(","):
            i, o, t, l, size, text = measure(name, args.build, tmp, args.l2_size)
            print(f"| {name} | {i:.2f} | {o:.2f} | {t:.2f} | "
                  f"{i + o + t:.2f} | {l:.2f} | {i + o + t + l:.2f} | "
                  f"{size:,} | {text:,} |", flush=True)


if __name__ == "__main__":
    main()
