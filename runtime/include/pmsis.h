/*===- pmsis.h - PMSIS cluster API on top of the pulptrain runtime -*- C -*-===*
 *
 * Lets existing PULP cluster C code (PULP SDK / PULP-TrainLib style) build
 * unchanged against pulptrain_rt.h, on the simulator, QEMU and the host. The
 * names, types, enumerators and struct fields follow the PULP SDK's PMSIS;
 * only the cluster side exists: main() already runs on cluster core 0, so
 * the pi_cluster_* "open/send task" calls run the task's entry directly.
 * Like the SDK's pmsis.h it brings in <stdint.h>, <stddef.h>, <stdio.h>,
 * <stdlib.h> and <string.h>, and the PULP GCC types (float16, float16alt,
 * v2s, v4s, ...), __builtin_shuffle and __builtin_pulp_* of
 * pulptrain/pulp_gcc.h (which pulptrain-cc includes first anyway). The board
 * support headers (bsp/bsp.h, bsp/fs.h, ...) declare the file system and
 * flash API; it fails at run time with a message (no such devices here).
 *
 * Semantics that differ from a real PULP chip:
 *  - one DMA engine without per-core counters: pi_cl_dma_*_wait waits for the
 *    transfer (and all earlier ones); `merge` is accepted and ignored;
 *  - pi_perf_conf is accepted and ignored (all counters always count);
 *    events without a counter here read 0 (see pi_perf_read);
 *  - pi_l1_malloc / pi_l2_malloc must not be called by several cores at
 *    the same time (no atomics), as in the SDK.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_PMSIS_H
#define PULPTRAIN_PMSIS_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pulptrain/pulp_gcc.h"
#include "pulptrain_rt.h"

#ifdef __cplusplus
extern "C" {
#endif

/*--- Data placement ------------------------------------------------------*/

/// Place a variable in the cluster L1 (TCDM). Initializers are loaded.
#define PI_L1 __attribute__((section(".l1_data")))
#define PI_CL_L1 PI_L1
/// Place a variable in the shared L1 (the same L1 here).
#define PI_CL_L1_SHARED PI_L1
/// Place a variable in L2 (where ordinary globals already live).
#define PI_L2 __attribute__((section(".l2_data")))
#define PI_FC_L1 PI_L2
#define PI_FC_TINY PI_L2
#define RT_L1_DATA PI_L1
#define RT_L2_DATA PI_L2
#define L1_DATA PI_L1
#define L2_DATA PI_L2

/*--- Cores and team --------------------------------------------------------*/

#ifndef ARCHI_CLUSTER_NB_PE
/// Compile-time maximum number of cluster cores (the simulator's maximum).
#define ARCHI_CLUSTER_NB_PE 16
#endif

/// Id of the calling core within the cluster.
static inline int pi_core_id(void) { return (int)pulptrain_core_id(); }

/// Id of the cluster: always 0 (one cluster).
static inline int pi_cluster_id(void) { return 0; }

/// True on the fabric controller: always 0 (main runs on cluster core 0).
static inline int pi_is_fc(void) { return 0; }

/// Number of cores in the current team (as pulptrain_team_size()), or of the
/// cluster outside of a fork (as the SDK, where the default team is all PEs).
static inline int pi_cl_team_nb_cores(void) {
  unsigned t = pulptrain_team_size();
  return (int)(t > 1 ? t : pulptrain_num_cores());
}

/// Number of cores of the cluster.
static inline int pi_cl_cluster_nb_cores(void) {
  return (int)pulptrain_num_cores();
}
static inline int pi_cl_cluster_nb_pe_cores(void) {
  return (int)pulptrain_num_cores();
}
#define pi_nb_cluster_cores() pi_cl_cluster_nb_cores()

/// Run `entry(arg)` on `nb_cores` cores (0: all) and return when all are
/// done. Called by core 0.
static inline void pi_cl_team_fork(int nb_cores, void (*entry)(void *),
                                   void *arg) {
  pulptrain_fork(nb_cores < 0 ? 0u : (unsigned)nb_cores, entry, arg);
}

/// Barrier of the current team. Older SDKs pass a barrier id: accepted.
static inline void pulptrain_pi_barrier(void) { pulptrain_barrier(); }
#define pi_cl_team_barrier(...) pulptrain_pi_barrier()

/// Critical sections: the cluster cores have no atomics; the team barrier
/// is the synchronization primitive here. Provided for code that brackets
/// single-core work (e.g. `if (pi_core_id() == 0)`) with them.
static inline void pi_cl_team_critical_enter(void) {}
static inline void pi_cl_team_critical_exit(void) {}

/*--- DMA ---------------------------------------------------------------------*/

/// Direction of a cluster DMA transfer (values as in the PULP SDK).
typedef enum {
  PI_CL_DMA_DIR_LOC2EXT = 0, ///< L1 -> L2
  PI_CL_DMA_DIR_EXT2LOC = 1, ///< L2 -> L1
} pi_cl_dma_dir_e;

/// Command handle of pi_cl_dma_cmd / pi_cl_dma_cmd_2d.
typedef struct pi_cl_dma_cmd_s {
  int id;
  struct pi_cl_dma_cmd_s *next;
} pi_cl_dma_cmd_t;

