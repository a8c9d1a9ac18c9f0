// Differential test against QEMU: Zfinx FP32 arithmetic, conversions and
// comparisons on special values, in all rounding modes.
// REQUIRES: qemu-riscv32
// RUN: %rvcc-diff-sim %s -o %t.sim
// RUN: %rvcc-diff-qemu %s -o %t.qemu
// RUN: %python %S/Inputs/qemu_diff.py pulptrain-sim %t.sim %t.qemu %qemu-cpu | FileCheck %s
// CHECK: hash
// CHECK: outputs identical
// CHECK: instruction counts identical
#include "print.h"

static volatile unsigned bits[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0xff800000,
    0x7fc00000, 0x7f800001, 0x00000001, 0x80000001, 0x007fffff, 0x00800000,
    0x7f7fffff, 0xff7fffff, 0x3eaaaaab, 0x40490fdb, 0x4b000001, 0x33800000,
    0x3f800001, 0xcf000000, 0x4f800000, 0x3effffff, 0x3fc00000, 0x40200000};
#define NB (int)(sizeof(bits) / sizeof(bits[0]))

#define OP2(NAME, RM)                                                          \
  static unsigned NAME##_##RM(unsigned a, unsigned b) {                        \
    unsigned r;                                                                \
    __asm__ volatile(#NAME ".s %0, %1, %2, " #RM : "=r"(r) : "r"(a), "r"(b));  \
    return r;                                                                  \
  }
#define OPS(RM) OP2(fadd, RM) OP2(fsub, RM) OP2(fmul, RM) OP2(fdiv, RM)
OPS(rne) OPS(rtz) OPS(rdn) OPS(rup) OPS(rmm)

#define FMA(RM)                                                                \
  static unsigned fmadd_##RM(unsigned a, unsigned b, unsigned c) {             \
    unsigned r;                                                                \
    __asm__ volatile("fmadd.s %0, %1, %2, %3, " #RM                            \
                     : "=r"(r) : "r"(a), "r"(b), "r"(c));                      \
    return r;                                                                  \
  }                                                                            \
  static unsigned fnmsub_##RM(unsigned a, unsigned b, unsigned c) {            \
    unsigned r;                                                                \
    __asm__ volatile("fnmsub.s %0, %1, %2, %3, " #RM                           \
                     : "=r"(r) : "r"(a), "r"(b), "r"(c));                      \
    return r;                                                                  \
  }                                                                            \
  static unsigned fsqrt_##RM(unsigned a) {                                     \
    unsigned r;                                                                \
    __asm__ volatile("fsqrt.s %0, %1, " #RM : "=r"(r) : "r"(a));               \
    return r;                                                                  \
  }                                                                            \
  static unsigned fcvtws_##RM(unsigned a) {                                    \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.w.s %0, %1, " #RM : "=r"(r) : "r"(a));              \
    return r;                                                                  \
  }                                                                            \
  static unsigned fcvtwus_##RM(unsigned a) {                                   \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.wu.s %0, %1, " #RM : "=r"(r) : "r"(a));             \
    return r;                                                                  \
  }                                                                            \
  static unsigned fcvtsw_##RM(unsigned a) {                                    \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.s.w %0, %1, " #RM : "=r"(r) : "r"(a));              \
    return r;                                                                  \
  }
FMA(rne) FMA(rtz) FMA(rdn) FMA(rup) FMA(rmm)

#define CMP(NAME)                                                              \
  static unsigned NAME##_s(unsigned a, unsigned b) {                           \
    unsigned r;                                                                \
    __asm__ volatile(#NAME ".s %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));        \
    return r;                                                                  \
  }
CMP(fmin) CMP(fmax) CMP(feq) CMP(flt) CMP(fle) CMP(fsgnj) CMP(fsgnjn)
CMP(fsgnjx)

static unsigned fclass(unsigned a) {
  unsigned r;
  __asm__ volatile("fclass.s %0, %1" : "=r"(r) : "r"(a));
  return r;
}

static unsigned h;
static void mix(unsigned v) { h = (h ^ v) * 16777619u; }

#define ALL_RM(F) F(rne) F(rtz) F(rdn) F(rup) F(rmm)

int main(int id) {
  for (int i = 0; i < NB; ++i) {
    unsigned a = bits[i];
#define UN(RM) mix(fsqrt_##RM(a)); mix(fcvtws_##RM(a)); mix(fcvtwus_##RM(a)); \
    mix(fcvtsw_##RM(a));
    ALL_RM(UN)
    mix(fclass(a));
    for (int j = 0; j < NB; ++j) {
      unsigned b = bits[j];
#define BIN(RM) mix(fadd_##RM(a, b)); mix(fsub_##RM(a, b)); \
    mix(fmul_##RM(a, b)); mix(fdiv_##RM(a, b));
      ALL_RM(BIN)
      mix(fmin_s(a, b)); mix(fmax_s(a, b)); mix(feq_s(a, b));
      mix(flt_s(a, b)); mix(fle_s(a, b)); mix(fsgnj_s(a, b));
      mix(fsgnjn_s(a, b)); mix(fsgnjx_s(a, b));
      for (int k = 0; k < NB; k += 3) {
        unsigned c = bits[k];
#define TER(RM) mix(fmadd_##RM(a, b, c)); mix(fnmsub_##RM(a, b, c));
        ALL_RM(TER)
      }
    }
  }
  print_str("hash ");
  print_hex(h);
  print_str("\n");
  // A few individual results for readable failures.
  print_hex(fadd_rne(bits[2], bits[17])); print_str(" 1+2^-24 rne\n");
  print_hex(fadd_rup(bits[2], bits[17])); print_str(" 1+2^-24 rup\n");
  print_hex(fmadd_rne(bits[18], bits[18], bits[3])); print_str(" fma\n");
  print_hex(fdiv_rne(bits[2], bits[0])); print_str(" 1/0\n");
  print_hex(fsqrt_rne(bits[3])); print_str(" sqrt(-1)\n");
  return 0;
}
