# Start code for qemu-riscv32 (Linux user mode): the stack is set up by
# QEMU; main(0) runs and its return value goes to the exit system call.
  .section .text.init
  .globl _start
_start:
  li a0, 0
  call main
  li a7, 93                # exit
  ecall
