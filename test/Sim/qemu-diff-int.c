// Differential test against QEMU: integer ISA (RV32IMC, incl. division
// corner cases). Same output and same instruction count as qemu-riscv32.
// REQUIRES: qemu-riscv32
// RUN: %rvcc-diff-sim %s -o %t.sim
// RUN: %rvcc-diff-qemu %s -o %t.qemu
// RUN: %python %S/Inputs/qemu_diff.py pulptrain-sim %t.sim %t.qemu %qemu-cpu | FileCheck %s
// CHECK: div 7fffffff
// CHECK: outputs identical
// CHECK: instruction counts identical
#include "print.h"

static volatile int vals[] = {0, 1, -1, 7, -7, 0x7fffffff, (int)0x80000000,
                              12345, -98765, 3};
#define NV (int)(sizeof(vals) / sizeof(vals[0]))

static void line(const char *name, unsigned v) {
  print_str(name);
  test_putc(' ');
  print_hex(v);
  test_putc('\n');
}

int main(int id) {
  unsigned h = 0;
  for (int i = 0; i < NV; ++i)
    for (int j = 0; j < NV; ++j) {
      int a = vals[i], b = vals[j];
      unsigned ua = (unsigned)a, ub = (unsigned)b;
      unsigned r[] = {
          ua * ub,
          (unsigned)(((long long)a * b) >> 32),
          (unsigned)(((unsigned long long)ua * ub) >> 32),
          (unsigned)(((long long)a * (unsigned long long)ub) >> 32),
          b ? (unsigned)(a / b) : 0, b ? ua / ub : 0,
          b ? (unsigned)(a % b) : 0, b ? ua % ub : 0,
          ua << (ub & 31), ua >> (ub & 31), (unsigned)(a >> (b & 31)),
          (unsigned)(a < b), (unsigned)(ua < ub), ua ^ ub, ua | ub, ua & ub};
      for (unsigned k = 0; k < sizeof(r) / sizeof(r[0]); ++k)
        h = (h ^ r[k]) * 16777619u;
    }
  line("hash", h);
  // Division corner cases through inline asm (the compiler cannot fold).
  unsigned q;
  int m = (int)0x80000000, n1 = -1, z = 0;
  __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(m), "r"(n1));
  line("div_ovf", q);
  __asm__ volatile("rem %0, %1, %2" : "=r"(q) : "r"(m), "r"(n1));
  line("rem_ovf", q);
  __asm__ volatile("div %0, %1, %2" : "=r"(q) : "r"(vals[3]), "r"(z));
  line("div0", q);
  __asm__ volatile("remu %0, %1, %2" : "=r"(q) : "r"(vals[3]), "r"(z));
  line("remu0", q);
  line("div", (unsigned)(vals[5] / vals[1]));
  return 0;
}
