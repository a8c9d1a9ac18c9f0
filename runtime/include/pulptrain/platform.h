/*===- platform.h - Memory map and peripheral registers of the cluster ----===*
 *
 * The one description of the simulated PULP cluster's address space that the
 * simulator (runtime/sim) implements and the riscv32 runtime programs. Plain
 * C preprocessor definitions so that both C and C++ include it.
 *
 * Layout follows the PULP SDK: L1 TCDM at 0x10000000, cluster peripherals at
 * 0x10200000 (event unit, DMA) with a per-core "demux" view at 0x10204000,
 * L2 at 0x1C000000, SoC peripherals at 0x1A100000, and an external L3 (the
 * HyperRAM of PULP MCUs) at 0x80000000, reached only through the L3 DMA.
 *
 * All registers are 32-bit, accessed with lw/sw. Unless stated otherwise a
 * register access costs one cycle like a TCDM access and never contends.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_PLATFORM_H
#define PULPTRAIN_PLATFORM_H

/*--- Memories --------------------------------------------------------------*/

/// L1 tightly coupled data memory shared by the cluster cores. Word
/// interleaved over PULPTRAIN_L1_BANKS_PER_CORE * cores banks:
/// bank = (addr >> 2) % banks.
#define PULPTRAIN_L1_BASE 0x10000000u
#define PULPTRAIN_L1_DEFAULT_SIZE (128u * 1024u)
#define PULPTRAIN_L1_BANKS_PER_CORE 2u

/// L2: holds code, read-only data, data, bss, heap and the L2 arena. Access
/// latency is configurable in the simulator (default ~10 cycles).
#define PULPTRAIN_L2_BASE 0x1C000000u
#define PULPTRAIN_L2_DEFAULT_SIZE (1024u * 1024u)

/// Sizes are multiples of a word. L1 ends where the cluster peripherals
/// begin; L2 is at most what the simulator models.
#define PULPTRAIN_MEMORY_SIZE_ALIGN 4u
#define PULPTRAIN_L1_MAX_SIZE (PULPTRAIN_CLUSTER_PERIPH_BASE - PULPTRAIN_L1_BASE)
#define PULPTRAIN_L2_MAX_SIZE (64u * 1024u * 1024u)

/// L3: external memory (the HyperRAM / HyperFlash of PULP MCUs, behind the
/// SoC's micro-DMA). The cores cannot load or store it: a load or store to
/// the L3 range stops the simulation with an error, as on the chips, where
/// the cluster reaches L3 only through transfers into L2. The L3 DMA channel
/// (below) copies between L3 and L2. Size 0 (the default): no L3. The ELF
/// loader fills L3 from the program's `.l3` segment. The base is outside
/// every other range of this map (L2 ends by 0x20000000 at its largest).
#define PULPTRAIN_L3_BASE 0x80000000u
#define PULPTRAIN_L3_DEFAULT_SIZE 0u
#define PULPTRAIN_L3_MAX_SIZE (256u * 1024u * 1024u)

/// Per-core stacks live at the top of L1, PULPTRAIN_STACK_SIZE bytes each;
/// core i's stack ends at L1_BASE + l1_size - i * STACK_SIZE.
#define PULPTRAIN_STACK_SIZE 2048u

/// L1 bytes the cluster runtime keeps for itself (the fork descriptor, the
/// team size and the DMA's per-core last transfers: runtime/riscv32/
/// rt_cluster.c checks that they fit), which drivers leave out of the L1
/// they give the compiled step.
#define PULPTRAIN_RUNTIME_L1_SIZE 128u

/*--- Cluster control (shared view) -----------------------------------------*/

#define PULPTRAIN_CLUSTER_PERIPH_BASE 0x10200000u
/// RO: number of cores in the cluster (1..16).
#define PULPTRAIN_CLUSTER_NB_CORES (PULPTRAIN_CLUSTER_PERIPH_BASE + 0x000u)
/// RO: L1 size in bytes as configured in the simulator.
#define PULPTRAIN_CLUSTER_L1_SIZE (PULPTRAIN_CLUSTER_PERIPH_BASE + 0x004u)
/// RO: L2 size in bytes as configured in the simulator.
#define PULPTRAIN_CLUSTER_L2_SIZE (PULPTRAIN_CLUSTER_PERIPH_BASE + 0x008u)
/// RO: L3 size in bytes as configured in the simulator (0: no L3).
#define PULPTRAIN_CLUSTER_L3_SIZE (PULPTRAIN_CLUSTER_PERIPH_BASE + 0x00Cu)

/*--- Event unit, per-core demux view ----------------------------------------*
 * Every core sees its own copy of these registers at the same addresses.     *
 * The core id itself is read from the mhartid CSR (0..nb_cores-1).          */

#define PULPTRAIN_EU_DEMUX_BASE 0x10204000u

