#!/bin/sh
# Cycles per element of exp, log, tanh and sigmoid (f32, f16, bf16; 1 and 8
# cores) and the cross-entropy on 10 logits, on the simulated cluster:
# builds the tools (in build/ unless BUILD is set) and prints the Markdown
# table of docs/Benchmarks.md (deterministic simulated cycles).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-opt pulptrain-translate pulptrain-sim \
  pulptrain-cc pulptrain-runtime > /dev/null
exec /usr/bin/python3 "$ROOT/bench/math/bench.py" --build "$BUILD" "$@"
