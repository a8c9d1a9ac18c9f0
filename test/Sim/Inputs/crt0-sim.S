# Minimal start code for pulptrain-sim: every core starts here. Core i's
# stack ends at L1_BASE + l1_size - i * 2048 (platform.h); the loader has
# zeroed .bss. main(core_id) runs on every core; core 0's return value is
# written to EXIT, the other cores then sleep on their dispatch FIFO.
  .section .text.init
  .globl _start
_start:
  csrr t0, mhartid
  li t1, 0x10200004        # PULPTRAIN_CLUSTER_L1_SIZE
  lw t1, 0(t1)
  li t2, 0x10000000
  add sp, t1, t2
  slli t3, t0, 11
  sub sp, sp, t3
  mv a0, t0
  call main
  csrr t0, mhartid
  bnez t0, 1f
  li t1, 0x1A10F004        # PULPTRAIN_EXIT
  sw a0, 0(t1)
1:
  li t1, 0x10204010        # PULPTRAIN_EU_DISPATCH_POP
  lw t2, 0(t1)
  j 1b
