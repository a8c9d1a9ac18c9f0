#!/usr/bin/env python3
"""qemu_diff.py SIM SIM_ELF QEMU_ELF QEMU_CPU: runs the same program on
pulptrain-sim (--cores 1) and on qemu-riscv32 (-cpu QEMU_CPU, one instruction
per translation block, exec log), then checks that both print the same text and
execute the same number of instructions (the two start files and I/O shims
are padded to equal instruction counts). Prints a short report."""
import json
import os
import subprocess
import sys
import tempfile

sim, sim_elf, qemu_elf, qemu_cpu = sys.argv[1:5]
with tempfile.TemporaryDirectory() as tmp:
  stats = os.path.join(tmp, "stats.json")
  s = subprocess.run([sim, "--cores", "1", "-q", "--stats-json", stats, sim_elf],
                     capture_output=True, text=True)
  if s.returncode != 0:
    sys.exit("simulator failed (%d): %s" % (s.returncode, s.stderr))
  sim_instr = json.load(open(stats))["total"]["instructions"]
  log = os.path.join(tmp, "qemu.log")
  q = subprocess.run(["qemu-riscv32", "-cpu", qemu_cpu, "-singlestep", "-d", "exec,nochain", "-D", log, qemu_elf],
                     capture_output=True, text=True)
  if q.returncode != 0:
    sys.exit("qemu failed (%d): %s" % (q.returncode, q.stderr))
  with open(log, errors="replace") as f:
    qemu_instr = sum(1 for line in f if line.startswith("Trace "))
print(s.stdout, end="")
if s.stdout != q.stdout:
  sys.stdout.write("MISMATCH: qemu printed:\n" + q.stdout)
  sys.exit(1)
print("outputs identical (%d lines)" % s.stdout.count("\n"))
if sim_instr != qemu_instr:
  print("MISMATCH: instructions sim %d qemu %d" % (sim_instr, qemu_instr))
  sys.exit(1)
print("instruction counts identical")
