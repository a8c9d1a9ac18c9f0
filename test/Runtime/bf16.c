// Rounding to bfloat16 and half in the runtime's conversion helpers:
// __truncsfbf2 (what clang calls for every __bf16 operation), __truncdfbf2
// and __truncdfhf2 (rounded once, not through float). Expected bit patterns
// worked out by hand: round to nearest, ties to even; NaN stays NaN.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 1 %t.elf | FileCheck %s
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: %t.host | FileCheck %s

#include <stdint.h>
#include <stdio.h>
#include <string.h>

__bf16 __truncsfbf2(float);

static uint16_t bf_bits(__bf16 h) {
  uint16_t u;
  memcpy(&u, &h, 2);
  return u;
}

static uint16_t h_bits(_Float16 h) {
  uint16_t u;
  memcpy(&u, &h, 2);
  return u;
}

static void t(const char *what, uint32_t in) {
  volatile float f;
  memcpy((void *)&f, &in, 4);
  printf("%-10s %08x -> %04x\n", what, (unsigned)in, bf_bits(__truncsfbf2(f)));
}

int main(void) {
  t("one", 0x3f800000);
  t("tie-even", 0x3f808000);
  t("tie-odd", 0x3f818000);
  t("above", 0x3f808001);
  t("below", 0x3f807fff);
  t("pi", 0x40490fdb);
  t("overflow", 0x7f7fffff);
  t("maxbf16", 0x7f7f7fff);
  t("inf", 0x7f800000);
  t("-inf", 0xff800000);
  t("qnan", 0x7fc00000);
  t("snan", 0x7f800001);
  t("nan-pl", 0x7fa12345);
  t("-nan", 0xffc00001);
  t("-zero", 0x80000000);
  t("sub-min", 0x00000001);
  t("sub-tie0", 0x00008000);
  t("sub-tie1", 0x00018000);
  t("sub-up", 0x00008001);
  t("-sub-max", 0x807fffff);

  /* bf16 arithmetic: computed in float, rounded by __truncsfbf2. */
  volatile __bf16 one = 1.0f, eps = 0.00390625f; /* 2^-8 */
  __bf16 s1 = one + eps;            /* 1 + 2^-8: a tie, stays 1 */
  __bf16 s2 = one + eps * (__bf16)3; /* 1 + 3*2^-8: tie, odd -> up */
  printf("arith %04x %04x\n", bf_bits(s1), bf_bits(s2));

  /* From double, rounded once: 1 + 2^-8 + 2^-40 is above the tie. Going
     through float would lose 2^-40 and round the tie down. */
  volatile double d = 1.0 + 0x1p-8 + 0x1p-40;
  volatile double dh = 1.0 + 0x1p-11 + 0x1p-40;
  printf("from double bf16 %04x half %04x\n", bf_bits((__bf16)d),
         h_bits((_Float16)dh));
  return 0;
}

// CHECK: one        3f800000 -> 3f80
// CHECK-NEXT: tie-even   3f808000 -> 3f80
// CHECK-NEXT: tie-odd    3f818000 -> 3f82
// CHECK-NEXT: above      3f808001 -> 3f81
// CHECK-NEXT: below      3f807fff -> 3f80
// CHECK-NEXT: pi         40490fdb -> 4049
// CHECK-NEXT: overflow   7f7fffff -> 7f80
// CHECK-NEXT: maxbf16    7f7f7fff -> 7f7f
// CHECK-NEXT: inf        7f800000 -> 7f80
// CHECK-NEXT: -inf       ff800000 -> ff80
// CHECK-NEXT: qnan       7fc00000 -> 7fc0
// CHECK-NEXT: snan       7f800001 -> 7fc0
// CHECK-NEXT: nan-pl     7fa12345 -> 7fe1
// CHECK-NEXT: -nan       ffc00001 -> ffc0
// CHECK-NEXT: -zero      80000000 -> 8000
// CHECK-NEXT: sub-min    00000001 -> 0000
// CHECK-NEXT: sub-tie0   00008000 -> 0000
// CHECK-NEXT: sub-tie1   00018000 -> 0002
// CHECK-NEXT: sub-up     00008001 -> 0001
// CHECK-NEXT: -sub-max   807fffff -> 8080
// CHECK-NEXT: arith 3f80 3f82
// CHECK-NEXT: from double bf16 3f81 half 3c01
