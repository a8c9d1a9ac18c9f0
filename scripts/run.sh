#!/usr/bin/env bash
# Installs and builds pulptrain, then runs the main job: trains the default
# example (the PULP-TrainLib tutorial CNN, FP32) for 10 steps on the
# simulated 8-core cluster, prints its losses next to PyTorch's and the
# per-layer cycles, MAC/cycle and stalls. Arguments go to pulptrain-run
# (see docs/Run.md), e.g. `scripts/run.sh --model dscnn --cores 1`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PULPTRAIN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
exec "$build/bin/pulptrain-run" "$@"
