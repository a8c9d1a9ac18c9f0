/*===- pulptrain_rt.h - Cluster runtime C API --------------------*- C -*-===*
 *
 * The primitives that compiled pulptrain models and hand-written cluster C
 * code call: team fork/join, core id, barrier, DMA between L2 and L1, L1/L2
 * allocation, performance counters, printing and exit.
 *
 * Three backends implement this header with identical semantics:
 *  - riscv32 (runtime/riscv32): the memory-mapped peripherals of the
 *    simulated cluster (pulptrain/platform.h), run with pulptrain-sim;
 *  - qemu (runtime/riscv32/qemu): one core under qemu-riscv32 user mode,
 *    I/O through Linux system calls, for differential tests;
 *  - host (runtime/host): POSIX threads, for fast functional checks.
 *
 * "Core 0" below is the core that runs main(). "Team" is the set of cores
 * 0..n-1 running a function started by pulptrain_fork(n, ...). Functions
 * not marked "any core" must only be called by one core at a time (there
 * are no atomic instructions on the cluster cores); in practice: core 0,
 * outside of a fork, or a single core inside one.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_RT_H
#define PULPTRAIN_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*--- Team: fork/join, identity, barrier -------------------------------------*/

/// Entry point of a forked team function.
typedef void (*pulptrain_team_fn_t)(void *arg);

/// Run `fn(arg)` on cores 0..n-1 (core 0 is the caller) and return when all
/// of them have returned (a join barrier). `n == 0` or `n` larger than
/// pulptrain_num_cores() means all cores. Inside `fn`, pulptrain_barrier()
/// synchronizes exactly these n cores. Call from core 0 outside of a fork
/// (forks do not nest).
void pulptrain_fork(unsigned n, pulptrain_team_fn_t fn, void *arg);

/// Most buffer pointers a compiled kernel takes.
#define PULPTRAIN_KERNEL_MAX_ARGS 16

/// Run the compiled kernel `fn` with the `nargs` buffer pointers in `argv`
/// on all cores, as pulptrain_fork does: `fn` has type
/// `void (void *, ..., void *)` with `nargs` parameters and takes its share
/// of the work from pulptrain_core_id() and pulptrain_team_size(). The
/// compiler's parallel outlining (pulptrain-outline-parallel) calls it.
void pulptrain_fork_kernel(void *fn, uint32_t nargs, const uintptr_t *argv);

/// Id of the calling core, 0..pulptrain_num_cores()-1. Any core, any time.
unsigned pulptrain_core_id(void);

/// Number of cores of the cluster (the simulator's --cores; the host
/// backend: PULPTRAIN_CORES from the environment, default 8; qemu: 1).
/// Any core, any time.
unsigned pulptrain_num_cores(void);

/// Number of cores in the current team: n of the enclosing pulptrain_fork,
/// or 1 outside of a fork. Any core.
unsigned pulptrain_team_size(void);

/// Wait until every core of the current team has called it (a full memory
/// barrier: stores before it are visible to all team members after it).
/// Any team member inside a forked function; outside of a fork a no-op.
void pulptrain_barrier(void);

/*--- DMA between L2 (external) and L1 (local) -------------------------------*/

/// Handle of an enqueued transfer; pass it to pulptrain_dma_wait().
typedef uint32_t pulptrain_dma_t;

/// A handle that refers to no transfer (returned for empty copies); waiting
/// on it returns at once.
#define PULPTRAIN_DMA_NONE 0xFFFFFFFFu

/// Direction of a transfer.
typedef enum {
  PULPTRAIN_DMA_L2_TO_L1 = 0, ///< external (L2) -> local (L1)
  PULPTRAIN_DMA_L1_TO_L2 = 1, ///< local (L1) -> external (L2)
} pulptrain_dma_dir_t;

/// Enqueue a copy of `size` contiguous bytes between `ext` (L2) and `loc`
/// (L1) in direction `dir` and return at once. The data may only be used
/// (and the source overwritten) after pulptrain_dma_wait() on the handle.
/// Transfers complete in the order they were enqueued. Any core.
pulptrain_dma_t pulptrain_dma_copy(void *ext, void *loc, size_t size,
                                   pulptrain_dma_dir_t dir);

/// Enqueue a 2-D copy: `size` bytes in rows of `row_len` bytes; on the L2
/// side consecutive rows start `ext_stride` bytes apart, on the L1 side they
/// are contiguous. `size` must be a multiple of `row_len`. Any core.
pulptrain_dma_t pulptrain_dma_copy_2d(void *ext, void *loc, size_t size,
                                      size_t ext_stride, size_t row_len,
                                      pulptrain_dma_dir_t dir);

/// Block until the transfer `h` is complete. Any core (not only the one that
/// enqueued it), any number of times.
void pulptrain_dma_wait(pulptrain_dma_t h);

/// Block until every transfer enqueued so far is complete. Any core.
void pulptrain_dma_wait_all(void);

/*--- L3 channel between L3 (external memory) and L2 -------------------------*/

/// Handle of an enqueued L3 transfer; pass it to pulptrain_l3_wait(). The L3
/// channel is not the cluster DMA: its handles are waited on with
/// pulptrain_l3_wait(), never pulptrain_dma_wait().
typedef uint32_t pulptrain_l3_t;

/// Direction of an L3 transfer.
typedef enum {
  PULPTRAIN_L3_TO_L2 = 0, ///< L3 -> L2
  PULPTRAIN_L2_TO_L3 = 1, ///< L2 -> L3
} pulptrain_l3_dir_t;