/// Copy descriptor of pi_cl_dma_memcpy / pi_cl_dma_memcpy_2d (SDK fields).
typedef struct pi_cl_dma_copy_s {
  uint32_t ext;         ///< L2 address
  uint32_t loc;         ///< L1 address
  uint32_t id;          ///< set by the runtime
  uint32_t size;        ///< total bytes
  pi_cl_dma_dir_e dir;  ///< direction
  uint8_t merge;        ///< ignored
  uint32_t stride;      ///< 2-D: bytes between L2 rows
  uint32_t length;      ///< 2-D: bytes per row
  struct pi_cl_dma_copy_s *next;
} pi_cl_dma_copy_t;

typedef pi_cl_dma_copy_t pi_cl_dma_copy_2d_t;

static inline pulptrain_dma_dir_t pulptrain_pi_dir(pi_cl_dma_dir_e dir) {
  return dir == PI_CL_DMA_DIR_EXT2LOC ? PULPTRAIN_DMA_L2_TO_L1
                                      : PULPTRAIN_DMA_L1_TO_L2;
}

/// Enqueue a 1-D copy of `size` bytes; wait with pi_cl_dma_cmd_wait(cmd).
static inline void pi_cl_dma_cmd(uint32_t ext, uint32_t loc, uint32_t size,
                                 pi_cl_dma_dir_e dir, pi_cl_dma_cmd_t *cmd) {
  cmd->id = (int)pulptrain_dma_copy((void *)(uintptr_t)ext,
                                    (void *)(uintptr_t)loc, size,
                                    pulptrain_pi_dir(dir));
}

/// Enqueue a 2-D copy: rows of `length` bytes, `stride` bytes apart in L2,
/// contiguous in L1, `size` bytes in total.
static inline void pi_cl_dma_cmd_2d(uint32_t ext, uint32_t loc, uint32_t size,
                                    uint32_t stride, uint32_t length,
                                    pi_cl_dma_dir_e dir,
                                    pi_cl_dma_cmd_t *cmd) {
  cmd->id = (int)pulptrain_dma_copy_2d((void *)(uintptr_t)ext,
                                       (void *)(uintptr_t)loc, size, stride,
                                       length, pulptrain_pi_dir(dir));
}

/// Wait for a command of pi_cl_dma_cmd / pi_cl_dma_cmd_2d.
static inline void pi_cl_dma_cmd_wait(pi_cl_dma_cmd_t *cmd) {
  pulptrain_dma_wait((pulptrain_dma_t)cmd->id);
}

/// Enqueue the 1-D copy described by `copy`.
static inline void pi_cl_dma_memcpy(pi_cl_dma_copy_t *copy) {
  copy->id = pulptrain_dma_copy((void *)(uintptr_t)copy->ext,
                                (void *)(uintptr_t)copy->loc, copy->size,
                                pulptrain_pi_dir(copy->dir));
}

/// Enqueue the 2-D copy described by `copy` (stride and length).
static inline void pi_cl_dma_memcpy_2d(pi_cl_dma_copy_2d_t *copy) {
  copy->id = pulptrain_dma_copy_2d(
      (void *)(uintptr_t)copy->ext, (void *)(uintptr_t)copy->loc, copy->size,
      copy->stride, copy->length, pulptrain_pi_dir(copy->dir));
}

/// Wait for a copy of pi_cl_dma_memcpy[_2d] (or a pi_cl_dma_cmd_t).
static inline void pi_cl_dma_wait(void *copy) {
  pulptrain_dma_wait(((pi_cl_dma_copy_t *)copy)->id);
}

/// Wait for every transfer enqueued so far.
static inline void pi_cl_dma_flush(void) { pulptrain_dma_wait_all(); }

/*--- Memory ------------------------------------------------------------------*/

static inline void *pi_l1_malloc(void *device, uint32_t size) {
  (void)device;
  return pulptrain_l1_malloc(size);
}
static inline void pi_l1_free(void *device, void *chunk, uint32_t size) {
  (void)device;
  pulptrain_l1_free(chunk, size);
}
static inline void *pi_l2_malloc(uint32_t size) {
  return pulptrain_l2_malloc(size);
}
static inline void pi_l2_free(void *chunk, uint32_t size) {
  pulptrain_l2_free(chunk, size);
}
static inline void *pi_cl_l1_malloc(void *device, uint32_t size) {
  return pi_l1_malloc(device, size);
}
static inline void pi_cl_l1_free(void *device, void *chunk, uint32_t size) {
  pi_l1_free(device, chunk, size);
}
static inline void *pmsis_l1_malloc(uint32_t size) {
  return pulptrain_l1_malloc(size);
}
static inline void pmsis_l1_malloc_free(void *chunk, uint32_t size) {
  pulptrain_l1_free(chunk, size);
}
static inline void *pmsis_l2_malloc(uint32_t size) {
  return pulptrain_l2_malloc(size);
}
static inline void pmsis_l2_malloc_free(void *chunk, uint32_t size) {
  pulptrain_l2_free(chunk, size);
}

