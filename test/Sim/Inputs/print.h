/* Tiny formatted output for the simulator's ISA tests (no libc). */
#ifndef SIM_TEST_PRINT_H
#define SIM_TEST_PRINT_H
void test_putc(char c);
static inline void print_str(const char *s) {
  while (*s)
    test_putc(*s++);
}
static inline void print_hex(unsigned v) {
  for (int i = 28; i >= 0; i -= 4)
    test_putc("0123456789abcdef"[(v >> i) & 15]);
}
static inline void print_uint(unsigned v) {
  char buf[12];
  int n = 0;
  do {
    buf[n++] = (char)('0' + v % 10);
    v /= 10;
  } while (v);
  while (n)
    test_putc(buf[--n]);
}
static inline void print_int(int v) {
  if (v < 0) {
    test_putc('-');
    print_uint(0u - (unsigned)v);
  } else {
    print_uint((unsigned)v);
  }
}
static inline unsigned read_instret(void) {
  unsigned v;
  __asm__ volatile("csrr %0, instret" : "=r"(v));
  return v;
}
#endif
