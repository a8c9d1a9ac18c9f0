// Per-region counters of pulptrain/prof.h: regions count exactly the
// multiply-accumulates executed between their enter and exit, accumulate
// over several entries, ignore unknown ids, clear, and in the all-cores
// mode sum the work of every core of a forked kernel.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 1 %t.elf | FileCheck %s --check-prefixes=CHECK,C1
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s --check-prefixes=CHECK,C8

#include <pulptrain/prof.h>
#include <pulptrain_rt.h>
#include <stdio.h>

/* 50 fused multiply-adds, one MAC each. */
static void fma50(void) {
  __asm__ volatile(".rept 50\n fmadd.s a0, a0, a1, a2\n.endr"
                   ::: "a0", "a1", "a2");
}

static void kernel(void *arg) {
  (void)arg;
  fma50();
  pulptrain_barrier();
}

/* In L1, like the harness of pulptrain-run: the snapshot store at an enter
   is inside the region. */
static pulptrain_prof_region_t regions[3] __attribute__((section(".l1_bss")));

static void show(const char *what) {
  for (unsigned id = 0; id < 3; id++) {
    const pulptrain_prof_region_t *r = &regions[id];
    printf("%s region %u: calls %u macs %u instr>=macs %d cycles>=instr %d\n",
           what, id, (unsigned)r->calls,
           (unsigned)r->total[PULPTRAIN_PROF_MACS],
           r->total[PULPTRAIN_PROF_INSTR] >= r->total[PULPTRAIN_PROF_MACS],
           r->total[PULPTRAIN_PROF_CYCLES] >= r->total[PULPTRAIN_PROF_INSTR]);
  }
}

int main(void) {
  /* Before init every id is ignored. */
  pulptrain_prof_enter(0);
  pulptrain_prof_exit(0);

  pulptrain_prof_init(regions, 3, PULPTRAIN_PROF_CORE0);
  pulptrain_prof_enter(0);
  fma50();
  fma50();
  pulptrain_prof_exit(0);
  for (int i = 0; i < 3; i++) {
    pulptrain_prof_enter(1);
    fma50();
    pulptrain_prof_exit(1);
  }
  fma50(); /* outside of every region */
  pulptrain_prof_enter(7);
  pulptrain_prof_exit(7);
  show("core0");
  // CHECK: core0 region 0: calls 1 macs 100 instr>=macs 1 cycles>=instr 1
  // CHECK: core0 region 1: calls 3 macs 150 instr>=macs 1 cycles>=instr 1
  // CHECK: core0 region 2: calls 0 macs 0 instr>=macs 1 cycles>=instr 1
  pulptrain_prof_print(4);
  // CHECK: pulptrain-prof 4 0 1 [[C0:[0-9]+]] [[I0:[0-9]+]] {{[0-9]+ [0-9]+ [0-9]+}} 100{{$}}
  // CHECK: pulptrain-prof 4 1 3 {{[0-9]+ [0-9]+ [0-9]+ [0-9]+ [0-9]+}} 150{{$}}
  // CHECK: pulptrain-prof 4 2 0 0 0 0 0 0 0{{$}}

  /* Only core 0's counters: the workers' MACs are not seen. */
  pulptrain_prof_clear();
  pulptrain_prof_enter(2);
  pulptrain_fork(0, kernel, 0);
  pulptrain_prof_exit(2);
  show("fork");
  // CHECK: fork region 0: calls 0 macs 0
  // CHECK: fork region 2: calls 1 macs 50 instr>=macs 1 cycles>=instr 1

  /* All cores: 50 MACs per core. */
  pulptrain_prof_init(regions, 3, PULPTRAIN_PROF_ALL_CORES);
  pulptrain_prof_enter(2);
  pulptrain_fork(0, kernel, 0);
  pulptrain_prof_exit(2);
  show("all");
  // C1: all region 2: calls 1 macs 50 instr>=macs 1
  // C8: all region 2: calls 1 macs 400 instr>=macs 1
  return 0;
}
