// Differential test against QEMU: FP32 in integer registers (Zfinx)
// arithmetic, fused multiply-add, conversions, comparisons, min/max with
// NaN, subnormals, and picolibc's libm, printed as bit patterns and decimal.
//
// REQUIRES: qemu-riscv32
// RUN: pulptrain-cc --qemu -O2 %s -o %t.qemu
// RUN: pulptrain-cc --no-xcv -O2 %s -o %t.std
// RUN: pulptrain-cc -O2 %s -o %t.xcv
// RUN: %qemu %t.qemu > %t.qemu.out
// RUN: pulptrain-sim --quiet --cores 1 %t.std > %t.std.out
// RUN: pulptrain-sim --quiet --cores 1 %t.xcv > %t.xcv.out
// RUN: diff %t.qemu.out %t.std.out
// RUN: diff %t.qemu.out %t.xcv.out
// RUN: FileCheck %s < %t.qemu.out

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint32_t bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

static float mk(uint32_t u) {
  float f;
  memcpy(&f, &u, 4);
  return f;
}

static volatile float vals[12];

int main(void) {
  vals[0] = 0.0f;
  vals[1] = -0.0f;
  vals[2] = 1.0f;
  vals[3] = -2.5f;
  vals[4] = 3.14159265f;
  vals[5] = 1e-3f;
  vals[6] = 1.17549435e-38f; /* smallest normal */
  vals[7] = mk(0x00000005);  /* subnormal */
  vals[8] = 3.4028235e38f;
  vals[9] = INFINITY;
  vals[10] = NAN;
  vals[11] = 12345.678f;
  uint32_t h = 0;
  for (int i = 0; i < 12; i++)
    for (int j = 0; j < 12; j++) {
      float a = vals[i], b = vals[j];
      float r[7] = {a + b, a - b, a * b, a / b, fminf(a, b), fmaxf(a, b),
                    fmaf(a, b, 0.5f)};
      for (int k = 0; k < 7; k++)
        h = h * 31u + bits(r[k]);
      h = h * 7u + (uint32_t)((a < b) + 2 * (a <= b) + 4 * (a == b));
    }
  printf("arith hash %08x\n", h);
  printf("div %08x sqrt %08x %.9g\n", bits(vals[2] / vals[11]),
         bits(sqrtf(vals[4])), (double)sqrtf(vals[4]));
  printf("fma %.9g vs mul-add %.9g\n",
         (double)fmaf(vals[4], vals[11], -38784.9f),
         (double)(volatile float)((volatile float)(vals[4] * vals[11]) - 38784.9f));
  printf("subnormal %08x %08x\n", bits(vals[7] * 3.0f), bits(vals[6] / 4.0f));
  int ci[6];
  float cf[6] = {2.5f, -2.5f, 3.7f, -3.7f, 1e9f, -0.49f};
  for (int i = 0; i < 6; i++)
    ci[i] = (int)(volatile float)cf[i];
  printf("to int %d %d %d %d %d %d\n", ci[0], ci[1], ci[2], ci[3], ci[4], ci[5]);
  printf("from int %08x %08x %.9g\n", bits((float)(volatile int)16777217),
         bits((float)(volatile unsigned)4294967295u),
         (double)(float)(volatile int)-123456789);
  printf("lrintf %ld %ld roundf %.1f floorf %.1f\n", lrintf(vals[3]),
         lrintf(2.5f), (double)roundf(vals[3]), (double)floorf(vals[3]));
  printf("libm exp %.7g log %.7g sin %.7g tanh %.7g\n", (double)expf(vals[4]),
         (double)logf(vals[11]), (double)sinf(vals[4]), (double)tanhf(0.5f));
  /* A small dot product with contraction allowed (fmadd.s). */
  float acc = 0;
  for (int i = 0; i < 100; i++)
    acc += (float)i * 0.1f * (float)(100 - i) * 0.01f;
  printf("dot %.9g %08x\n", (double)acc, bits(acc));
  return 0;
}

// CHECK: arith hash
// CHECK: div {{[0-9a-f]+}} sqrt 3fe2dfc5 1.7724539{{$}}
// CHECK: to int 2 -2 3 -3 1000000000 0
// CHECK: from int 4b800000 4f800000 -123456792
// CHECK: lrintf -2 2 roundf -3.0 floorf -3.0
// CHECK: libm exp 23.14069
