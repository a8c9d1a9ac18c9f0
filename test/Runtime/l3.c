// The L3 channel through the runtime: data a program places in L3 (`.l3`,
// initial values loaded from the ELF) copied to L2, changed there, copied
// back and read again; several transfers in flight from all cores of a
// team, waited for by another core; the cycles of one transfer against the
// channel's timing (latency + bytes / bandwidth). On the host L3 is
// ordinary memory. A core's load from L3 stops the simulator.
//
// RUN: pulptrain-cc -O2 --l3-size=64K %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 1 --l3-size 64K %t.elf | FileCheck %s --check-prefixes=CHECK,SIM
// RUN: pulptrain-sim --quiet --cores 8 --l3-size 64K %t.elf | FileCheck %s --check-prefixes=CHECK,SIM
// RUN: pulptrain-sim --quiet --cores 8 --l3-size 64K --l3-latency 100 --l3-bytes-per-cycle 4 %t.elf | FileCheck %s --check-prefixes=CHECK,FAST
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: %t.host | FileCheck %s
// The ELF's L3 data needs an L3 of its size in the simulator.
// RUN: not pulptrain-sim --quiet --l3-size 4K %t.elf 2>&1 | FileCheck %s --check-prefix=SMALL
// The options of the channel are checked.
// RUN: not pulptrain-sim --quiet --l3-size 512M %t.elf 2>&1 | FileCheck %s --check-prefix=BIG
// RUN: not pulptrain-sim --quiet --l3-size 64K --l3-bytes-per-cycle 0 %t.elf 2>&1 | FileCheck %s --check-prefix=BW
// RUN: pulptrain-cc -O2 -DTOUCH_L3 --l3-size=64K %s -o %t.touch.elf
// RUN: not pulptrain-sim --quiet --l3-size 64K %t.touch.elf 2>&1 | FileCheck %s --check-prefix=TOUCH

#include <pulptrain/platform.h>
#include <pulptrain_rt.h>
#include <stdint.h>
#include <stdio.h>

#define N 4096 /* int32 elements: 16 KiB in L3 */
#define PARTS 8

#ifdef __PULPTRAIN_SIM__
#define L3_DATA __attribute__((section(".l3"), aligned(16)))
#else
#define L3_DATA __attribute__((aligned(16)))
#endif

static int32_t far[N] L3_DATA = {[0] = 7, [1] = 11, [N - 1] = 13};
static int32_t near[N];

static void copy_part(void *arg) {
  (void)arg;
  unsigned part = pulptrain_core_id();
  unsigned parts = pulptrain_team_size();
  for (unsigned p = part; p < PARTS; p += parts)
    pulptrain_l3_copy(far + p * (N / PARTS), near + p * (N / PARTS),
                      sizeof far / PARTS, PULPTRAIN_L2_TO_L3);
}

int main(void) {
#ifdef TOUCH_L3
  volatile int32_t *p = far;
  printf("%d\n", (int)p[1]);
#endif
  // L3 -> L2: the initial values of the ELF.
  pulptrain_l3_wait(
      pulptrain_l3_copy(far, near, sizeof far, PULPTRAIN_L3_TO_L2));
  printf("loaded %d %d %d %d\n", (int)near[0], (int)near[1], (int)near[2],
         (int)near[N - 1]);
  // CHECK: loaded 7 11 0 13

  // Changed in L2, back to L3 in parts by all cores, waited for by core 0.
  for (unsigned i = 0; i < N; i++)
    near[i] = (int32_t)(i * 3 + 1);
  pulptrain_fork(pulptrain_num_cores(), copy_part, 0);
  pulptrain_l3_wait_all();
  for (unsigned i = 0; i < N; i++)
    near[i] = -1;
  pulptrain_l3_wait(
      pulptrain_l3_copy(far, near, sizeof far, PULPTRAIN_L3_TO_L2));
  int errors = 0;
  for (unsigned i = 0; i < N; i++)
    errors += near[i] != (int32_t)(i * 3 + 1);
  printf("round trip: %d errors\n", errors);
  // CHECK: round trip: 0 errors

  // One transfer of 1000 bytes, timed (the simulator's defaults: 200 + 1000
  // cycles; --l3-latency 100 --l3-bytes-per-cycle 4: 100 + 250).
#ifdef __PULPTRAIN_SIM__
  pulptrain_perf_start();
  uint32_t t0 = pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES);
  pulptrain_l3_wait(pulptrain_l3_copy(far, near, 1000, PULPTRAIN_L3_TO_L2));
  uint32_t t = pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES) - t0;
  printf("cycles %s (%u)\n",
         t >= 1200 && t < 1260 ? "1200+" : t >= 350 && t < 410 ? "350+" : "?",
         (unsigned)t);
#endif
  // SIM: cycles 1200+
  // FAST: cycles 350+
  return 0;
}

// SMALL: pulptrain-sim: error: {{.*}}ELF segment at 0x80000000 (16384 bytes) does not fit in L1 [0x10000000, 0x10020000), L2 [0x1c000000, 0x1c100000) or L3 [0x80000000, 0x80001000)
// BIG: pulptrain-sim: error: --l3-size=512M (536870912 bytes) is outside [0, 268435456] (the largest L3 of the simulator)
// BW: --l3-bytes-per-cycle: Value 0 not in range 1 to 4096
// TOUCH: pulptrain-sim: error: core 0, pc 0x{{[0-9a-f]+}}, instruction 0x{{[0-9a-f]+}} ({{.*}}): load from 0x80000004, which is in L3: the cores cannot access L3, the L3 DMA copies it to L2
