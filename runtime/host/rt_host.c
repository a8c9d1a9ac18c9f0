/*===- rt_host.c - Host backend of the cluster runtime (POSIX threads) ----===*
 *
 * The pulptrain_rt.h API natively, so that cluster programs run on the
 * build machine for fast functional checks:
 *  - a team is a pool of threads (created on the first fork) plus the
 *    calling thread; barrier = a pthread barrier sized to the team;
 *  - DMA transfers are queued and performed with memcpy, in order, when
 *    they are waited for (so a missing wait shows up natively too);
 *  - L1 and L2 are arenas of PULPTRAIN_L1_SIZE / PULPTRAIN_L2_SIZE bytes
 *    (environment; defaults as the simulator) with the riscv32 allocator,
 *    mapped below 4 GiB so that PULP code that passes addresses as uint32_t
 *    keeps working (with the globals of a non-PIE executable);
 *  - CYCLES counts nanoseconds of CLOCK_MONOTONIC while counting, per thread;
 *    every other counter reads 0;
 *  - output is the C library's stdout.
 *===----------------------------------------------------------------------===*/

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include "pulptrain_rt.h"
#include "pulptrain/platform.h"

#include <pthread.h>
#include <stdio.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define MAX_CORES 16

static void die(const char *msg) {
  fprintf(stderr, "pulptrain host runtime: %s\n", msg);
  exit(125);
}

static unsigned env_uint(const char *name, unsigned dflt) {
  const char *v = getenv(name);
  if (!v || !*v)
    return dflt;
  char *end;
  unsigned long x = strtoul(v, &end, 0);
  if (*end == 'K' || *end == 'k')
    x *= 1024;
  else if (*end == 'M' || *end == 'm')
    x *= 1024 * 1024;
  return (unsigned)x;
}

/*--- Team --------------------------------------------------------------------*/

static __thread unsigned this_core;
static unsigned nb_cores;
static unsigned team_size = 1;

static pthread_mutex_t pool_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t pool_cv = PTHREAD_COND_INITIALIZER;
static pthread_barrier_t team_barrier;
static int barrier_size;
static unsigned long generation;
static pulptrain_team_fn_t job_fn;
static void *job_arg;
static int pool_started;

unsigned pulptrain_core_id(void) { return this_core; }

unsigned pulptrain_num_cores(void) {
  if (!nb_cores) {
    unsigned n = env_uint("PULPTRAIN_CORES", 8);
    nb_cores = n < 1 ? 1 : n > MAX_CORES ? MAX_CORES : n;
  }
  return nb_cores;
}

unsigned pulptrain_team_size(void) { return team_size; }

void pulptrain_barrier(void) {
  if (team_size > 1)
    pthread_barrier_wait(&team_barrier);
}

static void *worker_main(void *p) {
  this_core = (unsigned)(uintptr_t)p;
  unsigned long seen = 0;
  for (;;) {
    pthread_mutex_lock(&pool_mu);
    while (generation == seen)
      pthread_cond_wait(&pool_cv, &pool_mu);
    seen = generation;
    pulptrain_team_fn_t fn = job_fn;
    void *arg = job_arg;
    unsigned n = team_size;
    pthread_mutex_unlock(&pool_mu);
    if (this_core < n) {
      fn(arg);
      pthread_barrier_wait(&team_barrier); /* join */
    }
  }
  return NULL;
}

void pulptrain_fork(unsigned n, pulptrain_team_fn_t fn, void *arg) {
  unsigned nb = pulptrain_num_cores();
  if (n == 0 || n > nb)
    n = nb;
  if (n == 1) {
    fn(arg);
    return;
  }
  if (!pool_started) {
    pool_started = 1;
    for (unsigned i = 1; i < nb; i++) {
      pthread_t t;
      if (pthread_create(&t, NULL, worker_main, (void *)(uintptr_t)i))
        die("cannot create a worker thread");
      pthread_detach(t);
    }
  }
  pthread_mutex_lock(&pool_mu);
  if (barrier_size != (int)n) {
    if (barrier_size)
      pthread_barrier_destroy(&team_barrier);
    pthread_barrier_init(&team_barrier, NULL, n);
    barrier_size = (int)n;
  }
  job_fn = fn;
  job_arg = arg;
  team_size = n;
  generation++;
  pthread_cond_broadcast(&pool_cv);
  pthread_mutex_unlock(&pool_mu);
  fn(arg);
  pthread_barrier_wait(&team_barrier); /* join */
  team_size = 1;
}

