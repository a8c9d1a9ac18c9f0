# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 1 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: core 0, pc 0x1c000004, instruction 0xffffffff: illegal instruction
  .section .text.init
  .globl _start
_start:
  .option norvc
  nop
  .word 0xffffffff
