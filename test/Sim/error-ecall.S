# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 1 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: core 0, pc 0x1c000000, instruction 0x00000073 (ecall): ecall is not supported; programs end by writing the EXIT register (platform.h)
  .section .text.init
  .globl _start
_start:
  .option norvc
  ecall
