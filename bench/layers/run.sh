#!/bin/sh
# Layer-step benchmarks on the simulated cluster: builds the tools (in
# build/ unless BUILD is set) and prints the Markdown table of
# docs/Benchmarks.md (deterministic simulated cycles, 1 and 8 cores, FP32;
# --preset pulp-open for the GVSoC-calibrated timing model).
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-opt pulptrain-translate pulptrain-sim \
  pulptrain-cc pulptrain-runtime > /dev/null
exec /usr/bin/python3 "$ROOT/bench/layers/bench.py" --build "$BUILD" "$@"
