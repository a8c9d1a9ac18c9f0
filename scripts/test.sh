#!/usr/bin/env bash
# Installs, builds and runs the whole test suite (lit: dialect, passes,
# translation, unit tests, simulator, integration and golden-model tests).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build=${PULPTRAIN_BUILD_DIR:-$root/build}
"$root/scripts/setup.sh"
cmake --build "$build" --target check-pulptrain
