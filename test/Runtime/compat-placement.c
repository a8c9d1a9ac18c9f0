// The PMSIS placement attributes: PI_L1 and PI_CL_L1 data (initialized and
// zero-initialized) lands in the cluster L1 (TCDM, 0x10000000), PI_L2 data,
// plain globals and constants in L2 (0x1C000000), as do malloc and
// pi_l2_malloc blocks; pi_l1_malloc blocks and the cores' stacks are in L1.
// The simulator's L2-access counter (PI_PERF_LD_EXT) confirms it: reading
// the PI_L1 array costs no L2 access, reading the PI_L2 array one per word.
// 8 cores fill a PI_L1 array through a fork; core 0 checks it.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s
// RUN: pulptrain-sim --quiet --cores 8 --l1-size 64K %t.elf | FileCheck %s
// RUN: pulptrain-cc -O2 --l1-size=64K %s -o %t.64k.elf
// RUN: pulptrain-sim --quiet --cores 8 --l1-size 64K %t.64k.elf | FileCheck %s
// RUN: llvm-readelf -s %t.elf | FileCheck %s --check-prefix=SYM
// SYM-DAG: {{ 1000[0-9a-f]{4} }}{{.*}} l1_init
// SYM-DAG: {{ 1000[0-9a-f]{4} }}{{.*}} l1_zero
// SYM-DAG: {{ 1000[0-9a-f]{4} }}{{.*}} cl_l1
// SYM-DAG: {{ 1c0[0-9a-f]{5} }}{{.*}} l2_table

#include "pmsis.h"
#include "pulptrain/platform.h"

#define N 64

PI_L1 int l1_init[4] = {11, 22, 33, 44};
PI_L1 int l1_zero[N];
PI_CL_L1 float cl_l1 = 2.5f;
PI_L2 int l2_table[N] = {1, 2, 3};
int plain_global = 7;
static const int constant_table[4] = {5, 6, 7, 8};

static const char *where(const void *p) {
  uintptr_t a = (uintptr_t)p;
  if (a >= PULPTRAIN_L1_BASE && a < PULPTRAIN_L1_BASE + pulptrain_l1_size())
    return "L1";
  if (a >= PULPTRAIN_L2_BASE && a < PULPTRAIN_L2_BASE + pulptrain_l2_size())
    return "L2";
  return "elsewhere";
}

static const char *stack_of[8];

static void team(void *arg) {
  (void)arg;
  int id = pi_core_id();
  volatile int local = id;
  stack_of[id] = where((const void *)&local);
  for (int i = id; i < N; i += pi_cl_team_nb_cores())
    l1_zero[i] += i * 3;
  pi_cl_team_barrier();
}

int main(void) {
  // CHECK: PI_L1 L1 11 44 zero L1 0 PI_CL_L1 L1 2.5
  printf("PI_L1 %s %d %d zero %s %d PI_CL_L1 %s %g\n", where(l1_init),
         l1_init[0], l1_init[3], where(l1_zero), l1_zero[N - 1], where(&cl_l1),
         (double)cl_l1);
  // CHECK-NEXT: PI_L2 L2 3 global L2 7 const L2 8
  printf("PI_L2 %s %d global %s %d const %s %d\n", where(l2_table),
         l2_table[2], where(&plain_global), plain_global,
         where(constant_table), constant_table[3]);
  void *a = pi_l1_malloc(0, 128), *b = pi_l2_malloc(128), *c = malloc(128);
  // CHECK-NEXT: pi_l1_malloc L1 pi_l2_malloc L2 malloc L2
  printf("pi_l1_malloc %s pi_l2_malloc %s malloc %s\n", where(a), where(b),
         where(c));

  /* Words read from each array and the L2 accesses they cost. */
  volatile int *v1 = l1_zero, *v2 = l2_table;
  int sum = 0;
  pi_perf_reset();
  pi_perf_start();
  for (int i = 0; i < N; i++)
    sum += v1[i];
  pi_perf_stop();
  unsigned l1_ext = pi_perf_read(PI_PERF_LD_EXT);
  pi_perf_reset();
  pi_perf_start();
  for (int i = 0; i < N; i++)
    sum += v2[i];
  pi_perf_stop();
  unsigned l2_ext = pi_perf_read(PI_PERF_LD_EXT);
  // CHECK-NEXT: L2 accesses: 64 words of PI_L1 0, 64 words of PI_L2 64
  printf("L2 accesses: %d words of PI_L1 %u, %d words of PI_L2 %u\n", N,
         l1_ext, N, l2_ext);

  pi_cl_team_fork(8, team, 0);
  int errors = 0;
  for (int i = 0; i < N; i++)
    errors += l1_zero[i] != i * 3;
  // CHECK-NEXT: fork errors=0 l1_zero[63]=189 stacks L1 L1 L1 L1 L1 L1 L1 L1
  printf("fork errors=%d l1_zero[63]=%d stacks", errors, l1_zero[N - 1]);
  for (int i = 0; i < 8; i++)
    printf(" %s", stack_of[i]);
  printf("\n");
  return sum == 6 ? 0 : 1;
}
