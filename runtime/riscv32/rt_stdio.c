/*===- rt_stdio.c - Standard C output on top of the runtime ---------------===*
 *
 * Compiled against picolibc's <stdio.h> (tinystdio) so that user code sees
 * the standard declarations: stdout/stderr are streams whose characters go
 * to the backend's output, and the printf family uses the runtime's exact
 * formatting engine (identical output on every backend). Functions not
 * defined here (scanf, fopen, ...) come from picolibc.
 *===----------------------------------------------------------------------===*/

#include <stdio.h>
#include <string.h>

#include "rt_internal.h"

static int out_put(char c, FILE *f) {
  (void)f;
  pt_backend_write(&c, 1);
  return (unsigned char)c;
}

static int err_put(char c, FILE *f) {
  (void)f;
  pt_backend_write_err(&c, 1);
  return (unsigned char)c;
}

static int in_get(FILE *f) {
  (void)f;
  return EOF;
}

static FILE rt_stdout = FDEV_SETUP_STREAM(out_put, NULL, NULL, _FDEV_SETUP_WRITE);
static FILE rt_stderr = FDEV_SETUP_STREAM(err_put, NULL, NULL, _FDEV_SETUP_WRITE);
static FILE rt_stdin = FDEV_SETUP_STREAM(NULL, in_get, NULL, _FDEV_SETUP_READ);

FILE *const stdout = &rt_stdout;
FILE *const stderr = &rt_stderr;
FILE *const stdin = &rt_stdin;

static void sink_file(void *ctx, const char *s, size_t n) {
  FILE *f = ctx;
  if (f == &rt_stdout) {
    pt_backend_write(s, n);
    return;
  }
  if (f == &rt_stderr) {
    pt_backend_write_err(s, n);
    return;
  }
  for (size_t i = 0; i < n; i++)
    if (f->put)
      f->put(s[i], f);
}

typedef struct {
  char *p;
  size_t n, cap;
} strbuf_t;

static void sink_str(void *ctx, const char *s, size_t n) {
  strbuf_t *b = ctx;
  for (size_t i = 0; i < n; i++, b->n++)
    if (b->n + 1 < b->cap)
      b->p[b->n] = s[i];
}

int vfprintf(FILE *f, const char *fmt, va_list ap) {
  return pt_vformat(sink_file, f, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vfprintf(f, fmt, ap);
  va_end(ap);
  return n;
}

int vprintf(const char *fmt, va_list ap) {
  return pt_vformat(sink_file, stdout, fmt, ap);
}

int printf(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vprintf(fmt, ap);
  va_end(ap);
  return n;
}

int vsnprintf(char *s, size_t cap, const char *fmt, va_list ap) {
  strbuf_t b = {s, 0, cap};
  int n = pt_vformat(sink_str, &b, fmt, ap);
  if (cap)
    s[b.n < cap ? b.n : cap - 1] = 0;
  return n;
}

int snprintf(char *s, size_t cap, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(s, cap, fmt, ap);
  va_end(ap);
  return n;
}

int vsprintf(char *s, const char *fmt, va_list ap) {
  return vsnprintf(s, 0x7FFFFFFF, fmt, ap);
}

int sprintf(char *s, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int n = vsprintf(s, fmt, ap);
  va_end(ap);
  return n;
}

int fputc(int c, FILE *f) {
  char ch = (char)c;
  sink_file(f, &ch, 1);
  return (unsigned char)c;
}

#undef putchar
int putchar(int c) { return fputc(c, stdout); }

int fputs(const char *s, FILE *f) {
  sink_file(f, s, strlen(s));
  return 0;
}

int puts(const char *s) {
  fputs(s, stdout);
  fputc('\n', stdout);
  return 0;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f) {
  sink_file(f, p, size * n);
  return n;
}

int fflush(FILE *f) {
  (void)f;
  return 0;
}
