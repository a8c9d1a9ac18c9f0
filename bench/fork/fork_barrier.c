/* Fork/join and barrier cost on the simulated cluster.
 *
 * Every compiled op that runs on several cores pays one
 * pulptrain_fork_kernel (fork, and the join barrier at its end) and, in
 * its kernel, possibly barriers between phases. This program measures
 * them on core 0's cycle counter, averaged over REPS calls after one
 * warm-up call:
 *   - fork_kernel: pulptrain_fork_kernel of an empty kernel with 4 buffer
 *     arguments, as pulptrain-outline-parallel emits it;
 *   - fork: pulptrain_fork of an empty function;
 *   - barrier: one pulptrain_barrier inside a fork (the difference between
 *     a fork of REPS barriers and an empty fork, divided by REPS);
 *   - dma_copy: one pulptrain_dma_copy of 40 bytes from L2 to L1 (core
 *     0's cost of starting it), as pulptrain-tile-l1's copies are started;
 *   - dma_wait: the pulptrain_dma_wait_all after it, which every tile
 *     of an op with L2 operands pays before it computes and after it
 *     writes back (the 5 cycles of the transfer included).
 * pulptrain-tile-l1's cost model of small ops uses the last two.
 * Build and run: bench/fork/run.sh (docs/Benchmarks.md).
 */
#include "pulptrain_rt.h"
#include <stdint.h>

#define REPS 100

static void empty(void *arg) { (void)arg; }

static void empty_kernel(void *a, void *b, void *c, void *d) {
  (void)a, (void)b, (void)c, (void)d;
}

static void barriers(void *arg) {
  unsigned n = *(const unsigned *)arg;
  for (unsigned i = 0; i < n; ++i)
    pulptrain_barrier();
}

static uint32_t stop(void) {
  pulptrain_perf_stop();
  return pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES);
}

static void start(void) {
  pulptrain_perf_reset();
  pulptrain_perf_start();
}

int main(void) {
  static float buffers[4];
  uintptr_t argv[4];
  for (unsigned i = 0; i < 4; ++i)
    argv[i] = (uintptr_t)&buffers[i];

  pulptrain_fork_kernel((void *)empty_kernel, 4, argv);
  start();
  for (unsigned i = 0; i < REPS; ++i)
    pulptrain_fork_kernel((void *)empty_kernel, 4, argv);
  uint32_t forkKernel = stop();

  pulptrain_fork(0, empty, 0);
  start();
  for (unsigned i = 0; i < REPS; ++i)
    pulptrain_fork(0, empty, 0);
  uint32_t fork = stop();

  unsigned n = REPS;
  pulptrain_fork(0, barriers, &n);
  start();
  pulptrain_fork(0, barriers, &n);
  uint32_t forkBarriers = stop();

  static float l2[10];
  static float l1[10] __attribute__((section(".l1_bss")));
  uint32_t copy = 0, wait = 0;
  for (unsigned i = 0; i <= REPS; ++i) {
    start();
    pulptrain_dma_copy(l2, l1, sizeof(l2), PULPTRAIN_DMA_L2_TO_L1);
    uint32_t copied = stop();
    start();
    pulptrain_dma_wait_all();
    uint32_t waited = stop();
    if (i > 0) { /* The first call is the warm-up. */
      copy += copied;
      wait += waited;
    }
  }

  pulptrain_printf("cores %u\n", pulptrain_num_cores());
  pulptrain_printf("fork_kernel %u\n", (forkKernel + REPS / 2) / REPS);
  pulptrain_printf("fork %u\n", (fork + REPS / 2) / REPS);
  pulptrain_printf("barrier %u\n",
                   (forkBarriers - fork / REPS + REPS / 2) / REPS);
  pulptrain_printf("dma_copy %u\n", (copy + REPS / 2) / REPS);
  pulptrain_printf("dma_wait %u\n", (wait + REPS / 2) / REPS);
  return 0;
}
