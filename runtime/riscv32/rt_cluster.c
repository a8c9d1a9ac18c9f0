/*===- rt_cluster.c - Cluster backend: peripherals of pulptrain-sim -------===*
 *
 * Team fork/join over the event unit's dispatch FIFOs and hardware barrier,
 * DMA, performance counters, stdout and exit, all through the memory-mapped
 * registers of pulptrain/platform.h.
 *===----------------------------------------------------------------------===*/

#include "pulptrain/platform.h"
#include "pulptrain_rt.h"
#include "rt_internal.h"

#define REG(a) (*(volatile uint32_t *)(uintptr_t)(a))

/* A load from a register with a side effect (blocking or enqueuing): always
   into a real register (never x0) and a compiler memory barrier. */
static inline uint32_t rd_sync(uint32_t addr) {
  uint32_t v;
  __asm__ volatile("lw %0, 0(%1)" : "=r"(v) : "r"(addr) : "memory");
  return v;
}

/* The runtime's own state lives in L1: every fork, kernel and DMA wait
   reads it, and an L2 access costs 10 cycles (pulptrain-sim's default) where
   L1 takes one. In L2, pulptrain_dma_wait_all's scan of dma_last alone took
   about 200 cycles per call, which every op with L2 operands pays once per
   tile (docs/Benchmarks.md, "Per-op overhead"). */
#define PT_L1_DATA __attribute__((section(".l1_data")))
#define PT_L1_BSS __attribute__((section(".l1_bss")))

/*--- Team ------------------------------------------------------------------*/

/* The fork descriptor, written by core 0 before it dispatches, read by the
   workers after they pop the dispatch value. */
static volatile pulptrain_team_fn_t fork_fn PT_L1_BSS;
static void *volatile fork_arg PT_L1_BSS;
static volatile unsigned team_size PT_L1_DATA = 1;

unsigned pulptrain_core_id(void) {
  unsigned id;
  __asm__ volatile("csrr %0, mhartid" : "=r"(id));
  return id;
}

unsigned pulptrain_num_cores(void) { return REG(PULPTRAIN_CLUSTER_NB_CORES); }

unsigned pulptrain_team_size(void) { return team_size; }

void pulptrain_barrier(void) {
  if (team_size <= 1)
    return;
  (void)rd_sync(PULPTRAIN_EU_BARRIER_WAIT);
}

void pulptrain_fork(unsigned n, pulptrain_team_fn_t fn, void *arg) {
  unsigned nb = pulptrain_num_cores();
  if (n == 0 || n > nb)
    n = nb;
  fork_fn = fn;
  fork_arg = arg;
  team_size = n;
  if (n > 1) {
    REG(PULPTRAIN_EU_BARRIER_TEAM) = n;
    REG(PULPTRAIN_EU_DISPATCH_MASK) = ((1u << n) - 1u) & ~1u;
    REG(PULPTRAIN_EU_DISPATCH_PUSH) = 1u;
  }
  fn(arg);
  if (n > 1)
    (void)rd_sync(PULPTRAIN_EU_BARRIER_WAIT); /* join */
  team_size = 1;
}

/// Worker cores (1..N-1) run this from crt0: wait for work, run it, join.
void pt_worker_loop(void) __attribute__((noreturn));
void pt_worker_loop(void) {
  for (;;) {
    (void)rd_sync(PULPTRAIN_EU_DISPATCH_POP);
    fork_fn(fork_arg);
    (void)rd_sync(PULPTRAIN_EU_BARRIER_WAIT);
  }
}

/*--- DMA --------------------------------------------------------------------*/

/* Per core: 1 + id of the last transfer it enqueued (0: none). */
static volatile uint32_t dma_last[16] PT_L1_BSS;

/* The runtime's L1 data, within what drivers leave it (platform.h). */
_Static_assert(sizeof(fork_fn) + sizeof(fork_arg) + sizeof(team_size) +
                       sizeof(dma_last) <=
                   PULPTRAIN_RUNTIME_L1_SIZE,
               "the runtime's L1 data exceeds PULPTRAIN_RUNTIME_L1_SIZE");

static pulptrain_dma_t dma_push(void *ext, void *loc, size_t size,
                                size_t stride, size_t row_len,
                                pulptrain_dma_dir_t dir) {
  if (size == 0)
    return PULPTRAIN_DMA_NONE;
  __asm__ volatile("" ::: "memory"); /* stores before the transfer */
  REG(PULPTRAIN_DMA_EXT_ADDR) = (uint32_t)(uintptr_t)ext;
  REG(PULPTRAIN_DMA_LOC_ADDR) = (uint32_t)(uintptr_t)loc;
  REG(PULPTRAIN_DMA_SIZE) = (uint32_t)size;
  REG(PULPTRAIN_DMA_DIR) = dir == PULPTRAIN_DMA_L2_TO_L1
                               ? PULPTRAIN_DMA_DIR_EXT2LOC
                               : PULPTRAIN_DMA_DIR_LOC2EXT;
  REG(PULPTRAIN_DMA_EXT_STRIDE) = (uint32_t)stride;
  REG(PULPTRAIN_DMA_ROW_LEN) = (uint32_t)row_len;
  uint32_t id = rd_sync(PULPTRAIN_DMA_PUSH);
  dma_last[pulptrain_core_id() & 15] = id + 1;
  return id;
}

pulptrain_dma_t pulptrain_dma_copy(void *ext, void *loc, size_t size,
                                   pulptrain_dma_dir_t dir) {
  return dma_push(ext, loc, size, 0, 0, dir);
}

pulptrain_dma_t pulptrain_dma_copy_2d(void *ext, void *loc, size_t size,
                                      size_t ext_stride, size_t row_len,
                                      pulptrain_dma_dir_t dir) {
  if (row_len == size) /* one row: a 1-D transfer */
    row_len = 0;
  return dma_push(ext, loc, size, ext_stride, row_len, dir);
}

