# test_putc for qemu-riscv32: write(1, &c, 1), as many instructions as
# io-diff-sim.S.
  .text
  .globl test_putc
  .option norvc
test_putc:
  addi sp, sp, -16
  sb a0, 0(sp)
  li a0, 1
  mv a1, sp
  li a2, 1
  li a7, 64
  ecall
  addi sp, sp, 16
  nop
  ret
