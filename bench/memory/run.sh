#!/bin/sh
# Training memory of the MLPerf Tiny models (issue 18, docs/Benchmarks.md):
# ResNet-8 and DS-CNN (examples/mlperf_tiny), batch 1, cross-entropy, SGD,
# one training step on 8 simulated cores with the GAP9 memories (--memory
# gap9: 128 KiB L1, 1.5 MiB L2), in FP32, in FP32 with the saved activations
# in FP16 (--saved-activations f16, the rows "f32, f16 act.") and in FP16;
# ResNet-8 with BatchNorm (resnet8_bn) in FP32 and FP16 with and without
# the recomputation of pulptrain-recompute (--no-recompute).
# Prints a table of the peak L2 and L1 (the program image and the data the
# program keeps in each), the step's arena against its liveness lower bound,
# the L1 and L2 arenas (the temporaries placed buffer by buffer) each
# against its own liveness bound, the cycles of the step and its
# MAC/cycle; a model that does not compile or fit gets the reason.
# `run.sh --memory NAME` takes another configuration of pulptrain-run.
set -e
MEMORY=gap9
if [ "$1" = "--memory" ] && [ -n "$2" ]; then
  MEMORY=$2
elif [ -n "$1" ]; then
  echo "usage: $0 [--memory default|gap9|small]" >&2
  exit 1
fi
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build}
ninja -C "$BUILD" pulptrain-run > /dev/null
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
export PYTHONPATH="$ROOT/python${PYTHONPATH:+:$PYTHONPATH}"
echo "| model | dtype | peak L2 (B) | peak L1 (B) | arena (B) | arena lower bound (B) | L1 arena / its bound (B) | L2 arena / its bound (B) | cycles / step | MACs / step | MAC/cycle |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
for model in resnet8 dscnn resnet8_bn; do
  variants="f32 f32-f16act f16"
  if [ $model = resnet8_bn ]; then
    variants="f32 f32-norecompute f16 f16-norecompute"
  fi
  for variant in $variants; do
    dtype=${variant%%-*}
    saved=model
    label=$dtype
    recompute=
    if [ "$variant" = f32-f16act ]; then
      saved=f16
      label="f32, f16 act."
    elif [ "$variant" = "$dtype-norecompute" ]; then
      recompute=--no-recompute
      label="$dtype, no recomputation"
    fi
    if "$BUILD/bin/pulptrain-run" "$ROOT/examples/mlperf_tiny/$model.py" \
        --loss cross_entropy --steps 1 --dtype $dtype --memory "$MEMORY" \
        --saved-activations $saved $recompute \
        --json "$TMP/run.json" > "$TMP/out.txt" 2> "$TMP/err.txt"; then
      /usr/bin/python3 - "$TMP/run.json" $model "$label" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
m, t = d["memory"], d["steps"][0]["total"]
t["macs"] = sum(r["macs"] for r in d["regions"])
l1 = m["l1_data"] + m["l1_stacks"] + m["l1_heap_peak"]
arena = m["l1_arena"] + m["l2_arena"]
# The liveness bound of each arena, from the step's temporaries (16-byte
# alignment, as the plan packs them).
bound = {"L1": 0, "L2": 0}
for memory in bound:
    events = []
    for b in d["temporaries"]["buffers"]:
        if b["memory"] == memory:
            size = (b["bytes"] + 15) // 16 * 16
            events += [(b["first"], size), (b["last"] + 1, -size)]
    live = 0
    for _, delta in sorted(events):
        live += delta
        bound[memory] = max(bound[memory], live)
print("| %s | %s | %d | %d | %d | %d | %d / %d | %d / %d | %d | %d | %.2f |" % (
    sys.argv[2], sys.argv[3], m["l2_program_image"] + m["l2_heap_peak"], l1,
    arena, m["arena_live_bound"], m["l1_arena"], bound["L1"], m["l2_arena"],
    bound["L2"], t["cycles"], t["macs"], t["macs"] / t["cycles"]))
PY
    else
      /usr/bin/python3 - "$TMP/err.txt" $model "$label" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
needs = [(int(n), l) for l, n in re.findall(
    r"layer '([^']+)'[^:]*: its smallest tile needs (\d+) bytes", text)]
if needs:
    n, layer = max(needs)
    reason = ("%d ops do not fit L1; the largest smallest tile: %d B "
              "(layer %s)" % (len(needs), n, layer))
else:
    errors = [l for l in text.splitlines() if "error:" in l]
    reason = errors[0].split("error: ", 1)[1][:160] if errors else "?"
print("| %s | %s | does not run: %s | | | | | | | | |" % (
    sys.argv[2], sys.argv[3], reason))
PY
    fi
  done
done
