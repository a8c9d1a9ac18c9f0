/*===- crt0.S - Start-up code for qemu-riscv32 user mode ------------------===*
 *
 * One core (hart) in Linux user mode: the kernel has set up the stack and
 * zeroed .bss. Set gp and tp, then run main through pt_start_main.
 *===----------------------------------------------------------------------===*/

  .section .text.init, "ax", @progbits
  .globl _start
  .type _start, @function
_start:
  .option push
  .option norelax
  la gp, __global_pointer$
  .option pop
  la tp, __tls_base
  andi sp, sp, -16
  call pt_start_main
1:
  j 1b
  .size _start, . - _start
