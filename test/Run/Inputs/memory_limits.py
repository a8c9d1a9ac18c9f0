"""Runs pulptrain-run just under and just over a memory limit.

  memory_limits.py l2|l1|l3 PULPTRAIN_RUN ARGS...

Runs the model once with a memory too small for it, reads the bytes the
program needs from the error's table ("L2: N B needed" / "L1: N B needed"),
then runs it with exactly that memory (it must train like PyTorch) and with
16 bytes less (it must be rejected by the same table). Prints one line per
run for FileCheck.
"""

import re
import subprocess
import sys

level, tool, args = sys.argv[1], sys.argv[2], sys.argv[3:]
flag = "--%s-size" % level
small = {"l1": "17K", "l2": "16K", "l3": "4"}[level]


def run(size):
    proc = subprocess.run([tool] + args + [flag, str(size)],
                          capture_output=True, text=True)
    return proc.returncode, proc.stdout + proc.stderr


status, text = run(small)
need = re.search(r"^  %s: (\d+) B needed" % level.upper(), text, re.M)
if status == 0 or not need:
    raise SystemExit("no table at %s=%s:\n%s" % (flag, small, text))
need = int(need.group(1))
for size in (need, need - 16):
    status, text = run(size)
    fits = "losses match PyTorch" in text
    table = re.search(r"^  %s: (\d+) B needed(?: \([^)]*\))?, (\d+) B "
                      r"available \(does not fit\)" % level.upper(), text,
                      re.M)
    if fits and status == 0:
        print("%s exact: runs" % level if size == need else "unexpected run")
    elif table and int(table.group(1)) == need and status != 0:
        print("%s minus 16: rejected, %d B needed" % (level, need)
              if size != need else "unexpected rejection")
    else:
        raise SystemExit("%s=%d: neither ran nor was rejected by the "
                         "table:\n%s" % (flag, size, text))
