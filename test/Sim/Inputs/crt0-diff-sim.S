# Start code of the QEMU differential tests on pulptrain-sim (--cores 1).
# It executes exactly as many instructions as crt0-diff-qemu.S so that the
# whole-program instruction counts of both runs can be compared.
  .section .text.init
  .globl _start
  .option norvc
_start:
  lui sp, 0x10010          # Stack at the top of the first 64 KiB of L1.
  li a0, 0
  call main
  lui t1, 0x1A10F
  sw a0, 4(t1)             # PULPTRAIN_EXIT
