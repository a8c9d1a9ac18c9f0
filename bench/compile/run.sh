#!/bin/sh
# Compile time of training steps, stage by stage (CPU seconds of import,
# pulptrain-opt, pulptrain-translate and link): builds the tools (in build/
# unless BUILD is set) and prints the Markdown table of docs/Benchmarks.md.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-opt pulptrain-translate pulptrain-cc \
  pulptrain-runtime > /dev/null
exec /usr/bin/python3 "$ROOT/bench/compile/compile.py" --build "$BUILD" "$@"