/*--- DMA: a queue performed at wait ------------------------------------------*/

#define DMA_QUEUE 256

typedef struct {
  char *ext, *loc;
  size_t size, stride, row;
  pulptrain_dma_dir_t dir;
} dma_req_t;

static pthread_mutex_t dma_mu = PTHREAD_MUTEX_INITIALIZER;
static dma_req_t dma_q[DMA_QUEUE];
static uint32_t dma_next; /* id of the next transfer */
static uint32_t dma_done; /* transfers performed */

static void dma_perform(const dma_req_t *r) {
  size_t row = r->row ? r->row : r->size;
  size_t stride = r->row ? r->stride : r->size;
  for (size_t off = 0, i = 0; off < r->size; off += row, i++) {
    char *e = r->ext + i * stride, *l = r->loc + off;
    size_t n = r->size - off < row ? r->size - off : row;
    if (r->dir == PULPTRAIN_DMA_L2_TO_L1)
      memmove(l, e, n);
    else
      memmove(e, l, n);
  }
}

/* Perform queued transfers up to and including id `upto` (dma_mu held). */
static void dma_complete(uint32_t upto) {
  while (dma_done <= upto && dma_done < dma_next) {
    dma_perform(&dma_q[dma_done % DMA_QUEUE]);
    dma_done++;
  }
}

static pulptrain_dma_t dma_push(void *ext, void *loc, size_t size,
                                size_t stride, size_t row,
                                pulptrain_dma_dir_t dir) {
  if (size == 0)
    return PULPTRAIN_DMA_NONE;
  if (row && size % row)
    die("2-D DMA size is not a multiple of the row length");
  pthread_mutex_lock(&dma_mu);
  if (dma_next - dma_done == DMA_QUEUE)
    dma_complete(dma_done); /* queue full: the oldest one completes */
  uint32_t id = dma_next++;
  dma_req_t *r = &dma_q[id % DMA_QUEUE];
  r->ext = ext;
  r->loc = loc;
  r->size = size;
  r->stride = stride;
  r->row = row == size ? 0 : row;
  r->dir = dir;
  pthread_mutex_unlock(&dma_mu);
  return id;
}

pulptrain_dma_t pulptrain_dma_copy(void *ext, void *loc, size_t size,
                                   pulptrain_dma_dir_t dir) {
  return dma_push(ext, loc, size, 0, 0, dir);
}

pulptrain_dma_t pulptrain_dma_copy_2d(void *ext, void *loc, size_t size,
                                      size_t ext_stride, size_t row_len,
                                      pulptrain_dma_dir_t dir) {
  return dma_push(ext, loc, size, ext_stride, row_len, dir);
}

void pulptrain_dma_wait(pulptrain_dma_t h) {
  if (h == PULPTRAIN_DMA_NONE)
    return;
  pthread_mutex_lock(&dma_mu);
  dma_complete(h);
  pthread_mutex_unlock(&dma_mu);
}

void pulptrain_dma_wait_all(void) {
  pthread_mutex_lock(&dma_mu);
  if (dma_next)
    dma_complete(dma_next - 1);
  pthread_mutex_unlock(&dma_mu);
}

/*--- L3 channel: on the host L3 is ordinary memory, copied at once ---------*/

pulptrain_l3_t pulptrain_l3_copy(void *l3, void *l2, size_t size,
                                 pulptrain_l3_dir_t dir) {
  if (size == 0)
    return PULPTRAIN_DMA_NONE;
  if (dir == PULPTRAIN_L3_TO_L2)
    memmove(l2, l3, size);
  else
    memmove(l3, l2, size);
  return 0;
}

void pulptrain_l3_wait(pulptrain_l3_t h) { (void)h; }

void pulptrain_l3_wait_all(void) {}

/*--- Memory: arenas with the riscv32 allocator --------------------------------*/

#include "rt_heap.h"

