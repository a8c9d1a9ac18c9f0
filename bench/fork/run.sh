#!/bin/sh
# Fork/join and barrier cost on the simulated cluster (docs/Benchmarks.md):
# builds fork_barrier.c against the runtime and runs it on 1, 2, 4 and 8
# cores of pulptrain-sim (build/ unless BUILD is set). `run.sh --preset
# pulp-open` uses that timing model of the simulator (default: ideal).
set -e
PRESET=ideal
if [ "$1" = "--preset" ] && [ -n "$2" ]; then
  PRESET=$2
  case $PRESET in
    ideal|pulp-open) ;;
    *) echo "$0: unknown preset '$PRESET' (ideal, pulp-open)" >&2; exit 1 ;;
  esac
elif [ -n "$1" ]; then
  echo "usage: $0 [--preset ideal|pulp-open]" >&2
  exit 1
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-sim pulptrain-cc pulptrain-runtime > /dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
"$BUILD/bin/pulptrain-cc" -O2 "$ROOT/bench/fork/fork_barrier.c" -o "$TMP/fork.elf"
echo "| cores | fork_kernel + join (cycles) | fork + join (cycles) | barrier (cycles) | DMA copy, 40 B (cycles) | DMA wait_all (cycles) |"
echo "|---:|---:|---:|---:|---:|---:|"
for cores in 1 2 4 8; do
  "$BUILD/bin/pulptrain-sim" -q --preset "$PRESET" --cores $cores "$TMP/fork.elf" |
    awk -v c=$cores '/^fork_kernel/ {k=$2} /^fork / {f=$2} /^barrier/ {b=$2}
                     /^dma_copy/ {dc=$2} /^dma_wait/ {dw=$2}
                     END {printf "| %d | %d | %d | %d | %d | %d |\n", c, k, f, b, dc, dw}'
done
