#!/bin/sh
# Simulation-speed benchmark of pulptrain-sim: builds the simulator (Release,
# in build/ unless BUILD is set) and the FP32 matmul program, runs it on
# 1 and 8 simulated cores under both timing presets (ideal; pulp-open, which
# adds the instruction-cache model, shared FPUs and DMA bank slots) and
# prints simulated instructions per host second.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
INPUTS=$ROOT/test/Sim/Inputs
OUT=${TMPDIR:-/tmp}/pulptrain-sim-bench
mkdir -p "$OUT"
ninja -C "$BUILD" pulptrain-sim > /dev/null
# The standard ISA of the cluster (lib/Target/ISA.cmake).
clang-22 --target=riscv32-unknown-elf \
  -march="$("$BUILD/bin/pulptrain-cc" --no-xcv --print-march)" -mabi=ilp32 \
  -O2 -nostdlib -ffreestanding -static --ld-path=ld.lld-22 \
  -T "$INPUTS/sim.ld" -I "$INPUTS" "$INPUTS/crt0-sim.S" "$INPUTS/io-sim.c" \
  "$ROOT/bench/sim/matmul.c" -o "$OUT/matmul.elf"
printf '| preset | cores | simulated instructions | simulated cycles | host seconds | MIPS (sim. instr. / host s) |\n'
printf '|---|---|---|---|---|---|\n'
for preset in ideal pulp-open; do
for cores in 1 8; do
  best=""
  for run in 1 2 3; do
    "$BUILD/bin/pulptrain-sim" --preset $preset --cores $cores -q \
      --stats-json "$OUT/s.json" "$OUT/matmul.elf" > "$OUT/out.txt"
    line=$(/usr/bin/python3 -c "
import json; s = json.load(open('$OUT/s.json'))
print('%d %d %.3f %.1f' % (s['total']['instructions'], s['cycles'], s['host_seconds'], s['mips']))")
    mips=$(echo "$line" | cut -d' ' -f4)
    if [ -z "$best" ] || [ "$(echo "$mips > $(echo "$best" | cut -d' ' -f4)" | bc)" = 1 ]; then
      best=$line
    fi
  done
  echo "$best" | awk -v p=$preset -v c=$cores '{printf "| %s | %d | %d | %d | %.3f | %.1f |\n", p, c, $1, $2, $3, $4}'
done
done
echo "(best of 3 runs; output: $(cat "$OUT/out.txt"))"
