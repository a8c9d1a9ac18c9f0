/*===- crt0.S - Start-up code of every core of the simulated cluster ------===*
 *
 * All cores start here. Each takes its stack at the top of L1
 * (core i: L1_BASE + l1_size - i * STACK_SIZE, pulptrain/platform.h). Core 0
 * clears .bss and .l1_bss, then runs constructors and main
 * (pt_start_main); the other cores wait for forked work (pt_worker_loop).
 *===----------------------------------------------------------------------===*/

#include "pulptrain/platform.h"

#if PULPTRAIN_STACK_SIZE != 2048
#error "crt0.S computes i * PULPTRAIN_STACK_SIZE as i << 11"
#endif

  .section .text.init, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la tp, __tls_base            /* one TLS block shared by all cores */
  csrr a0, mhartid
  li t0, PULPTRAIN_CLUSTER_L1_SIZE
  lw t1, 0(t0)
  li t2, PULPTRAIN_L1_BASE
  add t1, t1, t2
  slli t3, a0, 11
  sub sp, t1, t3
  bnez a0, 3f

  /* Core 0: clear .bss and .l1_bss (the other cores touch neither before
     they are dispatched). */
  la a1, __bss_start
  la a2, __bss_end
1:
  bgeu a1, a2, 2f
  sw zero, 0(a1)
  addi a1, a1, 4
  j 1b
2:
  la a1, __l1_bss_start
  la a2, __l1_bss_end
4:
  bgeu a1, a2, 5f
  sw zero, 0(a1)
  addi a1, a1, 4
  j 4b
5:
  call pt_start_main           /* does not return */
  j 5b

3:
  call pt_worker_loop          /* does not return */
  j 3b
  .size _start, . - _start
