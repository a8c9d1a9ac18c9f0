/*===- rt_internal.h - Shared internals of the bare-metal runtimes -*- C -*-===*
 *
 * Interfaces between the portable parts of the bare-metal runtime (printf
 * engine, allocators, libc pieces) and a backend (the simulated cluster or
 * QEMU user mode). Not installed; not for user code.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_RT_INTERNAL_H
#define PULPTRAIN_RT_INTERNAL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/// Receives formatted characters in chunks.
typedef void (*pt_sink_fn)(void *ctx, const char *s, size_t n);

/// The printf engine: formats `fmt` with `ap` into `put`; returns the number
/// of characters produced.
int pt_vformat(pt_sink_fn put, void *ctx, const char *fmt, va_list ap);

/*--- Provided by the backend ----------------------------------------------*/

/// Write `n` characters to standard output.
void pt_backend_write(const char *s, size_t n);

/// Write `n` characters to standard error (the simulator has one output
/// stream: standard output).
void pt_backend_write_err(const char *s, size_t n);

/// End the program with `code`.
void pt_backend_exit(int code) __attribute__((noreturn));

/// Bounds [lo, hi) of the L1 and L2 heaps (called once, on first use).
void pt_backend_l1_heap(uintptr_t *lo, uintptr_t *hi);
void pt_backend_l2_heap(uintptr_t *lo, uintptr_t *hi);

#endif /* PULPTRAIN_RT_INTERNAL_H */
