# A misaligned halfword or word access is an error (not split in two).
# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 1 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: core 0, pc 0x1c000008, instruction 0x00b51023 (sh a1, 0(a0)): misaligned 2-byte store to 0x10000001
  .section .text.init
  .globl _start
_start:
  .option norvc
  li a0, 0x10000001
  sh a1, 0(a0)
