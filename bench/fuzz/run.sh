#!/bin/sh
# Fuzzing campaign of pulptrain-opt and pulptrain-translate (docs/Fuzzing.md):
# builds the two tools (in build/ unless BUILD is set) and runs 10,000
# seeded mutants of the project's MLIR inputs and of the models' training
# steps on two processes. Arguments go to bench/fuzz/fuzz.py (--mutants,
# --seed, -j, --out, ...).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-opt pulptrain-translate > /dev/null
exec /usr/bin/python3 "$ROOT/bench/fuzz/fuzz.py" --bin "$BUILD/bin" \
  --models --mutants 10000 --seed 1 -j 2 "$@"
