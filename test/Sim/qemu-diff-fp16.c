// Differential test against QEMU: Zhinx FP16 arithmetic (and fcvt between s and h), conversions and
// comparisons on special values, in all rounding modes.
// REQUIRES: qemu-riscv32
// RUN: %rvcc-diff-sim %s -o %t.sim
// RUN: %rvcc-diff-qemu %s -o %t.qemu
// RUN: %python %S/Inputs/qemu_diff.py pulptrain-sim %t.sim %t.qemu %qemu-cpu | FileCheck %s
// CHECK: hash
// CHECK: outputs identical
// CHECK: instruction counts identical
#include "print.h"

// FP16 operands (upper bits set on some to check that Zhinx ignores them).
static volatile unsigned bits[] = {
    0x0000, 0x8000, 0x3c00, 0xbc00, 0x7c00, 0xfc00, 0x7e00, 0x7c01,
    0x0001, 0x8001, 0x03ff, 0x0400, 0x7bff, 0xfbff, 0x3555, 0x4248,
    0x6401, 0x1400, 0x3c01, 0xf800, 0x5bff, 0x37ff, 0x3e00, 0xffff4100};
// FP32 values for fcvt.h.s.
static volatile unsigned sbits[] = {
    0x3f800000, 0x33800000, 0x33000001, 0x33000000, 0x477fe000, 0x477ff000,
    0x47800000, 0x7fc00000, 0x7f800001, 0x38800000, 0x387fc000, 0xb3000000,
    0x3f801000, 0x3f803000, 0x3f802000, 0x37ffffff};
#define NB (int)(sizeof(bits) / sizeof(bits[0]))

#define OP2(NAME, RM)                                                          \
  static unsigned NAME##_##RM(unsigned a, unsigned b) {                        \
    unsigned r;                                                                \
    __asm__ volatile(#NAME ".h %0, %1, %2, " #RM : "=r"(r) : "r"(a), "r"(b));  \
    return r;                                                                  \
  }
#define OPS(RM) OP2(fadd, RM) OP2(fsub, RM) OP2(fmul, RM) OP2(fdiv, RM)
OPS(rne) OPS(rtz) OPS(rdn) OPS(rup) OPS(rmm)

#define FMA(RM)                                                                \
  static unsigned fmadd_##RM(unsigned a, unsigned b, unsigned c) {             \
    unsigned r;                                                                \
    __asm__ volatile("fmadd.h %0, %1, %2, %3, " #RM                            \
                     : "=r"(r) : "r"(a), "r"(b), "r"(c));                      \
    return r;                                                                  \
  }                                                                            \
  static unsigned fnmsub_##RM(unsigned a, unsigned b, unsigned c) {            \
    unsigned r;                                                                \
    __asm__ volatile("fnmsub.h %0, %1, %2, %3, " #RM                           \
                     : "=r"(r) : "r"(a), "r"(b), "r"(c));                      \
    return r;                                                                  \
  }                                                                            \
  static unsigned fsqrt_##RM(unsigned a) {                                     \
    unsigned r;                                                                \
    __asm__ volatile("fsqrt.h %0, %1, " #RM : "=r"(r) : "r"(a));               \
    return r;                                                                  \
  }                                                                            \
  static unsigned fcvtws_##RM(unsigned a) {                                    \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.w.h %0, %1, " #RM : "=r"(r) : "r"(a));              \
    return r;                                                                  \
  }                                                                            \
  static unsigned fcvtwus_##RM(unsigned a) {                                   \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.wu.h %0, %1, " #RM : "=r"(r) : "r"(a));             \
    return r;                                                                  \
  }                                                                            \
  static unsigned fcvtsw_##RM(unsigned a) {                                    \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.h.w %0, %1, " #RM : "=r"(r) : "r"(a));              \
    return r;                                                                  \
  }
FMA(rne) FMA(rtz) FMA(rdn) FMA(rup) FMA(rmm)

#define CVT(RM)                                                                \
  static unsigned fcvths_##RM(unsigned a) {                                    \
    unsigned r;                                                                \
    __asm__ volatile("fcvt.h.s %0, %1, " #RM : "=r"(r) : "r"(a));              \
    return r;                                                                  \
  }
CVT(rne) CVT(rtz) CVT(rdn) CVT(rup) CVT(rmm)
static unsigned fcvtsh(unsigned a) {
  unsigned r;
  __asm__ volatile("fcvt.s.h %0, %1" : "=r"(r) : "r"(a));
  return r;
}

#define CMP(NAME)                                                              \
  static unsigned NAME##_s(unsigned a, unsigned b) {                           \
    unsigned r;                                                                \
    __asm__ volatile(#NAME ".h %0, %1, %2" : "=r"(r) : "r"(a), "r"(b));        \
    return r;                                                                  \
  }
CMP(fmin) CMP(fmax) CMP(feq) CMP(flt) CMP(fle) CMP(fsgnj) CMP(fsgnjn)
CMP(fsgnjx)

static unsigned fclass(unsigned a) {
  unsigned r;
  __asm__ volatile("fclass.h %0, %1" : "=r"(r) : "r"(a));
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
      // Not fsgnjn.h / fsgnjx.h: with distinct source registers QEMU 7.2
      // returns garbage for them under Zhinx (e.g. 0x1c005000, an address);
      // SimTests checks them against the specification instead.
      (void)fsgnjn_s; (void)fsgnjx_s;
      for (int k = 0; k < NB; k += 3) {
        unsigned c = bits[k];
#define TER(RM) mix(fmadd_##RM(a, b, c)); mix(fnmsub_##RM(a, b, c));
        ALL_RM(TER)
      }
    }
  }
  for (unsigned i = 0; i < sizeof(sbits) / sizeof(sbits[0]); ++i) {
#define CV(RM) mix(fcvths_##RM(sbits[i]));
    ALL_RM(CV)
  }
  for (int i = 0; i < NB; ++i)
    mix(fcvtsh(bits[i]));
  print_str("hash ");
  print_hex(h);
  print_str("\n");
  // A few individual results for readable failures.
  print_hex(fadd_rne(bits[2], bits[17])); print_str(" 1+2^-10 rne\n");
  print_hex(fadd_rup(bits[2], bits[17])); print_str(" 1+2^-10 rup\n");
  print_hex(fmadd_rne(bits[18], bits[18], bits[3])); print_str(" fma\n");
  print_hex(fcvths_rne(sbits[5])); print_str(" 65520 to half\n");
  print_hex(fdiv_rne(bits[2], bits[0])); print_str(" 1/0\n");
  print_hex(fsqrt_rne(bits[3])); print_str(" sqrt(-1)\n");
  return 0;
}
