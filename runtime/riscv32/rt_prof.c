/*===- rt_prof.c - Per-region performance counters -----------------------===*
 *
 * Implements pulptrain/prof.h over pulptrain_perf_read(): portable across
 * the riscv32, qemu and host backends.
 *===----------------------------------------------------------------------===*/

#include "pulptrain/prof.h"
#include "pulptrain_rt.h"

#define MAX_CORES 16u

static pulptrain_prof_region_t *prof_regions;
static unsigned prof_num_regions;
static unsigned prof_mode;

/* Per-core snapshots of the all-cores mode. */
static volatile uint32_t prof_snap[MAX_CORES][PULPTRAIN_PROF_NUM_COUNTERS];

/* The counters other than cycles and instructions, in any order. */
static void read_slow(volatile uint32_t *out) {
  out[PULPTRAIN_PROF_LD_STALL] =
      pulptrain_perf_read(PULPTRAIN_PERF_EV_LD_STALL);
  out[PULPTRAIN_PROF_TCDM_CONT] =
      pulptrain_perf_read(PULPTRAIN_PERF_EV_TCDM_CONT);
  out[PULPTRAIN_PROF_L2_ACCESS] =
      pulptrain_perf_read(PULPTRAIN_PERF_EV_L2_ACCESS);
  out[PULPTRAIN_PROF_MACS] = pulptrain_perf_read(PULPTRAIN_PERF_EV_MACS);
}

static void snap_team_member(void *arg) {
  (void)arg;
  unsigned id = pulptrain_core_id();
  if (id < MAX_CORES) {
    read_slow(prof_snap[id]);
    prof_snap[id][PULPTRAIN_PROF_INSTR] =
        pulptrain_perf_read(PULPTRAIN_PERF_EV_INSTR);
  }
}

static void start_team_member(void *arg) {
  (void)arg;
  pulptrain_perf_reset();
  pulptrain_perf_start();
}

/* Everything but the cycles: core 0's counters, or the sums over all cores.
   In the core-0 mode the instructions are read last (`instr_last`, at an
   enter) or first (at an exit), next to the cycles, so that little of the
   bookkeeping counts as part of a region. */
static void read_counters(uint32_t *out, int instr_last) {
  if (prof_mode == PULPTRAIN_PROF_ALL_CORES) {
    pulptrain_fork(0, snap_team_member, 0);
    unsigned n = pulptrain_num_cores();
    if (n > MAX_CORES)
      n = MAX_CORES;
    for (unsigned i = 1; i < PULPTRAIN_PROF_NUM_COUNTERS; i++) {
      uint32_t sum = 0;
      for (unsigned c = 0; c < n; c++)
        sum += prof_snap[c][i];
      out[i] = sum;
    }
    return;
  }
  if (!instr_last)
    out[PULPTRAIN_PROF_INSTR] = pulptrain_perf_read(PULPTRAIN_PERF_EV_INSTR);
  read_slow(out);
  if (instr_last)
    out[PULPTRAIN_PROF_INSTR] = pulptrain_perf_read(PULPTRAIN_PERF_EV_INSTR);
}

void pulptrain_prof_init(pulptrain_prof_region_t *regions, unsigned n,
                         unsigned mode) {
  prof_regions = regions;
  prof_num_regions = regions ? n : 0;
  prof_mode = mode;
  pulptrain_prof_clear();
  if (mode == PULPTRAIN_PROF_ALL_CORES)
    pulptrain_fork(0, start_team_member, 0);
  else
    start_team_member(0);
}

void pulptrain_prof_enter(uint32_t id) {
  if (id >= prof_num_regions)
    return;
  pulptrain_prof_region_t *r = &prof_regions[id];
  read_counters(r->start, 1);
  /* Last: the region starts here. */
  r->start[PULPTRAIN_PROF_CYCLES] =
      pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES);
}

void pulptrain_prof_exit(uint32_t id) {
  /* First, before touching any state in L2: the region ends here. */
  uint32_t now[PULPTRAIN_PROF_NUM_COUNTERS];
  now[PULPTRAIN_PROF_CYCLES] = pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES);
  if (id >= prof_num_regions)
    return;
  read_counters(now, 0);
  pulptrain_prof_region_t *r = &prof_regions[id];
  /* Unsigned differences are right across one wrap of a 32-bit counter. */
  for (unsigned i = 0; i < PULPTRAIN_PROF_NUM_COUNTERS; i++)
    r->total[i] += (uint32_t)(now[i] - r->start[i]);
  r->calls++;
}

void pulptrain_prof_clear(void) {
  for (unsigned id = 0; id < prof_num_regions; id++) {
    pulptrain_prof_region_t *r = &prof_regions[id];
    for (unsigned i = 0; i < PULPTRAIN_PROF_NUM_COUNTERS; i++)
      r->total[i] = 0;
    r->calls = 0;
  }
}

void pulptrain_prof_print(unsigned step) {
  for (unsigned id = 0; id < prof_num_regions; id++) {
    const pulptrain_prof_region_t *r = &prof_regions[id];
    pulptrain_printf("pulptrain-prof %u %u %u", step, id, (unsigned)r->calls);
    for (unsigned i = 0; i < PULPTRAIN_PROF_NUM_COUNTERS; i++)
      pulptrain_printf(" %llu", (unsigned long long)r->total[i]);
    pulptrain_printf("\n");
  }
}

/* The counter names, for the bare-metal and the host runtime alike. */
const char *pulptrain_perf_name(pulptrain_perf_event_t ev) {
  static const char *const names[PULPTRAIN_PERF_EV_COUNT] = {
      "cycles", "instr",    "ld_stall", "tcdm_cont", "branch_stall", "l2_access",
      "fp_ops", "macs", "sleep", "loads", "stores", "icache_miss", "fpu_cont"};
  return (unsigned)ev < PULPTRAIN_PERF_EV_COUNT ? names[ev] : "?";
}
