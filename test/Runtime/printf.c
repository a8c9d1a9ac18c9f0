// The runtime's printf: integer and string conversions with flags, width and
// precision, and exactly rounded %f/%e/%g (the same digits as glibc, also on
// ties and for large and tiny values), on every backend.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 2 %t.elf | FileCheck %s
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: env PULPTRAIN_CORES=2 %t.host | FileCheck %s

#include <pulptrain_rt.h>
#include <stdint.h>
#include <stdio.h>

static void core_print(void *arg) {
  (void)arg;
  /* Every core prints one whole line, one after the other. */
  for (unsigned c = 0; c < pulptrain_team_size(); c++) {
    if (pulptrain_core_id() == c)
      pulptrain_printf("core %u of %u\n", c, pulptrain_team_size());
    pulptrain_barrier();
  }
}

int main(void) {
  printf("[%d|%5d|%-5d|%05d|%+d|% d|%.3d|%i]\n", -42, 42, 42, -42, 7, 7, 5, 0);
  printf("[%u|%x|%X|%#x|%08x|%o|%#o]\n", 4294967295u, 0xbeefu, 0xbeefu, 255u,
         0xabcu, 8u, 8u);
  printf("[%lld|%llu|%llx|%hd|%hhu|%ld|%zu]\n", -9007199254740993LL,
         18446744073709551615ULL, 0x123456789abcdefULL, (short)-3,
         (unsigned char)300, -100000L, (size_t)12345);
  printf("[%s|%8s|%-8s|%.3s|%c|%%]\n", "abc", "right", "left", "truncate", 'Z');
  printf("[%f|%.0f|%.1f|%.2f|%.3f]\n", 3.14159265358979, 2.5, 0.25, 1.005, -0.0005);
  printf("[%.0f|%.0f|%.0f|%.1f|%.1f]\n", 0.5, 1.5, 3.5, 0.05, 0.15);
  printf("[%e|%.2e|%E|%.0e]\n", 123456.789, 0.000123456, 1e-300, 5e10);
  printf("[%g|%g|%g|%g|%.3g|%#g]\n", 100000.0, 1000000.0, 0.0001, 0.00001,
         3.14159, 1.5);
  printf("[%10.4f|%-10.2f|%+.1f|%010.3f]\n", 3.14159, 2.5, 1.0, -1.5);
  printf("[%f|%f|%f|%e]\n", 1.0 / 0.0, -1.0 / 0.0, 0.0 / 0.0 * 0.0, 0.0);
  printf("[%.20f|%.17g]\n", 0.1, 0.1);
  printf("[%f|%.3e]\n", 1e22, 1.7976931348623157e308);
  printf("[%.10e|%g]\n", 4.9406564584124654e-324, 2.2250738585072014e-308);
  float f = 1.1f;
  printf("[%.9f|%.8e]\n", f, f * 3);
  char buf[32];
  int n = snprintf(buf, sizeof buf, "%d-%s-%.2f", 12, "ab", 0.125);
  printf("[%s|%d]\n", buf, n);
  n = snprintf(buf, 5, "%d", 123456789);
  printf("[%s|%d]\n", buf, n);
  puts("puts line");
  putchar('!');
  putchar('\n');
  fprintf(stderr, "to stderr %d\n", 1);
  pulptrain_fork(0, core_print, 0);
  return 0;
}

// CHECK: [-42|   42|42   |-0042|+7| 7|005|0]
// CHECK-NEXT: [4294967295|beef|BEEF|0xff|00000abc|10|010]
// CHECK-NEXT: [-9007199254740993|18446744073709551615|123456789abcdef|-3|44|-100000|12345]
// CHECK-NEXT: [abc|   right|left    |tru|Z|%]
// CHECK-NEXT: [3.141593|2|0.2|1.00|-0.001]
// CHECK-NEXT: [0|2|4|0.1|0.1]
// CHECK-NEXT: [1.234568e+05|1.23e-04|1.000000E-300|5e+10]
// CHECK-NEXT: [100000|1e+06|0.0001|1e-05|3.14|1.50000]
// CHECK-NEXT: [    3.1416|2.50      |+1.0|-00001.500]
// CHECK-NEXT: [inf|-inf|{{-?}}nan|0.000000e+00]
// CHECK-NEXT: [0.10000000000000000555|0.10000000000000001]
// CHECK-NEXT: [10000000000000000000000.000000|1.798e+308]
// CHECK-NEXT: [4.9406564584e-324|2.22507e-308]
// CHECK-NEXT: [1.100000024|3.30000019e+00]
// CHECK-NEXT: [12-ab-0.12|10]
// CHECK-NEXT: [1234|9]
// CHECK-NEXT: puts line
// CHECK-NEXT: !
// CHECK: core 0 of 2
// CHECK-NEXT: core 1 of 2
