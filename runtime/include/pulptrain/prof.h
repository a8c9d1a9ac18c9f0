/*===- prof.h - Per-region performance counters of compiled models -*- C -*-===*
 *
 * The profiling hooks that `pulptrain-opt --pulptrain-instrument-layers`
 * inserts around every (layer, phase) region of a training step, and the
 * calls a harness uses to set them up and read them. A region accumulates
 * the difference of the cluster's performance counters between its
 * pulptrain_prof_enter() and pulptrain_prof_exit() calls.
 *
 * Counters are read on core 0, which runs the step and joins every forked
 * kernel, so its cycle count is the wall-clock time of the region. With
 * PULPTRAIN_PROF_ALL_CORES every counter except the cycles is summed over
 * all cores; each snapshot then forks a short function on all cores, which
 * costs a few dozen cycles per enter/exit. In core-0 mode a snapshot costs
 * about 20 cycles, part of which falls inside the region.
 *
 * The same code runs on every backend: the host backend counts nanoseconds
 * as cycles and 0 for the rest, the qemu backend reads 0 everywhere.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_PROF_H
#define PULPTRAIN_PROF_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/// The counters a region accumulates, in this order.
typedef enum {
  PULPTRAIN_PROF_CYCLES = 0,    ///< cycles of core 0
  PULPTRAIN_PROF_INSTR = 1,     ///< retired instructions
  PULPTRAIN_PROF_LD_STALL = 2,  ///< load-use stall cycles
  PULPTRAIN_PROF_TCDM_CONT = 3, ///< TCDM bank-contention stall cycles
  PULPTRAIN_PROF_L2_ACCESS = 4, ///< loads/stores that went to L2
  PULPTRAIN_PROF_MACS = 5,      ///< multiply-accumulate instructions
  PULPTRAIN_PROF_NUM_COUNTERS = 6,
} pulptrain_prof_counter_t;

/// Which cores' counters a region sums (pulptrain_prof_init's `mode`).
#define PULPTRAIN_PROF_CORE0 0u
#define PULPTRAIN_PROF_ALL_CORES 1u

/// State of one region; the caller provides the storage.
typedef struct {
  /// Accumulated since the last pulptrain_prof_clear().
  uint64_t total[PULPTRAIN_PROF_NUM_COUNTERS];
  /// Completed enter/exit pairs since the last pulptrain_prof_clear().
  uint32_t calls;
  /// Counter snapshot of the open pulptrain_prof_enter().
  uint32_t start[PULPTRAIN_PROF_NUM_COUNTERS];
} pulptrain_prof_region_t;

/// Use `regions[0..n-1]` as the regions with ids 0..n-1, clear them, and
/// reset and start the performance counters (of core 0, or of all cores with
/// PULPTRAIN_PROF_ALL_CORES). Core 0, outside of a fork.
void pulptrain_prof_init(pulptrain_prof_region_t *regions, unsigned n,
                         unsigned mode);

/// Open region `id`. Ids without storage (or before pulptrain_prof_init)
/// are ignored, so an instrumented object also runs without a harness.
/// Core 0, outside of a fork.
void pulptrain_prof_enter(uint32_t id);

/// Close region `id` and add the counter differences since its enter to
/// its totals. Core 0, outside of a fork.
void pulptrain_prof_exit(uint32_t id);

/// Set the totals and call counts of all regions to 0. Core 0.
void pulptrain_prof_clear(void);

/// Print one line per region with its totals:
/// `pulptrain-prof <step> <id> <calls> <cycles> <instr> <ld_stall>
/// <tcdm_cont> <l2_access> <macs>`. Core 0.
void pulptrain_prof_print(unsigned step);

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PULPTRAIN_PROF_H */
