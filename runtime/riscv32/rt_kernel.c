/*===- rt_kernel.c - forking compiled cluster kernels ----------------------===*
 *
 * pulptrain_fork_kernel: the entry the compiler's parallel outlining
 * (pulptrain-outline-parallel) calls. A kernel is a compiled function of
 * up to PULPTRAIN_KERNEL_MAX_ARGS buffer pointers; every core of the team
 * runs it and picks its share of the work from its core id. Portable over
 * pulptrain_fork: used by the bare-metal and the host backends.
 *===----------------------------------------------------------------------===*/

#include "pulptrain_rt.h"

typedef struct {
  void *fn;
  unsigned nargs;
  const uintptr_t *argv;
} kernel_call_t;

#define P(i) ((void *)k->argv[i])

/* Calls k->fn through its own type: n pointer parameters, no result. */
static void kernel_trampoline(void *arg) {
  const kernel_call_t *k = (const kernel_call_t *)arg;
  typedef void *p;
  switch (k->nargs) {
  case 0: ((void (*)(void))k->fn)(); break;
  case 1: ((void (*)(p))k->fn)(P(0)); break;
  case 2: ((void (*)(p, p))k->fn)(P(0), P(1)); break;
  case 3: ((void (*)(p, p, p))k->fn)(P(0), P(1), P(2)); break;
  case 4: ((void (*)(p, p, p, p))k->fn)(P(0), P(1), P(2), P(3)); break;
  case 5:
    ((void (*)(p, p, p, p, p))k->fn)(P(0), P(1), P(2), P(3), P(4));
    break;
  case 6:
    ((void (*)(p, p, p, p, p, p))k->fn)(P(0), P(1), P(2), P(3), P(4), P(5));
    break;
  case 7:
    ((void (*)(p, p, p, p, p, p, p))k->fn)(P(0), P(1), P(2), P(3), P(4),
                                          P(5), P(6));
    break;
  case 8:
    ((void (*)(p, p, p, p, p, p, p, p))k->fn)(P(0), P(1), P(2), P(3), P(4),
                                             P(5), P(6), P(7));
    break;
  case 9:
    ((void (*)(p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8));
    break;
  case 10:
    ((void (*)(p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9));
    break;
  case 11:
    ((void (*)(p, p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10));
    break;
  case 12:
    ((void (*)(p, p, p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10),
        P(11));
    break;
  case 13:
    ((void (*)(p, p, p, p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10),
        P(11), P(12));
    break;
  case 14:
    ((void (*)(p, p, p, p, p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10),
        P(11), P(12), P(13));
    break;
  case 15:
    ((void (*)(p, p, p, p, p, p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10),
        P(11), P(12), P(13), P(14));
    break;
  case 16:
    ((void (*)(p, p, p, p, p, p, p, p, p, p, p, p, p, p, p, p))k->fn)(
        P(0), P(1), P(2), P(3), P(4), P(5), P(6), P(7), P(8), P(9), P(10),
        P(11), P(12), P(13), P(14), P(15));
    break;
  default:
    pulptrain_printf("pulptrain_fork_kernel: %u arguments, at most %d\n",
                     k->nargs, PULPTRAIN_KERNEL_MAX_ARGS);
    pulptrain_exit(3);
  }
}

void pulptrain_fork_kernel(void *fn, uint32_t nargs, const uintptr_t *argv) {
  kernel_call_t call = {fn, nargs, argv};
  pulptrain_fork(0, kernel_trampoline, &call);
}
