// Team fork/join and barrier on 1, 2, 8 and 16 cores: every core writes
// values derived from its id, the team synchronizes several times, core 0
// checks sums that depend on the team size.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 1 %t.elf | FileCheck %s --check-prefixes=CHECK,C1
// RUN: pulptrain-sim --quiet --cores 2 %t.elf | FileCheck %s --check-prefixes=CHECK,C2
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s --check-prefixes=CHECK,C8
// RUN: pulptrain-sim --quiet --cores 16 %t.elf | FileCheck %s --check-prefixes=CHECK,C16
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: env PULPTRAIN_CORES=1 %t.host | FileCheck %s --check-prefixes=CHECK,C1
// RUN: env PULPTRAIN_CORES=2 %t.host | FileCheck %s --check-prefixes=CHECK,C2
// RUN: env PULPTRAIN_CORES=8 %t.host | FileCheck %s --check-prefixes=CHECK,C8
// RUN: env PULPTRAIN_CORES=16 %t.host | FileCheck %s --check-prefixes=CHECK,C16

#include <pulptrain_rt.h>
#include <stdio.h>

#define ROUNDS 5

static volatile unsigned slot[16];
static volatile unsigned round_sum[16][ROUNDS];
static volatile unsigned team_seen[16];

static void work(void *arg) {
  unsigned id = pulptrain_core_id();
  unsigned n = pulptrain_team_size();
  unsigned base = *(unsigned *)arg;
  team_seen[id] = n;
  for (unsigned r = 0; r < ROUNDS; r++) {
    slot[id] = base + id * id + r;
    pulptrain_barrier();
    /* Every core sums what all the others wrote in this round. */
    unsigned s = 0;
    for (unsigned i = 0; i < n; i++)
      s += slot[i];
    round_sum[id][r] = s;
    pulptrain_barrier(); /* nobody overwrites slot[] before all have read */
  }
}

static int run(unsigned n, unsigned base, int quiet) {
  pulptrain_fork(n, work, &base);
  unsigned eff = n == 0 || n > pulptrain_num_cores() ? pulptrain_num_cores() : n;
  int errors = 0;
  for (unsigned r = 0; r < ROUNDS; r++) {
    unsigned expect = 0;
    for (unsigned i = 0; i < eff; i++)
      expect += base + i * i + r;
    for (unsigned c = 0; c < eff; c++)
      if (round_sum[c][r] != expect || team_seen[c] != eff)
        errors++;
  }
  if (!quiet)
    printf("fork(%u): team=%u sum0=%u errors=%d\n", n, eff, round_sum[0][0],
           errors);
  return errors;
}

int main(void) {
  printf("cores=%u team_outside=%u\n", pulptrain_num_cores(),
         pulptrain_team_size());
  int errors = run(0, 100, 0);
  errors += run(1, 7, 0);
  errors += run(2, 1000, 0);
  errors += run(3, 5, 0);
  for (unsigned i = 0; i < 20; i++) /* many short forks in a row */
    errors += run(i % 5, i, 1);
  printf("total errors=%d\n", errors);
  return errors;
}

// C1: cores=1 team_outside=1
// C2: cores=2 team_outside=1
// C8: cores=8 team_outside=1
// C16: cores=16 team_outside=1
// sum over i<n of 100 + i*i: n=1: 100, n=2: 201, n=8: 940, n=16: 2840
// C1: fork(0): team=1 sum0=100 errors=0
// C2: fork(0): team=2 sum0=201 errors=0
// C8: fork(0): team=8 sum0=940 errors=0
// C16: fork(0): team=16 sum0=2840 errors=0
// CHECK: fork(1): team=1 sum0=7 errors=0
// C1: fork(2): team=1 sum0=1000 errors=0
// C2: fork(2): team=2 sum0=2001 errors=0
// C8: fork(2): team=2 sum0=2001 errors=0
// C16: fork(2): team=2 sum0=2001 errors=0
// C1: fork(3): team=1 sum0=5 errors=0
// C2: fork(3): team=2 sum0=11 errors=0
// C8: fork(3): team=3 sum0=20 errors=0
// C16: fork(3): team=3 sum0=20 errors=0
// CHECK: total errors=0
