# RUN: %rvas %s -o %t
# RUN: not pulptrain-sim --cores 4 --max-cycles 1000 %t 2>&1 | FileCheck %s
# CHECK: pulptrain-sim: error: core 0, pc 0x1c00000{{[0-9a-f]}}: runaway program: no exit after 1000 cycles (--max-cycles)
  .section .text.init
  .globl _start
_start:
  .option norvc
  addi a0, a0, 1
  j _start
