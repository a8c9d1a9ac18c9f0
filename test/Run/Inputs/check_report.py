"""Checks the report of pulptrain-run against itself and across runs.

  check_report.py --json RUN.json [--text RUN.out] [--svg RUN.svg]
  check_report.py --same RUN.json RUN.json...

The first form checks one run: every loss is the value of its bit pattern
and within the tolerance of the reference, the regions' cycles add up to at
most the step's, the text table shows the JSON's counters with
MAC/cycle = MACs / cycles, and the SVG has one bar segment per region and
step whose heights are proportional to the cycles. It prints the region
table ("region <layer> <phase> macs <n> calls <n>") for FileCheck. The
second form checks that the runs have bit-identical losses and final
parameters. Any failed check raises (non-zero exit).
"""

import argparse
import json
import struct
import xml.etree.ElementTree as ET


def check(cond, what):
    if not cond:
        raise SystemExit(f"check failed: {what}")


def bits_to_float(bits, dtype):
    if dtype == "f32":
        return struct.unpack("<f", struct.pack("<I", bits))[0]
    if dtype == "f16":
        return struct.unpack("<e", struct.pack("<H", bits))[0]
    return struct.unpack("<f", struct.pack("<I", bits << 16))[0]


def check_run(doc, tol, text, svg):
    dtype = doc["config"]["dtype"]
    regions = doc["regions"]
    check([r["id"] for r in regions] == list(range(len(regions))),
          "region ids are 0..n-1")
    for s in doc["steps"]:
        loss = bits_to_float(int(s["loss_bits"], 16), dtype)
        check(loss == s["loss"], f"step {s['step']}: loss is its bit pattern")
        if "reference_loss" in s:
            ref = s["reference_loss"]
            check(abs(loss - ref) <= tol * abs(ref),
                  f"step {s['step']}: loss {loss} vs reference {ref}")
        if "regions" in s:
            inside = sum(r["cycles"] for r in s["regions"])
            check(0 < inside <= s["total"]["cycles"],
                  f"step {s['step']}: regions within the step")
            for r in s["regions"]:
                check(r["calls"] >= 1, f"step {s['step']}: region entered")
    for r in regions:
        calls = doc["steps"][0]["regions"][r["id"]]["calls"] \
            if "regions" in doc["steps"][0] else 0
        print(f"region {r['layer']} {r['phase']} macs {r['macs']} "
              f"calls {calls}")
    if text:
        check_text(doc, text)
    if svg:
        check_svg(doc, svg)


def check_text(doc, path):
    """The 'Step 0' table shows step 0's counters and MAC/cycle."""
    lines = open(path).read().splitlines()
    start = next(i for i, l in enumerate(lines) if l.startswith("Step 0 ("))
    rows = lines[start + 2:start + 2 + len(doc["regions"])]
    step0 = doc["steps"][0]["regions"]
    for r, line in zip(doc["regions"], rows):
        f = line.split()
        check(f[0] == r["layer"] and f[1] == r["phase"], f"row {line}")
        macs, cycles = int(f[2]), int(f[3])
        check(macs == r["macs"], f"row {line}: MACs")
        check(cycles == step0[r["id"]]["cycles"], f"row {line}: cycles")
        if macs:
            check(abs(float(f[4]) - macs / cycles) <= 0.0005,
                  f"row {line}: MAC/cycle")
    total = lines[start + 2 + len(doc["regions"]) + 1].split()
    check(total[0] == "total" and
          int(total[2]) == doc["steps"][0]["total"]["cycles"], "total row")
    print(f"text table ok: {len(rows)} regions")


def check_svg(doc, path):
    ns = {"s": "http://www.w3.org/2000/svg"}
    root = ET.parse(path).getroot()
    bars = [r for r in root.iter("{http://www.w3.org/2000/svg}rect")
            if r.find("s:title", ns) is not None]
    steps = doc["steps"]
    per_step = len(doc["regions"]) + 1
    check(len(bars) == len(steps) * per_step, "one segment per region+step")
    # Heights are proportional to cycles (printed to 0.01 px): the scale of
    # the tallest segment fits every other one.
    segments = [(float(bars[i * per_step + j].get("height")), r["cycles"])
                for i, s in enumerate(steps)
                for j, r in enumerate(s["regions"])]
    h_max, c_max = max(segments, key=lambda hc: hc[1])
    check(c_max > 0 and h_max > 0, "a region with cycles")
    scale = h_max / c_max
    for h, c in segments:
        check(abs(h - scale * c) <= 0.011, f"segment of {c} cycles: "
              f"height {h} proportional to cycles")
    print(f"svg ok: {len(bars)} bar segments")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--json")
    parser.add_argument("--text")
    parser.add_argument("--svg")
    parser.add_argument("--tolerance", type=float, default=1e-5)
    parser.add_argument("--same", nargs="+")
    args = parser.parse_args()
    if args.json:
        check_run(json.load(open(args.json)), args.tolerance, args.text,
                  args.svg)
    if args.same:
        docs = [json.load(open(p)) for p in args.same]
        first = docs[0]
        for path, doc in zip(args.same[1:], docs[1:]):
            check([s["loss_bits"] for s in doc["steps"]] ==
                  [s["loss_bits"] for s in first["steps"]],
                  f"{path}: same losses")
            check(doc["final_param_fnv1a"] == first["final_param_fnv1a"],
                  f"{path}: same final parameters")
        print(f"same losses and parameters in {len(docs)} runs: "
              + " ".join(s["loss_bits"] for s in first["steps"]))


if __name__ == "__main__":
    main()
