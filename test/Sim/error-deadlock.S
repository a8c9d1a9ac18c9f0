# Core 0 waits for a dispatch value nobody sends, core 1 waits at a barrier
# that core 0 never reaches.
# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 2 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: deadlock: all cores are asleep and nothing can wake them (core 0: dispatch pop at pc 0x1c000014, core 1: barrier at pc 0x1c000020)
  .section .text.init
  .globl _start
_start:
  .option norvc
  csrr t0, mhartid
  bnez t0, 1f
  li t1, 0x10204010
  lw t2, 0(t1)
1:
  li t1, 0x10204004
  lw t2, 0(t1)
  j _start
