# The bfloat16 ("alt-half") Xfvec forms end to end: decoded from the words of
# pulp-platform/riscv-opcodes (opcodes-sflt_CUSTOM), emitted with .insn (LLVM
# does not know them), executed, disassembled in the trace, and counted (the
# two vfmac and the vfdotpex count 2 MACs each, fmacex.s.ah one). The
# expanding scalar forms fmulex.s.ah and fmacex.s.ah have the words of GVSoC
# (isa_smallfloats.py). The program exits with the number of the first wrong
# result, 0 if all are right.
# RUN: %rvas %s -o %t
# RUN: pulptrain-sim --cores 1 --trace %t 2>&1 | FileCheck %s
# CHECK: vfadd.ah a0, a1, a2
# CHECK: vfsub.ah a0, a1, a2
# CHECK: vfmul.ah a0, a1, a2
# CHECK: vfmin.ah a0, a1, a2
# CHECK: vfmax.ah a0, a1, a2
# CHECK: vfmac.ah a0, a1, a2
# CHECK: vfadd.r.ah a0, a1, a2
# CHECK: vfsub.r.ah a0, a1, a2
# CHECK: vfmul.r.ah a0, a1, a2
# CHECK: vfmin.r.ah a0, a1, a2
# CHECK: vfmax.r.ah a0, a1, a2
# CHECK: vfmac.r.ah a0, a1, a2
# CHECK: vfdotpex.s.ah a0, a1, a2
# CHECK: vfcpka.ah.s a0, a1, a2
# CHECK: vfcvt.s.ah a0, a1
# CHECK: vfcvt.ah.s a0, a1
# CHECK: fmacex.s.ah a0, a1, a2
# CHECK: fmulex.s.ah a0, a1, a2
# CHECK: exit code 0
# CHECK: fp_ops 18 18
# CHECK-NEXT: macs 7 7

  .section .text.init
  .globl _start
  .option norvc

# CHECK_OP n, insn-args..., a1, a2, a0 (accumulator), expected a0
#define CHECK_OP(N, F3, F7, RS2, A1, A2, A0, EXPECT) \
  li s0, N;                                          \
  li a1, A1;                                         \
  li a2, A2;                                         \
  li a0, A0;                                         \
  .insn r 0x33, F3, F7, a0, a1, RS2;                 \
  li t0, EXPECT;                                     \
  bne a0, t0, fail

# The same for the F major opcode (0x53).
#define CHECK_FOP(N, F3, F7, A1, A2, A0, EXPECT)      \
  li s0, N;                                          \
  li a1, A1;                                         \
  li a2, A2;                                         \
  li a0, A0;                                         \
  .insn r 0x53, F3, F7, a0, a1, a2;                  \
  li t0, EXPECT;                                     \
  bne a0, t0, fail

_start:
  # Ties to even: 1 + 2^-8 -> 1.0, (1 + 2^-7) + 2^-8 -> 1 + 2^-6.
  CHECK_OP(1, 1, 0x41, a2, 0x3f813f80, 0x3b803b80, 0, 0x3f823f80)
  CHECK_OP(2, 1, 0x42, a2, 0x40003f80, 0x3f803f80, 0, 0x3f800000)
  CHECK_OP(3, 1, 0x43, a2, 0x40403fc0, 0x40004000, 0, 0x40c04040)
  # min/max: a NaN lane gives the other operand.
  CHECK_OP(4, 1, 0x45, a2, 0xbf803f80, 0x3f807fc0, 0, 0xbf803f80)
  CHECK_OP(5, 1, 0x46, a2, 0xbf803f80, 0x3f807fc0, 0, 0x3f803f80)
  # One rounding: 1.0625 * 1.0625 + 2^-30 -> 0x3f91; 1.5 * 2 + 1 = 4.
  CHECK_OP(6, 1, 0x48, a2, 0x3fc03f88, 0x40003f88, 0x3f803080, 0x40803f91)
  # Replicate forms use lane 0 of rs2.
  CHECK_OP(7, 5, 0x41, a2, 0x40003f80, 0x12343f80, 0, 0x40404000)
  CHECK_OP(8, 5, 0x42, a2, 0x40003f80, 0x12343f80, 0, 0x3f800000)
  CHECK_OP(9, 5, 0x43, a2, 0x40403fc0, 0x7fc04000, 0, 0x40c04040)
  CHECK_OP(10, 5, 0x45, a2, 0x40003f80, 0x7fc03fc0, 0, 0x3fc03f80)
  CHECK_OP(11, 5, 0x46, a2, 0x40003f80, 0x7fc03fc0, 0, 0x40003fc0)
  CHECK_OP(12, 5, 0x48, a2, 0x40003f80, 0x7fc04000, 0x3f803f80, 0x40a04040)
  # fp32 accumulation, one rounding: 1 + 2^-24 + 2^-24 = 1 + 2^-23.
  CHECK_OP(13, 1, 0x4b, a2, 0x33803380, 0x3f803f80, 0x3f800000, 0x3f800001)
  CHECK_OP(14, 1, 0x58, a2, 0x3f808000, 0x40490fdb, 0, 0x40493f80)
  # vfcvt.s.ah (rs2 field 5) and vfcvt.ah.s (rs2 field 4) convert lane 0.
  CHECK_OP(15, 0, 0x4c, x5, 0x1234bf80, 0, 0, 0xbf800000)
  CHECK_OP(16, 1, 0x4c, x4, 0x3f818000, 0, 0, 0x00003f82)
  # fmacex.s.ah: lane 0 only, one rounding: 1 + 1.5 * 2^-24 -> 1 + 2^-23.
  CHECK_FOP(17, 5, 0x2a, 0xffff33c0, 0x12343f80, 0x3f800000, 0x3f800001)
  # fmulex.s.ah: 1.5 * 2 = 3 in fp32.
  CHECK_FOP(18, 5, 0x26, 0x3fc0, 0x4000, 0, 0x40400000)
  li s0, 0
fail:
  li t4, 0x1A10F004        # PULPTRAIN_EXIT
  sw s0, 0(t4)
1:
  j 1b
