// Differential test against QEMU: FP16 in integer registers (Zhinx) through
// _Float16: arithmetic, fused multiply-add, conversions to and from float,
// double and integers, rounding, overflow to infinity and subnormals,
// printed as bit patterns.
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

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static unsigned hb(_Float16 h) {
  uint16_t u;
  memcpy(&u, &h, 2);
  return u;
}

static _Float16 mk(uint16_t u) {
  _Float16 h;
  memcpy(&h, &u, 2);
  return h;
}

static volatile _Float16 vals[10];

int main(void) {
  vals[0] = (_Float16)0.0f;
  vals[1] = (_Float16)1.0f;
  vals[2] = (_Float16)-1.5f;
  vals[3] = (_Float16)3.140625f;
  vals[4] = (_Float16)0.0999755859375f;
  vals[5] = mk(0x0001);            /* smallest subnormal */
  vals[6] = mk(0x7bff);            /* 65504 */
  vals[7] = mk(0x7c00);            /* inf */
  vals[8] = mk(0x7e00);            /* nan */
  vals[9] = (_Float16)1000.5f;
  uint32_t h = 0;
  for (int i = 0; i < 10; i++)
    for (int j = 0; j < 10; j++) {
      _Float16 a = vals[i], b = vals[j];
      _Float16 r[5] = {a + b, a - b, a * b, a / b, a * b + vals[4]};
      for (int k = 0; k < 5; k++)
        h = h * 31u + hb(r[k]);
      h = h * 3u + (uint32_t)((a < b) + 2 * (a == b));
    }
  printf("arith hash %08x\n", h);
  printf("ops %04x %04x %04x %04x\n", hb(vals[3] * vals[9]),
         hb(vals[6] + vals[6]), hb(vals[5] * (_Float16)0.5f),
         hb(vals[1] / (_Float16)3.0f));
  volatile float f = 1.00048828125f; /* 1 + 2^-11: a tie in half */
  volatile float g = 1.00146484375f; /* 1 + 3 * 2^-11: a tie, odd */
  volatile double d = 2049.0;
  printf("from float %04x %04x from double %04x from int %04x %04x\n",
         hb((_Float16)f), hb((_Float16)g), hb((_Float16)d),
         hb((_Float16)(volatile int)4097), hb((_Float16)(volatile int)-70000));
  printf("to float %.9g to int %d %d\n", (double)(float)vals[3],
         (int)vals[9], (int)vals[2]);
  _Float16 acc = 0;
  for (int i = 0; i < 64; i++)
    acc += (_Float16)(i % 7) * (_Float16)0.125f;
  printf("sum %04x = %g\n", hb(acc), (double)acc);
  return 0;
}

// CHECK: arith hash
// CHECK: ops {{[0-9a-f]+}} 7c00 0000 3555
// CHECK: from float 3c00 3c02 from double 6800 from int 6c00 fc00
// CHECK: to float 3.140625 to int 1000 -1
// CHECK: sum