/*--- Performance counters -------------------------------------------------------*/

/// Events (numbering of the PULP SDK).
typedef enum {
  PI_PERF_ACTIVE_CYCLES = 0, ///< cycles not asleep
  PI_PERF_INSTR = 1,         ///< instructions
  PI_PERF_LD_STALL = 2,      ///< load-use stall cycles
  PI_PERF_JR_STALL = 3,      ///< jump/branch stall cycles
  PI_PERF_IMISS = 4,         ///< instruction cache misses (always 0)
  PI_PERF_LD = 5,            ///< loads
  PI_PERF_ST = 6,            ///< stores
  PI_PERF_JUMP = 7,          ///< (not counted: 0)
  PI_PERF_BRANCH = 8,        ///< (not counted: 0)
  PI_PERF_BTAKEN = 9,        ///< (not counted: 0)
  PI_PERF_RVC = 10,          ///< (not counted: 0)
  PI_PERF_LD_EXT = 11,       ///< loads and stores to L2
  PI_PERF_ST_EXT = 12,       ///< (included in PI_PERF_LD_EXT: 0)
  PI_PERF_LD_EXT_CYC = 13,   ///< (not counted: 0)
  PI_PERF_ST_EXT_CYC = 14,   ///< (not counted: 0)
  PI_PERF_TCDM_CONT = 15,    ///< TCDM contention stall cycles
  PI_PERF_CYCLES = 17,       ///< all cycles while counting
} pi_perf_event_e;

/// Select events: ignored, every counter always counts.
static inline void pi_perf_conf(unsigned events) { (void)events; }
static inline void pi_perf_reset(void) { pulptrain_perf_reset(); }
static inline void pi_perf_start(void) { pulptrain_perf_start(); }
static inline void pi_perf_stop(void) { pulptrain_perf_stop(); }

/// Value of PMSIS event `id` on the calling core.
static inline unsigned int pi_perf_read(int id) {
  switch (id) {
  case PI_PERF_CYCLES:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES);
  case PI_PERF_ACTIVE_CYCLES:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES) -
           pulptrain_perf_read(PULPTRAIN_PERF_EV_SLEEP);
  case PI_PERF_INSTR:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_INSTR);
  case PI_PERF_LD_STALL:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_LD_STALL);
  case PI_PERF_JR_STALL:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_BRANCH_STALL);
  case PI_PERF_LD:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_LOADS);
  case PI_PERF_ST:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_STORES);
  case PI_PERF_LD_EXT:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_L2_ACCESS);
  case PI_PERF_TCDM_CONT:
    return pulptrain_perf_read(PULPTRAIN_PERF_EV_TCDM_CONT);
  default:
    return 0;
  }
}

/* The cluster-wide variants used by some SDK tests: per core here. */
#define pi_perf_cl_reset() pi_perf_reset()
#define pi_perf_cl_start() pi_perf_start()
#define pi_perf_cl_stop() pi_perf_stop()
#define pi_perf_cl_read(id) pi_perf_read(id)

/*--- Cluster device: main already runs on the cluster --------------------------*/

struct pi_device {
  void *config;
  void *data;
};

struct pi_cluster_conf {
  int id;
};

struct pi_cluster_task {
  void (*entry)(void *);
  void *arg;
  void *stacks;
  uint32_t stack_size;
  uint32_t slave_stack_size;
  int nb_cores;
};

static inline void pi_cluster_conf_init(struct pi_cluster_conf *conf) {
  conf->id = 0;
}
static inline void pi_open_from_conf(struct pi_device *dev, void *conf) {
  dev->config = conf;
  dev->data = 0;
}
/// Opening the cluster always succeeds (returns 0).
static inline int pi_cluster_open(struct pi_device *dev) {
  (void)dev;
  return 0;
}
static inline int pi_cluster_close(struct pi_device *dev) {
  (void)dev;
  return 0;
}
static inline struct pi_cluster_task *
pi_cluster_task(struct pi_cluster_task *task, void (*entry)(void *),
                void *arg) {
  task->entry = entry;
  task->arg = arg;
  task->stacks = 0;
  task->stack_size = 0;
  task->slave_stack_size = 0;
  task->nb_cores = 0;
  return task;
}
/// Run the task's entry on core 0 (the "cluster controller"); it usually
/// forks the team itself with pi_cl_team_fork.
static inline int pi_cluster_send_task_to_cl(struct pi_device *dev,
                                             struct pi_cluster_task *task) {
  (void)dev;
  task->entry(task->arg);
  return 0;
}
#define pi_cluster_send_task(dev, task) pi_cluster_send_task_to_cl(dev, task)

/*--- Misc ---------------------------------------------------------------------*/

/// End the program with `code`.
static inline void pmsis_exit(int code) { pulptrain_exit(code); }

/// PMSIS programs may start from pmsis_kickoff(main_fn): run it, exit with
/// its result.
static inline int pmsis_kickoff(void *entry) {
  int (*fn)(void) = (int (*)(void))entry;
  pulptrain_exit(fn());
  return 0;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PULPTRAIN_PMSIS_H */
