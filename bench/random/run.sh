#!/bin/sh
# Random models against PyTorch (issue 12, docs/RandomModels.md): builds the
# tools (in build/ unless BUILD is set), checks the models of a range of
# seeds in parallel, on the host and on 1 and 8 simulated cores, and
# minimizes every failure to a small model file in OUT/minimized.
#
#   bench/random/run.sh [--seeds 0:1000] [-j 2] [--out OUT] [--dtype mixed]
#       [--time-limit SECONDS] [--no-minimize] [--steps 3] [--cores 1,8]
#
# Defaults: seeds 0:1000, -j 2, OUT bench/random/out, f32 with every fifth
# seed f16 and every tenth bf16 (--dtype mixed). Ends with the counts and
# the minimized files; exit status 1 when a model failed.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-opt pulptrain-translate pulptrain-sim \
  pulptrain-cc pulptrain-run pulptrain-runtime > /dev/null
export PULPTRAIN_BIN_DIR="$BUILD/bin"
export PYTHONPATH="$ROOT/python${PYTHONPATH:+:$PYTHONPATH}"
exec /usr/bin/python3 -m pulptrain.random_models bench --seeds 0:1000 -j 2 \
  --out "$ROOT/bench/random/out" "$@"
