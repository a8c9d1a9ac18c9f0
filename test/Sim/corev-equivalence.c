// CORE-V and Xfvec paths against the plain-ISA build of the same kernels
// (QEMU runs neither): the program built with LLVM's CORE-V extensions
// (post-increment loads, cv.min/max/abs, ...) and with the PULP FP16 SIMD
// .insn instructions must print exactly what the RV32IMC build prints.
// RUN: %rvcc-sim -march=%rv32-march-xcv -DXFVEC %s -o %t.cv
// RUN: %rvcc-sim %s -o %t.plain
// RUN: llvm-objdump -d --mattr=+xcvmem,+xcvalu %t.cv | FileCheck %s --check-prefix=ASM
// RUN: pulptrain-sim -q --cores 1 %t.cv > %t.cv.out
// RUN: pulptrain-sim -q --cores 1 %t.plain > %t.plain.out
// RUN: diff %t.cv.out %t.plain.out
// RUN: FileCheck %s < %t.cv.out
// ASM: cv.lw
// ASM: cv.max
// CHECK: dot -463
// CHECK-NEXT: clip -174
// CHECK-NEXT: maxabs 48
// CHECK-NEXT: half dot -1500
// CHECK-NEXT: half mac 200 -1700
#include "print.h"

#define N 64
static int a[N], b[N];
static _Float16 ha[N], hb[N];

__attribute__((noinline)) static int dot(const int *x, const int *y, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i)
    s += x[i] * y[i];
  return s;
}

__attribute__((noinline)) static int clipsum(const int *x, int n) {
  int s = 0;
  for (int i = 0; i < n; ++i) {
    int v = x[i];
    s += v < -100 ? -100 : v > 99 ? 99 : v;
  }
  return s;
}

__attribute__((noinline)) static int maxabs(const int *x, int n) {
  int m = 0;
  for (int i = 0; i < n; ++i) {
    int v = x[i] < 0 ? -x[i] : x[i];
    m = v > m ? v : m;
  }
  return m;
}

/// sum(ha[i] * hb[i]) in FP32: vfdotpex.s.h on pairs, or scalar.
__attribute__((noinline)) static float halfDot(int n) {
  float s = 0.0f;
#ifdef XFVEC
  const unsigned *pa = (const unsigned *)ha, *pb = (const unsigned *)hb;
  for (int i = 0; i < n / 2; ++i)
    __asm__("vfdotpex_%=: .insn r 0x33, 0, 0x4b, %0, %1, %2"
            : "+r"(s) : "r"(pa[i]), "r"(pb[i]));
#else
  for (int i = 0; i < n; ++i)
    s += (float)ha[i] * (float)hb[i];
#endif
  return s;
}

/// Two lanes of acc += ha[i] * hb[i] (FP16): vfmac.h, or scalar fmadd.h.
__attribute__((noinline)) static void halfMac(int n, _Float16 *out) {
#ifdef XFVEC
  unsigned acc = 0;
  const unsigned *pa = (const unsigned *)ha, *pb = (const unsigned *)hb;
  for (int i = 0; i < n / 2; ++i)
    __asm__(".insn r 0x33, 2, 0x48, %0, %1, %2" : "+r"(acc) : "r"(pa[i]), "r"(pb[i]));
  __builtin_memcpy(out, &acc, 4);
#else
  _Float16 l0 = 0, l1 = 0;
  for (int i = 0; i < n / 2; ++i) {
    l0 += ha[2 * i] * hb[2 * i];
    l1 += ha[2 * i + 1] * hb[2 * i + 1];
  }
  out[0] = l0, out[1] = l1;
#endif
}

int main(int id) {
  for (int i = 0; i < N; ++i) {
    a[i] = (i * 37) % 251 - 125;
    b[i] = (i * 11) % 97 - 48;
    // Small integers: every FP16 product and partial sum is exact.
    ha[i] = (_Float16)((i % 7) - 3);
    hb[i] = (_Float16)((i % 5) + 1);
  }
  print_str("dot ");
  print_int(dot(a, b, N));
  print_str("\nclip ");
  print_int(clipsum(a, N));
  print_str("\nmaxabs ");
  print_int(maxabs(b, N));
  print_str("\nhalf dot ");
  print_int((int)(halfDot(N) * 100.0f));
  _Float16 lanes[2];
  halfMac(N, lanes);
  print_str("\nhalf mac ");
  print_int((int)((float)lanes[0] * 100.0f));
  print_str(" ");
  print_int((int)((float)lanes[1] * 100.0f));
  print_str("\n");
  return 0;
}
