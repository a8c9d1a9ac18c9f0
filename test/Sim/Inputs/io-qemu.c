/* Character output of the ISA tests on qemu-riscv32: write(1, &c, 1). */
void test_putc(char c) {
  register long a0 __asm__("a0") = 1;
  register long a1 __asm__("a1") = (long)&c;
  register long a2 __asm__("a2") = 1;
  register long a7 __asm__("a7") = 64;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a1), "r"(a2), "r"(a7) : "memory");
}
