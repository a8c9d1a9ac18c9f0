#!/usr/bin/env bash
# Installs and builds pulptrain, then runs the main job on the default example
# (the PULP-TrainLib tutorial CNN, FP32): verifies its training step, lowers it
# with the reference pipeline and emits a RISC-V object for the PULP cluster.
# (Running it on the simulated cluster comes with the end-to-end driver.)
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PULPTRAIN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
model=${1:-$root/examples/tutorial_cnn/train_step.mlir}
out="$build/examples"
mkdir -p "$out"
name=$(basename "$model" .mlir)

echo "== pulptrain: verifying $model"
"$build/bin/pulptrain-opt" "$model"
echo "== pulptrain: lowering to the LLVM dialect (riscv32) and emitting $out/$name.o"
"$build/bin/pulptrain-opt" "$model" --pulptrain-lower-to-llvm=target=riscv32 \
  -o "$out/$name.llvm.mlir"
"$build/bin/pulptrain-translate" --mlir-to-object --target=riscv32 \
  "$out/$name.llvm.mlir" -o "$out/$name.o"
/usr/lib/llvm-22/bin/llvm-size "$out/$name.o"
/usr/lib/llvm-22/bin/llvm-nm --defined-only "$out/$name.o"
