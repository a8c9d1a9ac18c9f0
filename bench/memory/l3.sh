#!/bin/sh
# The training state and the temporaries in L3 (issue 18, item 4;
# docs/Benchmarks.md): cycles of a training step with all of its buffers in
# L2 against the same step on a part whose L2 cannot hold it, the state or
# the temporaries that do not fit in L3 (the simulator's L3 channel at its
# defaults, 1 byte/cycle and 200 cycles a transfer). One step, 8 simulated
# cores, SGD; each row one pulptrain-run:
#   the DS-CNN golden model (--model dscnn) f32, state in L2 (--l1-state 0,
#   1 MiB L2), and with --l2-size 66K (where one step does not fit) and an L3
#   of 64 KiB (test/Run/l3-state.test)
#   ResNet-8 f32 with --memory gap9 (1.5 MiB L2; its state in L1 and L2),
#   and with --l2-size 1120K (less than it needs; gap9's 8 MiB L3: state in
#   L3)
#   ResNet-8 f32 with --l2-size 768K (gap9's L3; more than the state's L2
#   bytes over: temporaries in L3), --l2-size 560K (temporaries and state in
#   L3) and with --memory small --l3-size 8M (512 KiB L2)
#   the tutorial CNN with its temporaries in L2 (--arena l2), 1 MiB of L2,
#   and 35.5 KiB of L2 with an L3 of 64 KiB (test/Run/l3-arena.test)
# A configuration that does not run gets the first line of its error.
set -e
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-run pulptrain-sim > /dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export PYTHONPATH="$ROOT/python${PYTHONPATH:+:$PYTHONPATH}"
RESNET="$ROOT/examples/mlperf_tiny/resnet8.py --loss cross_entropy"
echo "| model | memory | state L1 / L2 / L3 (B) | L2 staging (B) | temporaries L1 / L2 / L3 (B) | L3 transfers | L3 bytes | L3 DMA busy cycles | cycles / step | peak L2 (B) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
row() {
  name=$1
  what=$2
  shift 2
  if "$BUILD/bin/pulptrain-run" "$@" --steps 1 --json "$TMP/run.json" \
      > "$TMP/out.txt" 2> "$TMP/err.txt"; then
    /usr/bin/python3 - "$TMP/run.json" "$name" "$what" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m, t, s = d["memory"], d["steps"][0]["total"], d["simulator_totals"]
state = {"L1": 0, "L2": 0, "L3": 0}
for b in d.get("state", {}).get("buffers", []):
    state[b["memory"]] += b["bytes"]
print("| %s | %s | %d / %d / %d | %d | %d / %d / %d | %d | %d | %d | %d | %d |" % (
    sys.argv[2], sys.argv[3], state["L1"], state["L2"], state["L3"],
    m["l3_staging"], m["l1_arena"], m["l2_arena"], m["l3_arena"],
    s["l3_transfers"], s["l3_bytes"], s["l3_dma_cycles"],
    t["cycles"], m["l2_program_image"] + m["l2_heap_peak"]))
PY
  else
    reason=$(grep -m1 "error:" "$TMP/err.txt" | sed 's/.*error: //' | cut -c1-120)
    echo "| $name | $what | does not run: $reason | | | | | | | |"
  fi
}
row "DS-CNN (golden) f32" "1 MiB L2, state in L2" --model dscnn --l1-state 0
row "DS-CNN (golden) f32" "66 KiB L2 + 64 KiB L3" --model dscnn --l1-state 0 --l2-size 66K --l3-size 64K
row "ResNet-8 f32" "gap9 (1.5 MiB L2)" $RESNET --memory gap9 --dtype f32
row "ResNet-8 f32" "gap9, 1120 KiB L2 + 8 MiB L3" $RESNET --memory gap9 --l2-size 1120K --dtype f32
row "ResNet-8 f32" "gap9, 768 KiB L2 + 8 MiB L3" $RESNET --memory gap9 --l2-size 768K --dtype f32
row "ResNet-8 f32" "gap9, 560 KiB L2 + 8 MiB L3" $RESNET --memory gap9 --l2-size 560K --dtype f32
row "ResNet-8 f32" "small (512 KiB L2) + 8 MiB L3" $RESNET --memory small --l3-size 8M --dtype f32
row "tutorial CNN f32" "1 MiB L2, temporaries in L2" --model tutorial_cnn --arena l2
row "tutorial CNN f32" "35.5 KiB L2 + 64 KiB L3, temporaries in L2" --model tutorial_cnn --arena l2 --l2-size 36352 --l3-size 64K