void pulptrain_dma_wait(pulptrain_dma_t h) {
  if (h == PULPTRAIN_DMA_NONE)
    return;
  if (REG(PULPTRAIN_DMA_DONE) <= h) {
    REG(PULPTRAIN_DMA_WAIT_ID) = h;
    (void)rd_sync(PULPTRAIN_DMA_WAIT);
  }
  __asm__ volatile("" ::: "memory");
}

void pulptrain_dma_wait_all(void) {
  uint32_t last = 0;
  for (unsigned i = 0; i < 16; i++)
    if (dma_last[i] > last)
      last = dma_last[i];
  if (last)
    pulptrain_dma_wait(last - 1);
}

/*--- L3 channel -------------------------------------------------------------*/

/* 1 + id of the last L3 transfer enqueued by any core (0: none). In L2:
   a program without L3 transfers keeps its L1 as before. */
static volatile uint32_t l3_last;

pulptrain_l3_t pulptrain_l3_copy(void *l3, void *l2, size_t size,
                                 pulptrain_l3_dir_t dir) {
  if (size == 0)
    return PULPTRAIN_DMA_NONE;
  __asm__ volatile("" ::: "memory"); /* stores before the transfer */
  REG(PULPTRAIN_L3DMA_L3_ADDR) = (uint32_t)(uintptr_t)l3;
  REG(PULPTRAIN_L3DMA_L2_ADDR) = (uint32_t)(uintptr_t)l2;
  REG(PULPTRAIN_L3DMA_SIZE) = (uint32_t)size;
  REG(PULPTRAIN_L3DMA_DIR) = dir == PULPTRAIN_L3_TO_L2
                                 ? PULPTRAIN_L3DMA_DIR_L3TOL2
                                 : PULPTRAIN_L3DMA_DIR_L2TOL3;
  uint32_t id = rd_sync(PULPTRAIN_L3DMA_PUSH);
  if (id + 1 > l3_last)
    l3_last = id + 1;
  return id;
}

void pulptrain_l3_wait(pulptrain_l3_t h) {
  if (h == PULPTRAIN_DMA_NONE)
    return;
  if (REG(PULPTRAIN_L3DMA_DONE) <= h) {
    REG(PULPTRAIN_L3DMA_WAIT_ID) = h;
    (void)rd_sync(PULPTRAIN_L3DMA_WAIT);
  }
  __asm__ volatile("" ::: "memory");
}

void pulptrain_l3_wait_all(void) {
  uint32_t last = l3_last;
  if (last)
    pulptrain_l3_wait(last - 1);
}

/*--- Performance counters ---------------------------------------------------*/

void pulptrain_perf_start(void) { REG(PULPTRAIN_PERF_CTRL) = 1u; }
void pulptrain_perf_stop(void) { REG(PULPTRAIN_PERF_CTRL) = 0u; }
void pulptrain_perf_reset(void) { REG(PULPTRAIN_PERF_CTRL) = 2u; }

uint32_t pulptrain_perf_read(pulptrain_perf_event_t ev) {
  if ((unsigned)ev >= PULPTRAIN_PERF_NUM_COUNTERS)
    return 0;
  return REG(PULPTRAIN_PERF_COUNTER((unsigned)ev));
}

/*--- Output, exit, memory bounds --------------------------------------------*/

void pulptrain_putc(char c) { REG(PULPTRAIN_STDOUT_PUTC) = (uint8_t)c; }

void pt_backend_write(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    REG(PULPTRAIN_STDOUT_PUTC) = (uint8_t)s[i];
}

void pt_backend_write_err(const char *s, size_t n) { pt_backend_write(s, n); }

void pt_backend_exit(int code) {
  REG(PULPTRAIN_EXIT) = (uint32_t)code;
  for (;;)
    (void)rd_sync(PULPTRAIN_EU_DISPATCH_POP); /* sleep until the end */
}

size_t pulptrain_l1_size(void) { return REG(PULPTRAIN_CLUSTER_L1_SIZE); }
size_t pulptrain_l2_size(void) { return REG(PULPTRAIN_CLUSTER_L2_SIZE); }

extern char __l1_heap_start[], __heap_start[];

void pt_backend_l1_heap(uintptr_t *lo, uintptr_t *hi) {
  *lo = (uintptr_t)__l1_heap_start;
  *hi = PULPTRAIN_L1_BASE + pulptrain_l1_size() -
        pulptrain_num_cores() * PULPTRAIN_STACK_SIZE;
}

void pt_backend_l2_heap(uintptr_t *lo, uintptr_t *hi) {
  *lo = (uintptr_t)__heap_start;
  *hi = PULPTRAIN_L2_BASE + pulptrain_l2_size();
}

/// Called by crt0 on core 0 before anything else: the program must fit the
/// memories the simulator was configured with.
void pt_check_layout(void) {
  uintptr_t lo, hi;
  pt_backend_l1_heap(&lo, &hi);
  if (lo > hi) {
    pulptrain_printf("pulptrain runtime: .l1 sections end at %p, above the "
                     "core stacks at %p (L1 %u bytes, %u cores)\n",
                     (void *)lo, (void *)hi, (unsigned)pulptrain_l1_size(),
                     pulptrain_num_cores());
    pt_backend_exit(125);
  }
  pt_backend_l2_heap(&lo, &hi);
  if (lo > hi) {
    pulptrain_printf("pulptrain runtime: the program ends at %p, beyond L2 "
                     "(%u bytes)\n",
                     (void *)lo, (unsigned)pulptrain_l2_size());
    pt_backend_exit(125);
  }
}
