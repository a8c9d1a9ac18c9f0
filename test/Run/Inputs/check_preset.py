"""check_preset.py IDEAL.json OPEN.json: the JSON reports of one model run
under --preset ideal and --preset pulp-open. Checks that each names its
preset, that only pulp-open has per-region instruction-cache misses and FPU
contention, that the regions' values add up to at most the step's and that
the step has some of both, and that the simulator totals agree with the
presets (none of either under ideal). Any failed check raises."""

import json
import sys


def check(cond, what):
    if not cond:
        raise SystemExit(f"check failed: {what}")


ideal, open_ = (json.load(open(p)) for p in sys.argv[1:3])
check(ideal["config"]["preset"] == "ideal", "ideal run names its preset")
check(open_["config"]["preset"] == "pulp-open", "pulp-open run names it")
for s in ideal["steps"]:
    check("icache_misses" not in s["total"], "no region extras under ideal")
check(ideal["simulator_totals"]["icache_misses"] == 0, "perfect I-cache")
check(ideal["simulator_totals"]["fpu_contentions"] == 0, "private FPUs")
check(open_["simulator_totals"]["icache_misses"] > 0, "I-cache misses")
check(open_["simulator_totals"]["fpu_contentions"] > 0, "FPU contention")
for s in open_["steps"]:
    total = s["total"]
    check(total["icache_misses"] > 0, "the step misses in the I-cache")
    check(total["fpu_contentions"] > 0, "the step waits for shared FPUs")
    for key in ("icache_misses", "fpu_contentions"):
        inside = sum(r[key] for r in s["regions"])
        check(inside <= total[key], f"regions' {key} within the step's")
    check(total["icache_misses"] <= open_["simulator_totals"]["icache_misses"],
          "core 0's step misses within the whole program's")
print("presets ok")
