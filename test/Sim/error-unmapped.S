# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 2 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: core {{[01]}}, pc 0x1c000004, instruction 0x00052583 (lw a1, 0(a0)): load from unmapped address 0x30000000
  .section .text.init
  .globl _start
_start:
  .option norvc
  li a0, 0x30000000
  lw a1, 0(a0)
