/*===- rt_qemu.c - One-core backend for qemu-riscv32 user mode ------------===*
 *
 * The pulptrain_rt.h API on one hart under QEMU's Linux user mode, so that
 * the same program runs on pulptrain-sim and on QEMU (an independent
 * reference for the standard ISA): output and exit through the Linux system
 * calls write (64) and exit_group (94); a team is always the one core (a
 * fork runs the function once, pulptrain_num_cores() is 1); DMA copies at
 * once; L1/L2 are arenas in .bss; all performance counters read 0.
 *===----------------------------------------------------------------------===*/

#include "pulptrain/platform.h"
#include "pulptrain_rt.h"
#include "rt_internal.h"

static long sys3(long n, long a, long b, long c) {
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  register long a7 __asm__("a7") = n;
  __asm__ volatile("ecall"
                   : "+r"(a0)
                   : "r"(a1), "r"(a2), "r"(a7)
                   : "memory");
  return a0;
}

/*--- Team ----------------------------------------------------------------------*/

unsigned pulptrain_core_id(void) { return 0; }
unsigned pulptrain_num_cores(void) { return 1; }
unsigned pulptrain_team_size(void) { return 1; }
void pulptrain_barrier(void) {}

void pulptrain_fork(unsigned n, pulptrain_team_fn_t fn, void *arg) {
  (void)n;
  fn(arg);
}

/*--- DMA: immediate copies ---------------------------------------------------------*/

static pulptrain_dma_t dma_id;

pulptrain_dma_t pulptrain_dma_copy_2d(void *ext, void *loc, size_t size,
                                      size_t ext_stride, size_t row_len,
                                      pulptrain_dma_dir_t dir) {
  if (size == 0)
    return PULPTRAIN_DMA_NONE;
  if (row_len == 0)
    row_len = ext_stride = size;
  char *e = ext, *l = loc;
  for (size_t off = 0; off < size; off += row_len, e += ext_stride) {
    for (size_t i = 0; i < row_len && off + i < size; i++) {
      if (dir == PULPTRAIN_DMA_L2_TO_L1)
        l[off + i] = e[i];
      else
        e[i] = l[off + i];
    }
  }
  return dma_id++;
}

pulptrain_dma_t pulptrain_dma_copy(void *ext, void *loc, size_t size,
                                   pulptrain_dma_dir_t dir) {
  return pulptrain_dma_copy_2d(ext, loc, size, 0, 0, dir);
}

void pulptrain_dma_wait(pulptrain_dma_t h) { (void)h; }
void pulptrain_dma_wait_all(void) {}

/*--- Performance counters: none --------------------------------------------------*/

void pulptrain_perf_start(void) {}
void pulptrain_perf_stop(void) {}
void pulptrain_perf_reset(void) {}
uint32_t pulptrain_perf_read(pulptrain_perf_event_t ev) {
  (void)ev;
  return 0;
}

/*--- Output, exit, memory ----------------------------------------------------------*/

static void write_fd(int fd, const char *s, size_t n) {
  while (n) {
    long w = sys3(64, fd, (long)s, (long)n);
    if (w <= 0)
      return;
    s += w;
    n -= (size_t)w;
  }
}

void pt_backend_write(const char *s, size_t n) { write_fd(1, s, n); }
void pt_backend_write_err(const char *s, size_t n) { write_fd(2, s, n); }

void pulptrain_putc(char c) { pt_backend_write(&c, 1); }

void pt_backend_exit(int code) {
  for (;;)
    sys3(94, code, 0, 0);
}

#define QEMU_L1_HEAP (PULPTRAIN_L1_DEFAULT_SIZE - 8 * PULPTRAIN_STACK_SIZE)
static char l1_arena[QEMU_L1_HEAP] __attribute__((aligned(16)));
static char l2_arena[PULPTRAIN_L2_DEFAULT_SIZE] __attribute__((aligned(16)));

size_t pulptrain_l1_size(void) { return PULPTRAIN_L1_DEFAULT_SIZE; }
size_t pulptrain_l2_size(void) { return PULPTRAIN_L2_DEFAULT_SIZE; }

void pt_backend_l1_heap(uintptr_t *lo, uintptr_t *hi) {
  *lo = (uintptr_t)l1_arena;
  *hi = (uintptr_t)l1_arena + sizeof(l1_arena);
}

void pt_backend_l2_heap(uintptr_t *lo, uintptr_t *hi) {
  *lo = (uintptr_t)l2_arena;
  *hi = (uintptr_t)l2_arena + sizeof(l2_arena);
}

void pt_check_layout(void) {}