/// WO: set the number of cores taking part in the hardware barrier (the team
/// size, 1..nb_cores, cores 0..n-1). Reset value: nb_cores.
#define PULPTRAIN_EU_BARRIER_TEAM (PULPTRAIN_EU_DEMUX_BASE + 0x00u)
/// RO, blocking: the reading core arrives at the barrier and sleeps
/// (clock-gated, counts as barrier-wait cycles, not instructions) until all
/// team members have arrived; then all of them resume PULPTRAIN_EU_BARRIER_LATENCY
/// cycles later. Reads 0.
#define PULPTRAIN_EU_BARRIER_WAIT (PULPTRAIN_EU_DEMUX_BASE + 0x04u)
/// WO: send a dispatch event carrying the written value to every core whose
/// bit is set in PULPTRAIN_EU_DISPATCH_MASK. Write the mask first, then the value.
#define PULPTRAIN_EU_DISPATCH_MASK (PULPTRAIN_EU_DEMUX_BASE + 0x08u)
#define PULPTRAIN_EU_DISPATCH_PUSH (PULPTRAIN_EU_DEMUX_BASE + 0x0Cu)
/// RO, blocking: sleep until a dispatch value is pending for this core, pop
/// it and return it (FIFO per core, depth >= 4).
#define PULPTRAIN_EU_DISPATCH_POP (PULPTRAIN_EU_DEMUX_BASE + 0x10u)

/*--- Performance counters, per-core demux view ------------------------------*/

/// WO: 1 = start counting, 0 = stop, 2 = reset all of this core's counters
/// to 0 (counting state unchanged).
#define PULPTRAIN_PERF_CTRL (PULPTRAIN_EU_DEMUX_BASE + 0x40u)
/// RO: counter i of this core at PULPTRAIN_PERF_COUNTER(i).
#define PULPTRAIN_PERF_COUNTER(i) (PULPTRAIN_EU_DEMUX_BASE + 0x80u + 4u * (i))
#define PULPTRAIN_PERF_CYCLES 0         /* cycles while counting, incl. stalls */
#define PULPTRAIN_PERF_INSTR 1          /* retired instructions               */
#define PULPTRAIN_PERF_LD_STALL 2       /* load-use stall cycles              */
#define PULPTRAIN_PERF_TCDM_CONT 3      /* TCDM bank-contention stall cycles  */
#define PULPTRAIN_PERF_BRANCH_STALL 4   /* taken-branch and jump stall cycles */
#define PULPTRAIN_PERF_L2_ACCESS 5      /* loads/stores that went to L2       */
#define PULPTRAIN_PERF_FP_OPS 6         /* FP arithmetic instructions         */
#define PULPTRAIN_PERF_MACS 7           /* multiply-accumulates (fma: 1, SIMD */
                                        /* fma/dotp: 2, cv.mac: 1)            */
#define PULPTRAIN_PERF_SLEEP 8          /* cycles asleep in barrier/dispatch  */
#define PULPTRAIN_PERF_LOADS 9          /* load instructions                  */
#define PULPTRAIN_PERF_STORES 10        /* store instructions                 */
#define PULPTRAIN_PERF_ICACHE_MISS 11   /* L0 instruction-cache misses (0     */
                                        /* with a perfect cache)              */
#define PULPTRAIN_PERF_FPU_CONT 12      /* cycles an FP instruction waited    */
                                        /* for its (shared) FPU or divider    */
#define PULPTRAIN_PERF_NUM_COUNTERS 13

/*--- DMA: one engine, per-core command registers (demux view) --------------*
 * A core programs a transfer into its own command registers, then reads PUSH *
 * to enqueue it. Transfers of all cores share one FIFO queue and the engine  *
 * moves PULPTRAIN_DMA_DEFAULT_BYTES_PER_CYCLE bytes per cycle, in order.     */

#define PULPTRAIN_DMA_DEMUX_BASE 0x10204400u
/// WO: L2 (external) address of the transfer.
#define PULPTRAIN_DMA_EXT_ADDR (PULPTRAIN_DMA_DEMUX_BASE + 0x00u)
/// WO: L1 (local) address of the transfer.
#define PULPTRAIN_DMA_LOC_ADDR (PULPTRAIN_DMA_DEMUX_BASE + 0x04u)
/// WO: total number of bytes.
#define PULPTRAIN_DMA_SIZE (PULPTRAIN_DMA_DEMUX_BASE + 0x08u)
/// WO: direction: PULPTRAIN_DMA_DIR_EXT2LOC (L2 -> L1) or _LOC2EXT.
#define PULPTRAIN_DMA_DIR (PULPTRAIN_DMA_DEMUX_BASE + 0x0Cu)
#define PULPTRAIN_DMA_DIR_EXT2LOC 0u
#define PULPTRAIN_DMA_DIR_LOC2EXT 1u
/// WO: 2-D transfers: bytes between the starts of two rows on the L2 side.
#define PULPTRAIN_DMA_EXT_STRIDE (PULPTRAIN_DMA_DEMUX_BASE + 0x10u)
/// WO: 2-D transfers: bytes per row; 0 means a 1-D transfer. The L1 side is
/// always contiguous. SIZE must be a multiple of ROW_LEN.
#define PULPTRAIN_DMA_ROW_LEN (PULPTRAIN_DMA_DEMUX_BASE + 0x14u)
/// RO: enqueue the programmed transfer and return its id (a counter that
/// increases by one per transfer, shared by all cores). Command registers
/// keep their values. A malformed transfer (unmapped range, size 0 or not a
/// multiple of ROW_LEN) stops the simulation with an error.
#define PULPTRAIN_DMA_PUSH (PULPTRAIN_DMA_DEMUX_BASE + 0x18u)
/// RO: number of transfers completed so far (transfer id t is done when
/// DONE > t).
#define PULPTRAIN_DMA_DONE (PULPTRAIN_DMA_DEMUX_BASE + 0x1Cu)
/// WO: id of a transfer to wait for, then read PULPTRAIN_DMA_WAIT.
#define PULPTRAIN_DMA_WAIT_ID (PULPTRAIN_DMA_DEMUX_BASE + 0x20u)
/// RO, blocking: sleep until transfer WAIT_ID is complete; reads 0.
#define PULPTRAIN_DMA_WAIT (PULPTRAIN_DMA_DEMUX_BASE + 0x24u)

