#!/usr/bin/env bash
# Installs and builds pulptrain, then runs the main job on the default example
# (the PULP-TrainLib tutorial CNN). At this stage of the project the main job
# verifies the example's training step and prints it.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PULPTRAIN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
model=${1:-$root/examples/tutorial_cnn/train_step.mlir}
echo "pulptrain: verifying $model"
"$build/bin/pulptrain-opt" "$model"