static pthread_mutex_t heap_mu = PTHREAD_MUTEX_INITIALIZER;
static heap_t l1_heap, l2_heap;
static size_t l1_bytes, l2_bytes;

static void pt_heap_error(void *p) {
  fprintf(stderr, "pulptrain host runtime: free of an invalid pointer %p\n",
          p);
  abort();
}

size_t pulptrain_l1_size(void) {
  if (!l1_bytes)
    l1_bytes = env_uint("PULPTRAIN_L1_SIZE", PULPTRAIN_L1_DEFAULT_SIZE);
  return l1_bytes;
}

size_t pulptrain_l2_size(void) {
  if (!l2_bytes)
    l2_bytes = env_uint("PULPTRAIN_L2_SIZE", PULPTRAIN_L2_DEFAULT_SIZE);
  return l2_bytes;
}

static heap_t *heap(int l1) {
  heap_t *h = l1 ? &l1_heap : &l2_heap;
  if (!h->ready) {
    size_t size = l1 ? pulptrain_l1_size() -
                           pulptrain_num_cores() * PULPTRAIN_STACK_SIZE
                     : pulptrain_l2_size();
    /* Below 4 GiB where possible: PULP code passes addresses to PMSIS DMA
       calls as uint32_t (pulptrain-cc --host links without PIE so that
       globals are low too). */
    size_t bytes = (size + 4095) & ~(size_t)4095;
    void *arena = MAP_FAILED;
#ifdef MAP_32BIT
    arena = mmap(NULL, bytes, PROT_READ | PROT_WRITE,
                 MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
#endif
    if (arena == MAP_FAILED)
      arena = aligned_alloc(4096, bytes);
    if (!arena)
      die("cannot allocate the L1/L2 arena");
    heap_init(h, (uintptr_t)arena, (uintptr_t)arena + size);
  }
  return h;
}

static void *alloc(int l1, size_t size) {
  pthread_mutex_lock(&heap_mu);
  void *p = heap_alloc(heap(l1), size);
  pthread_mutex_unlock(&heap_mu);
  return p;
}

static void release(int l1, void *p) {
  pthread_mutex_lock(&heap_mu);
  heap_free(heap(l1), p);
  pthread_mutex_unlock(&heap_mu);
}

void *pulptrain_l1_malloc(size_t size) { return alloc(1, size); }
void pulptrain_l1_free(void *p, size_t size) {
  (void)size;
  release(1, p);
}
void *pulptrain_l2_malloc(size_t size) { return alloc(0, size); }
void pulptrain_l2_free(void *p, size_t size) {
  (void)size;
  release(0, p);
}

size_t pulptrain_l1_free_bytes(void) {
  pthread_mutex_lock(&heap_mu);
  size_t n = heap_free_bytes(heap(1));
  pthread_mutex_unlock(&heap_mu);
  return n;
}

size_t pulptrain_l2_free_bytes(void) {
  pthread_mutex_lock(&heap_mu);
  size_t n = heap_free_bytes(heap(0));
  pthread_mutex_unlock(&heap_mu);
  return n;
}

/*--- Performance counters --------------------------------------------------------*/

static __thread int perf_running;
static __thread uint64_t perf_acc, perf_since;

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pulptrain_perf_start(void) {
  if (!perf_running) {
    perf_running = 1;
    perf_since = now_ns();
  }
}

void pulptrain_perf_stop(void) {
  if (perf_running) {
    perf_acc += now_ns() - perf_since;
    perf_running = 0;
  }
}

void pulptrain_perf_reset(void) {
  perf_acc = 0;
  perf_since = now_ns();
}

uint32_t pulptrain_perf_read(pulptrain_perf_event_t ev) {
  if (ev != PULPTRAIN_PERF_EV_CYCLES)
    return 0;
  uint64_t v = perf_acc + (perf_running ? now_ns() - perf_since : 0);
  return (uint32_t)v;
}

/*--- Output and exit -------------------------------------------------------------*/

void pulptrain_putc(char c) { putchar(c); }

int pulptrain_vprintf(const char *fmt, va_list ap) { return vprintf(fmt, ap); }

int pulptrain_printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

void pulptrain_exit(int code) {
  fflush(stdout);
  exit(code);
}