#define PULPTRAIN_DMA_DEFAULT_BYTES_PER_CYCLE 8u

/*--- L3 DMA: one channel between L3 and L2 (demux view) ---------------------*
 * Models the SoC's micro-DMA channel of the HyperBus interface: transfers    *
 * of all cores share one FIFO queue; each costs a fixed latency (command,    *
 * HyperRAM access, end-of-transfer event) and then moves                     *
 * PULPTRAIN_L3DMA_DEFAULT_BYTES_PER_CYCLE bytes per cycle. 1-D only; one     *
 * side in L3, the other in L2. Same protocol as the cluster DMA: program the *
 * registers, read PUSH for an id, wait with WAIT_ID + WAIT.                  */

#define PULPTRAIN_L3DMA_DEMUX_BASE 0x10204500u
/// WO: L3 address of the transfer.
#define PULPTRAIN_L3DMA_L3_ADDR (PULPTRAIN_L3DMA_DEMUX_BASE + 0x00u)
/// WO: L2 address of the transfer.
#define PULPTRAIN_L3DMA_L2_ADDR (PULPTRAIN_L3DMA_DEMUX_BASE + 0x04u)
/// WO: number of bytes.
#define PULPTRAIN_L3DMA_SIZE (PULPTRAIN_L3DMA_DEMUX_BASE + 0x08u)
/// WO: direction: PULPTRAIN_L3DMA_DIR_L3TOL2 or _L2TOL3.
#define PULPTRAIN_L3DMA_DIR (PULPTRAIN_L3DMA_DEMUX_BASE + 0x0Cu)
#define PULPTRAIN_L3DMA_DIR_L3TOL2 0u
#define PULPTRAIN_L3DMA_DIR_L2TOL3 1u
/// RO: enqueue the programmed transfer and return its id (shared counter).
/// A malformed transfer (size 0, a side outside L3 or L2, an L2 side in
/// code) stops the simulation with an error.
#define PULPTRAIN_L3DMA_PUSH (PULPTRAIN_L3DMA_DEMUX_BASE + 0x10u)
/// RO: number of L3 transfers completed so far.
#define PULPTRAIN_L3DMA_DONE (PULPTRAIN_L3DMA_DEMUX_BASE + 0x14u)
/// WO: id of an L3 transfer to wait for, then read PULPTRAIN_L3DMA_WAIT.
#define PULPTRAIN_L3DMA_WAIT_ID (PULPTRAIN_L3DMA_DEMUX_BASE + 0x18u)
/// RO, blocking: sleep until L3 transfer WAIT_ID is complete; reads 0.
#define PULPTRAIN_L3DMA_WAIT (PULPTRAIN_L3DMA_DEMUX_BASE + 0x1Cu)

/// Defaults of the channel's timing (runtime/sim/README.md gives the
/// sources): a HyperRAM of 333 MB/s peak against a cluster of a few hundred
/// MHz moves about one byte per cluster cycle, and a transfer's latency
/// (the request through the SoC, the device's access time, the end event)
/// is some hundreds of cycles.
#define PULPTRAIN_L3DMA_DEFAULT_BYTES_PER_CYCLE 1u
#define PULPTRAIN_L3DMA_DEFAULT_LATENCY 200u

/*--- SoC peripherals --------------------------------------------------------*/

#define PULPTRAIN_SOC_PERIPH_BASE 0x1A100000u
/// WO: write one byte (low 8 bits) to the simulator's standard output.
#define PULPTRAIN_STDOUT_PUTC (PULPTRAIN_SOC_PERIPH_BASE + 0xF000u)
/// WO: end the simulation; the written value is the exit code.
#define PULPTRAIN_EXIT (PULPTRAIN_SOC_PERIPH_BASE + 0xF004u)

#endif /* PULPTRAIN_PLATFORM_H */
