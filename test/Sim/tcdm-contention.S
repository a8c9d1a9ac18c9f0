# TCDM bank-conflict microbenchmark. Every round, all N cores leave the
# hardware barrier in the same cycle and load the same word (same bank).
# One access per bank per cycle: in the first cycle one core wins and N-1
# stall, in the next N-2 stall, ... so a round costs
#   (N-1) + (N-2) + ... + 1 = N(N-1)/2 contention cycles.
# 10 rounds: N=8 -> 10*28 = 280, N=16 -> 10*120 = 1200, N=1 -> 0.
# Loading word id instead (consecutive words are in different banks) gives 0;
# loading id * 4 * banks (same bank, different words) gives the same count as
# the same word.
# RUN: %rvas %s -o %t
# RUN: pulptrain-sim --cores 8 %t 2>&1 | FileCheck %s --check-prefix=C8
# RUN: pulptrain-sim --cores 16 %t 2>&1 | FileCheck %s --check-prefix=C16
# RUN: pulptrain-sim --cores 1 %t 2>&1 | FileCheck %s --check-prefix=C1
# RUN: %rvas -DSTRIDE=4 %s -o %t.s4
# RUN: pulptrain-sim --cores 8 %t.s4 2>&1 | FileCheck %s --check-prefix=NOCONF
# RUN: %rvas -DSTRIDE=64 %s -o %t.s64
# RUN: pulptrain-sim --cores 8 %t.s64 2>&1 | FileCheck %s --check-prefix=C8
# C8: tcdm_contentions 280 {{[0-9]}}
# C16: tcdm_contentions 1200 {{[0-9]}}
# C1: tcdm_contentions 0 {{[0-9]}}
# NOCONF: tcdm_contentions 0 {{[0-9]}}
#ifndef STRIDE
#define STRIDE 0
#endif
  .section .text.init
  .globl _start
  .option norvc
_start:
  li t1, 0x10204004        # PULPTRAIN_EU_BARRIER_WAIT
  csrr t3, mhartid
  li t4, STRIDE
  mul t4, t4, t3
  li a0, 0x10000100
  add a0, a0, t4           # address of this core's word
  li t2, 10
1:
  lw zero, 0(t1)           # barrier: all cores resume in the same cycle
  lw t0, 0(a0)
  addi t2, t2, -1
  bnez t2, 1b
  lw zero, 0(t1)
  bnez t3, 2f
  li t4, 0x1A10F004        # PULPTRAIN_EXIT
  sw zero, 0(t4)
2:
  j 2b
