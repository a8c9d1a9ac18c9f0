/*===- rt_heap.h - First-fit free-list heap (header-only) -------*- C -*-===*
 *
 * The allocator behind the L1 and L2 heaps of every backend: first fit,
 * address-ordered free list with coalescing; blocks aligned to and headed
 * by a two-word header (8 bytes on rv32, 16 on 64-bit hosts). Not thread-safe: callers serialize.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_RT_HEAP_H
#define PULPTRAIN_RT_HEAP_H

#include <stddef.h>
#include <stdint.h>

#define PT_HEAP_ALLOCATED ((struct blk *)(uintptr_t)0x5A11C0DEu)

typedef struct blk {
  size_t size;      /* bytes including this header */
  struct blk *next; /* next free block (free blocks only) */
} blk_t;

typedef struct {
  blk_t *free;
  int ready;
} heap_t;

static inline void heap_init(heap_t *h, uintptr_t lo, uintptr_t hi) {
  lo = (lo + 15u) & ~(uintptr_t)15u;
  hi &= ~(uintptr_t)(sizeof(blk_t) - 1);
  h->ready = 1;
  h->free = 0;
  if (hi <= lo + 2 * sizeof(blk_t))
    return;
  h->free = (blk_t *)lo;
  h->free->size = hi - lo;
  h->free->next = 0;
}

static inline void *heap_alloc(heap_t *h, size_t size) {
  if (size > 0x7FFFFFF0u)
    return 0;
  size_t need = ((size + sizeof(blk_t) - 1) & ~(sizeof(blk_t) - 1)) +
                sizeof(blk_t);
  blk_t **link = &h->free;
  for (blk_t *b = h->free; b; link = &b->next, b = b->next) {
    if (b->size < need)
      continue;
    if (b->size - need >= 2 * sizeof(blk_t)) { /* split, keep the tail free */
      blk_t *rest = (blk_t *)((char *)b + need);
      rest->size = b->size - need;
      rest->next = b->next;
      *link = rest;
      b->size = need;
    } else {
      *link = b->next;
    }
    b->next = PT_HEAP_ALLOCATED; /* marks an allocated block */
    return b + 1;
  }
  return 0;
}

static void pt_heap_error(void *p);

static inline void heap_free(heap_t *h, void *p) {
  if (!p)
    return;
  blk_t *b = (blk_t *)p - 1;
  if (b->next != PT_HEAP_ALLOCATED) {
    pt_heap_error(p);
    return;
  }
  blk_t *prev = 0, *cur = h->free;
  while (cur && cur < b) {
    prev = cur;
    cur = cur->next;
  }
  b->next = cur;
  if (cur && (char *)b + b->size == (char *)cur) { /* merge with next */
    b->size += cur->size;
    b->next = cur->next;
  }
  if (prev && (char *)prev + prev->size == (char *)b) { /* merge with prev */
    prev->size += b->size;
    prev->next = b->next;
  } else if (prev) {
    prev->next = b;
  } else {
    h->free = b;
  }
}


static inline size_t heap_free_bytes(heap_t *h) {
  size_t n = 0;
  for (blk_t *b = h->free; b; b = b->next)
    n += b->size - sizeof(blk_t);
  return n;
}

/// Usable size of an allocated block.
static inline size_t heap_block_size(void *p) {
  return ((blk_t *)p - 1)->size - sizeof(blk_t);
}

#endif /* PULPTRAIN_RT_HEAP_H */
