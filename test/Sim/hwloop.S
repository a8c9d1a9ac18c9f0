# CORE-V hardware loops (xcvhwlp) end to end: the words of the CV32E40P v2
# user manual (LLVM 22 cannot assemble them, hence .word), executed,
# disassembled in the trace. Nested loops (the manual's example), the short
# forms cv.setupi / cv.setup, and an early exit by a branch out of the body
# (the count keeps the remaining iterations, read back through the
# read-only CSRs lpcount0/1 = 0xcc2/0xcc6). The only taken branch of the
# program is the early exit: the loops themselves cost no branch cycles.
# The program exits with the number of the first wrong result, 0 if all
# are right.
# RUN: %rvas %s -o %t
# RUN: pulptrain-sim --cores 1 --trace %t 2>&1 | FileCheck %s
# RUN: pulptrain-sim --cores 1 --preset pulp-open %t 2>&1 | FileCheck %s --check-prefix=OPEN
# CHECK: cv.starti 1, 20
# CHECK: cv.endi 1, 40
# CHECK: cv.count 1, a2
# CHECK: cv.starti 0, 12
# CHECK: cv.endi 0, 20
# CHECK: cv.count 0, a2
# CHECK: cv.setupi 0, 7, 16
# CHECK: cv.setup 1, a2, 16
# CHECK: cv.count 1, zero
# CHECK: cv.counti 0, 0
# CHECK: exit code 0, preset ideal
# CHECK: taken_branches 1 1
# OPEN: exit code 0, preset pulp-open
# OPEN: taken_branches 1 1

#define HWLP(F4, L, UIMM, RS1) \
  .word (((UIMM) << 20) | ((RS1) << 15) | (4 << 12) | ((F4) << 8) | ((L) << 7) | 0x2b)

  .section .text.init
  .globl _start
  .option norvc
  .option norelax
_start:
  li s0, 1
  li a0, 0
  li a1, 0
  li a2, 10
  # 1, 2: 10 x 10 x 3 additions of 1 to a0, 10 x 2 additions of 2 to a1.
  .balign 4
1:
  HWLP(0, 1, (11f - 1b) >> 2, 0)       # cv.starti 1, start1
  HWLP(2, 1, (13f - 1b - 4) >> 2, 0)   # cv.endi 1, end1
  HWLP(5, 1, 0, 12)                    # cv.count 1, a2
  HWLP(0, 0, (12f - 1b - 12) >> 2, 0)  # cv.starti 0, start0
  HWLP(2, 0, (14f - 1b - 16) >> 2, 0)  # cv.endi 0, end0
11:
  HWLP(5, 0, 0, 12)                    # cv.count 0, a2
12:
  addi a0, a0, 1
  addi a0, a0, 1
  addi a0, a0, 1
14:
  addi a1, a1, 2
  addi a1, a1, 2
13:
  li t0, 300
  bne a0, t0, fail
  li s0, 2
  li t0, 40
  bne a1, t0, fail

  # 3: cv.setupi 0, 7, end: 7 x (1 + 2 + 3).
  li s0, 3
  li a0, 0
2:
  HWLP(6, 0, 7, (3f - 2b) >> 2)
  addi a0, a0, 1
  addi a0, a0, 2
  addi a0, a0, 3
3:
  li t0, 42
  bne a0, t0, fail

  # 4: cv.setup 1, a2 (5), end; leaves in the third iteration when a0 == 3:
  # two iterations completed, lpcount1 = 3.
  li s0, 4
  li a0, 0
  li a3, 3
  li a2, 5
4:
  HWLP(7, 1, (5f - 4b) >> 2, 12)
  addi a0, a0, 1
  beq a0, a3, 6f
  nop
5:
  j fail
6:
  csrr t1, 0xcc6
  li t0, 3
  bne t1, t0, fail
  # 5: cv.count 1, zero and cv.counti 0, 0 clear both counts.
  li s0, 5
  HWLP(5, 1, 0, 0)                     # cv.count 1, zero
  HWLP(4, 0, 0, 0)                     # cv.counti 0, 0
  csrr t1, 0xcc6
  bnez t1, fail
  csrr t1, 0xcc2
  bnez t1, fail
  li s0, 0
fail:
  li t4, 0x1A10F004        # PULPTRAIN_EXIT
  sw s0, 0(t4)
7:
  j 7b