/// Enqueue a copy of `size` contiguous bytes between `l3` (in L3, which the
/// cores cannot access) and `l2` (in L2) in direction `dir` and return at
/// once; use the data only after pulptrain_l3_wait() on the handle.
/// Transfers complete in order. Any core. (Host backend: L3 is ordinary
/// memory and the copy is done at once.)
pulptrain_l3_t pulptrain_l3_copy(void *l3, void *l2, size_t size,
                                 pulptrain_l3_dir_t dir);

/// Block until the L3 transfer `h` is complete. Any core.
void pulptrain_l3_wait(pulptrain_l3_t h);

/// Block until every L3 transfer enqueued so far is complete. Any core.
void pulptrain_l3_wait_all(void);

/*--- Memory ------------------------------------------------------------------*/

/// Allocate `size` bytes of L1 (TCDM), 8-byte aligned; NULL when the L1 heap
/// (the L1 region between the `.l1` sections and the core stacks) is
/// exhausted. One core at a time.
void *pulptrain_l1_malloc(size_t size);

/// Return a block from pulptrain_l1_malloc (size as allocated; NULL is
/// ignored). One core at a time.
void pulptrain_l1_free(void *ptr, size_t size);

/// Allocate `size` bytes of L2, 8-byte aligned; NULL when the L2 heap (after
/// .bss up to the end of L2) is exhausted. One core at a time.
void *pulptrain_l2_malloc(size_t size);

/// Return a block from pulptrain_l2_malloc. One core at a time.
void pulptrain_l2_free(void *ptr, size_t size);

/// Size in bytes of the whole L1 (TCDM) of the cluster. Any core.
size_t pulptrain_l1_size(void);

/// Size in bytes of the whole L2. Any core.
size_t pulptrain_l2_size(void);

/// Bytes still free in the L1 heap (the largest block is at most this).
/// Any core.
size_t pulptrain_l1_free_bytes(void);

/// Bytes still free in the L2 heap. Any core.
size_t pulptrain_l2_free_bytes(void);

/*--- Performance counters (per core) ----------------------------------------*/

/// Counter indices, identical to PULPTRAIN_PERF_* of pulptrain/platform.h.
typedef enum {
  PULPTRAIN_PERF_EV_CYCLES = 0,       ///< cycles while counting
  PULPTRAIN_PERF_EV_INSTR = 1,        ///< retired instructions
  PULPTRAIN_PERF_EV_LD_STALL = 2,     ///< load-use stall cycles
  PULPTRAIN_PERF_EV_TCDM_CONT = 3,    ///< TCDM bank-contention stall cycles
  PULPTRAIN_PERF_EV_BRANCH_STALL = 4, ///< taken-branch / jump stall cycles
  PULPTRAIN_PERF_EV_L2_ACCESS = 5,    ///< loads/stores that went to L2
  PULPTRAIN_PERF_EV_FP_OPS = 6,       ///< FP arithmetic instructions
  PULPTRAIN_PERF_EV_MACS = 7,         ///< multiply-accumulates
  PULPTRAIN_PERF_EV_SLEEP = 8,        ///< cycles asleep (barrier, DMA wait)
  PULPTRAIN_PERF_EV_LOADS = 9,        ///< load instructions
  PULPTRAIN_PERF_EV_STORES = 10,      ///< store instructions
  PULPTRAIN_PERF_EV_ICACHE_MISS = 11, ///< L0 instruction-cache misses
  PULPTRAIN_PERF_EV_FPU_CONT = 12,    ///< cycles waiting for a shared FPU
  PULPTRAIN_PERF_EV_COUNT = 13,
} pulptrain_perf_event_t;

/// Start counting on the calling core. Any core.
void pulptrain_perf_start(void);

/// Stop counting on the calling core (values are kept). Any core.
void pulptrain_perf_stop(void);

/// Set all counters of the calling core to 0 (counting state unchanged).
/// Any core.
void pulptrain_perf_reset(void);

/// Value of counter `ev` of the calling core; 0 for an unknown index.
/// Host backend: CYCLES is nanoseconds of CLOCK_MONOTONIC while counting,
/// every other counter reads 0. Qemu backend: all counters read 0.
/// Any core.
uint32_t pulptrain_perf_read(pulptrain_perf_event_t ev);

/// Short name of counter `ev` ("cycles", "instr", ...), or "?". Any core.
const char *pulptrain_perf_name(pulptrain_perf_event_t ev);

/*--- Output and exit ---------------------------------------------------------*/

/// Write one character to standard output. Any core (characters of several
/// cores printing at once interleave).
void pulptrain_putc(char c);

/// Formatted print to standard output: %d %i %u %x %X %o %c %s %p %% %f %e
/// %g with flags `-+ 0#`, width, precision (also `*`) and the length
/// modifiers hh h l ll z t j. Floating-point conversions are exact
/// (identical to glibc's output). Returns the number of characters written.
/// Any core; the standard printf/puts/putchar are provided too.
int pulptrain_printf(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));

/// pulptrain_printf with a va_list. Any core.
int pulptrain_vprintf(const char *fmt, va_list ap);

/// End the program with exit code `code` (what pulptrain-sim and the host
/// process return). Returning `code` from main() is equivalent. Any core;
/// the other cores are stopped.
void pulptrain_exit(int code) __attribute__((noreturn));

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PULPTRAIN_RT_H */
