// FP32 matmul benchmark of pulptrain-sim: C = A * B (64x64, in L1),
// repeated REPS times, rows distributed over the cores. Core 0 initializes
// the inputs, wakes the workers through the dispatch FIFOs, all cores meet
// at the hardware barrier, and core 0 prints a checksum.
#include "print.h"

#define N 64
#ifndef REPS
#define REPS 8
#endif

#define REG(addr) (*(volatile unsigned *)(addr))
#define NB_CORES 0x10200000u
#define BARRIER_WAIT 0x10204004u
#define DISPATCH_MASK 0x10204008u
#define DISPATCH_PUSH 0x1020400Cu
#define DISPATCH_POP 0x10204010u

__attribute__((section(".l1"))) float A[N * N];
__attribute__((section(".l1"))) float B[N * N];
__attribute__((section(".l1"))) float C[N * N];

static void matmul(unsigned id, unsigned nc) {
  for (unsigned i = id; i < N; i += nc)
    for (unsigned j = 0; j < N; ++j) {
      float acc = 0.0f;
      for (unsigned k = 0; k < N; ++k)
        acc += A[i * N + k] * B[k * N + j];
      C[i * N + j] = acc;
    }
}

int main(unsigned id) {
  unsigned nc = REG(NB_CORES);
  if (id == 0) {
    for (unsigned i = 0; i < N * N; ++i) {
      A[i] = (float)((i * 7u) % 13u) * 0.25f - 1.0f;
      B[i] = (float)((i * 5u) % 11u) * 0.5f - 2.0f;
    }
    REG(DISPATCH_MASK) = ((1u << nc) - 1u) & ~1u;
    REG(DISPATCH_PUSH) = REPS;
  }
  unsigned reps = id == 0 ? REPS : REG(DISPATCH_POP);
  for (unsigned r = 0; r < reps; ++r) {
    matmul(id, nc);
    (void)REG(BARRIER_WAIT);
  }
  if (id == 0) {
    float sum = 0.0f;
    for (unsigned i = 0; i < N * N; ++i)
      sum += C[i] * (float)(i % 3u);
    print_str("checksum ");
    print_int((int)sum);
    print_str("\n");
  }
  return 0;
}
