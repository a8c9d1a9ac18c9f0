// Differential test against QEMU: integer arithmetic (M extension, 64-bit
// helpers from libgcc, bit manipulation, picolibc's qsort and string
// functions) must print the same on qemu-riscv32 and on pulptrain-sim, for
// the standard-ISA build and the CORE-V build.
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

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static volatile int32_t vals[] = {0, 1, -1, 7, -7, 13, 100, -100, 65535,
                                  -65536, 123456789, INT_MAX, INT_MIN};
#define NV (sizeof(vals) / sizeof(vals[0]))

static uint32_t crc32(const uint8_t *p, size_t n) {
  uint32_t c = 0xFFFFFFFFu;
  for (size_t i = 0; i < n; i++) {
    c ^= p[i];
    for (int k = 0; k < 8; k++)
      c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

static int cmp(const void *a, const void *b) {
  int x = *(const int *)a, y = *(const int *)b;
  return (x > y) - (x < y);
}

int main(void) {
  uint32_t h = 0;
  for (unsigned i = 0; i < NV; i++)
    for (unsigned j = 0; j < NV; j++) {
      int32_t a = vals[i], b = vals[j];
      uint32_t r[8];
      r[0] = (uint32_t)a * (uint32_t)b;
      r[1] = (uint32_t)(((int64_t)a * b) >> 32);           /* mulh */
      r[2] = (uint32_t)(((uint64_t)(uint32_t)a * (uint32_t)b) >> 32); /* mulhu */
      r[3] = (uint32_t)(((int64_t)a * (uint32_t)b) >> 32);  /* mulhsu */
      r[4] = b && !(a == INT_MIN && b == -1) ? (uint32_t)(a / b) : 0;
      r[5] = b && !(a == INT_MIN && b == -1) ? (uint32_t)(a % b) : 0;
      r[6] = b ? (uint32_t)a / (uint32_t)b : 0;
      r[7] = b ? (uint32_t)a % (uint32_t)b : 0;
      for (int k = 0; k < 8; k++)
        h = h * 31u + r[k];
      if (i == 10 && j == 3)
        printf("123456789 op 7: %u %u %u %u %d %d %u %u\n", r[0], r[1], r[2],
               r[3], (int)r[4], (int)r[5], r[6], r[7]);
    }
  printf("mul/div hash %08x\n", h);

  int64_t big[] = {0, 1, -1, 1000000007LL, -999999999999LL, INT64_MAX,
                   INT64_MIN + 1, 0x123456789abcdefLL};
  uint64_t h64 = 0;
  for (int i = 0; i < 8; i++)
    for (int j = 0; j < 8; j++) {
      int64_t a = big[i], b = big[j];
      h64 = h64 * 1099511628211ULL + (uint64_t)(a * b);
      if (b)
        h64 = h64 * 1099511628211ULL + (uint64_t)(a / b) + (uint64_t)(a % b);
      h64 ^= (uint64_t)a >> (j * 7 % 64);
    }
  printf("64-bit hash %016llx, %lld / 7 = %lld\n", (unsigned long long)h64,
         (long long)big[4], (long long)(big[4] / 7));

  uint32_t bits = 0;
  for (unsigned i = 0; i < NV; i++) {
    uint32_t v = (uint32_t)vals[i];
    bits = bits * 33u + (uint32_t)__builtin_popcount(v) +
           (v ? (uint32_t)__builtin_clz(v) * 64u + (uint32_t)__builtin_ctz(v) : 0) +
           (v >> 3) + (uint32_t)((int32_t)v >> 5) + (v << 9);
  }
  printf("bits hash %08x\n", bits);

  static uint8_t buf[1000];
  for (int i = 0; i < 1000; i++)
    buf[i] = (uint8_t)(i * i + 3 * i);
  printf("crc32 %08x\n", crc32(buf, sizeof buf));

  int arr[50];
  for (int i = 0; i < 50; i++)
    arr[i] = (i * 7919) % 101 - 50;
  qsort(arr, 50, sizeof(int), cmp);
  printf("sorted %d %d %d ... %d\n", arr[0], arr[1], arr[2], arr[49]);
  char s[64];
  strcpy(s, "pulp");
  strcat(s, "train");
  printf("strings %u %d %s\n", (unsigned)strlen(s), strcmp(s, "pulptrain"),
         strchr(s, 't'));
  return 0;
}

// CHECK: 123456789 op 7: 864197523 0 0 0 17636684 1 17636684 1
// CHECK: mul/div hash
// CHECK: 64-bit hash {{[0-9a-f]+}}, -999999999999 / 7 = -142857142857
// CHECK: crc32
// CHECK: sorted -50 -48 -47 ... 50
// CHECK: strings 9 0 train
