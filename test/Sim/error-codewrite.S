# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 1 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: core 0, pc 0x1c000008, instruction 0x00052023 (sw zero, 0(a0)): store to 0x1c000000, which is in an executable (code) segment
  .section .text.init
  .globl _start
_start:
  .option norvc
  lui a0, %hi(_start)
  addi a0, a0, %lo(_start)
  sw zero, 0(a0)
