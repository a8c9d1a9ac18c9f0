# test_putc for pulptrain-sim with the instruction count of io-diff-qemu.S.
  .text
  .globl test_putc
  .option norvc
test_putc:
  lui t0, 0x1A10F
  sw a0, 0(t0)             # PULPTRAIN_STDOUT_PUTC
  nop
  nop
  nop
  nop
  nop
  nop
  nop
  ret
