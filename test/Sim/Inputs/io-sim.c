/* Character output of the ISA tests on pulptrain-sim: the PUTC register. */
void test_putc(char c) { *(volatile unsigned *)0x1A10F000u = (unsigned char)c; }
