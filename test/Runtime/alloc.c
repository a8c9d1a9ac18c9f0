// L1 and L2 heaps: alignment, placement in the right memory, exhaustion
// returning NULL, freeing and coalescing back to the initial free space,
// and malloc/calloc/realloc on top of the L2 heap.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s --check-prefixes=CHECK,L128
// RUN: pulptrain-sim --quiet --cores 4 --l1-size 64K %t.elf | FileCheck %s --check-prefixes=CHECK,L64
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: %t.host | FileCheck %s --check-prefixes=CHECK,L128

#include <pulptrain/platform.h>
#include <pulptrain_rt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int in(const void *p, uintptr_t lo, uintptr_t size) {
  return (uintptr_t)p >= lo && (uintptr_t)p < lo + size;
}

int main(void) {
  int errors = 0;
  printf("l1 size %u\n", (unsigned)pulptrain_l1_size());
  size_t l1_free0 = pulptrain_l1_free_bytes();
  size_t l2_free0 = pulptrain_l2_free_bytes();
  /* The L1 heap is what is left of L1 below the core stacks. */
  size_t l1_limit = pulptrain_l1_size() - pulptrain_num_cores() * PULPTRAIN_STACK_SIZE;
  printf("l1 heap within limit: %d\n", l1_free0 > 0 && l1_free0 <= l1_limit);
  printf("l2 heap within limit: %d\n", l2_free0 > 0 && l2_free0 < pulptrain_l2_size());

  void *p[40];
  for (int i = 0; i < 40; i++) {
    p[i] = pulptrain_l1_malloc(1 + 37 * i);
    if (!p[i] || ((uintptr_t)p[i] & 7))
      errors++;
    memset(p[i], i, 1 + 37 * i);
  }
  for (int i = 0; i < 40; i++) { /* blocks do not overlap */
    const unsigned char *c = p[i];
    for (int k = 0; k < 1 + 37 * i; k++)
      errors += c[k] != i;
  }
#ifdef __PULPTRAIN_SIM__
  for (int i = 0; i < 40; i++)
    errors += !in(p[i], PULPTRAIN_L1_BASE, pulptrain_l1_size());
#endif
  printf("l1 alloc: errors=%d\n", errors);
  for (int i = 0; i < 40; i += 2) /* free in a scattered order */
    pulptrain_l1_free(p[i], 1 + 37 * i);
  for (int i = 39; i > 0; i -= 2)
    pulptrain_l1_free(p[i], 1 + 37 * i);
  printf("l1 free restores: %d\n", pulptrain_l1_free_bytes() == l1_free0);

  /* Exhaustion: NULL, and everything comes back. */
  void *big = pulptrain_l1_malloc(l1_free0 + 8);
  printf("l1 too big: %s\n", big ? "non-null" : "null");
  void *all = pulptrain_l1_malloc(l1_free0);
  printf("l1 whole heap: %s, then empty: %d\n", all ? "ok" : "null",
         pulptrain_l1_malloc(8) == NULL);
  pulptrain_l1_free(all, l1_free0);
  printf("l1 free restores: %d\n", pulptrain_l1_free_bytes() == l1_free0);

  /* L2 and the C heap. */
  float *v = pulptrain_l2_malloc(1000 * sizeof(float));
  int *c = calloc(100, sizeof(int));
  int e2 = !v || !c;
#ifdef __PULPTRAIN_SIM__
  e2 += !in(v, PULPTRAIN_L2_BASE, pulptrain_l2_size());
  e2 += !in(c, PULPTRAIN_L2_BASE, pulptrain_l2_size());
#endif
  for (int i = 0; i < 100; i++)
    e2 += c[i] != 0;
  for (int i = 0; i < 100; i++)
    c[i] = i * i;
  c = realloc(c, 5000 * sizeof(int));
  for (int i = 0; i < 100; i++)
    e2 += c[i] != i * i;
  free(c);
  pulptrain_l2_free(v, 1000 * sizeof(float));
  printf("l2 alloc: errors=%d\n", e2);
  return errors + e2;
}

// L128: l1 size 131072
// L64: l1 size 65536
// CHECK-NEXT: l1 heap within limit: 1
// CHECK-NEXT: l2 heap within limit: 1
// CHECK-NEXT: l1 alloc: errors=0
// CHECK-NEXT: l1 free restores: 1
// CHECK-NEXT: l1 too big: null
// CHECK-NEXT: l1 whole heap: ok, then empty: 1
// CHECK-NEXT: l1 free restores: 1
// CHECK-NEXT: l2 alloc: errors=0
