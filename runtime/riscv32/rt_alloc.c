/*===- rt_alloc.c - L1 and L2 heaps of the bare-metal runtime -------------===*
 *
 * One rt_heap.h instance over the L1 heap and one over the L2 heap (bounds
 * from the backend); the C heap (malloc) is the L2 heap. The cores have no
 * atomics, so callers serialize (see pulptrain_rt.h).
 *===----------------------------------------------------------------------===*/

#include "pulptrain_rt.h"
#include "rt_internal.h"

#include "rt_heap.h"

static heap_t l1_heap, l2_heap;

static void pt_heap_error(void *p) {
  pulptrain_printf("pulptrain runtime: free of an invalid pointer %p\n", p);
  pulptrain_exit(134);
}

static heap_t *l1(void) {
  if (!l1_heap.ready) {
    uintptr_t lo, hi;
    pt_backend_l1_heap(&lo, &hi);
    heap_init(&l1_heap, lo, hi);
  }
  return &l1_heap;
}

static heap_t *l2(void) {
  if (!l2_heap.ready) {
    uintptr_t lo, hi;
    pt_backend_l2_heap(&lo, &hi);
    heap_init(&l2_heap, lo, hi);
  }
  return &l2_heap;
}

void *pulptrain_l1_malloc(size_t size) { return heap_alloc(l1(), size); }
void pulptrain_l1_free(void *ptr, size_t size) {
  (void)size;
  heap_free(l1(), ptr);
}
void *pulptrain_l2_malloc(size_t size) { return heap_alloc(l2(), size); }
void pulptrain_l2_free(void *ptr, size_t size) {
  (void)size;
  heap_free(l2(), ptr);
}

size_t pulptrain_l1_free_bytes(void) { return heap_free_bytes(l1()); }
size_t pulptrain_l2_free_bytes(void) { return heap_free_bytes(l2()); }

/*--- The C heap is the L2 heap -------------------------------------------*/

void *malloc(size_t size) { return heap_alloc(l2(), size); }
void free(void *p) { heap_free(l2(), p); }

void *calloc(size_t n, size_t size) {
  if (size && n > 0xFFFFFFFFu / size)
    return 0;
  char *p = malloc(n * size);
  if (p)
    for (size_t i = 0; i < n * size; i++)
      p[i] = 0;
  return p;
}

void *realloc(void *p, size_t size) {
  if (!p)
    return malloc(size);
  size_t old = heap_block_size(p);
  if (size <= old)
    return p;
  char *q = malloc(size);
  if (q) {
    for (size_t i = 0; i < old; i++)
      q[i] = ((char *)p)[i];
    free(p);
  }
  return q;
}
