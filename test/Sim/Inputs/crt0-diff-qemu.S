# Start code of the QEMU differential tests on qemu-riscv32 (user mode):
# same instruction count as crt0-diff-sim.S (QEMU has set up the stack).
  .section .text.init
  .globl _start
  .option norvc
_start:
  nop
  li a0, 0
  call main
  li a7, 93                # exit(a0)
  ecall
