/*===- rt_format.c - printf formatting engine of the bare-metal runtime ---===*
 *
 * A small vprintf with exact floating-point conversions: %f %e %g print the
 * correctly rounded (round-half-even on the exact binary value) decimal
 * expansion, the same digits glibc prints, so that programs give identical
 * output on the simulator, under QEMU and natively. Works with 32-bit
 * arithmetic and a few hundred bytes of stack (core stacks are 2 KiB).
 *===----------------------------------------------------------------------===*/

#include "rt_internal.h"

/*--- Output sink ---------------------------------------------------------*/

typedef struct {
  pt_sink_fn put; /* receives chunks of characters */
  void *ctx;
  int count;      /* characters produced so far */
  unsigned n;     /* buffered characters */
  char buf[48];
} out_t;

static void out_flush(out_t *o) {
  if (o->n) {
    o->put(o->ctx, o->buf, o->n);
    o->n = 0;
  }
}

static void out_c(out_t *o, char c) {
  if (o->n == sizeof(o->buf))
    out_flush(o);
  o->buf[o->n++] = c;
  o->count++;
}

static void out_rep(out_t *o, char c, int n) {
  while (n-- > 0)
    out_c(o, c);
}

static void out_s(out_t *o, const char *s, int n) {
  while (n-- > 0)
    out_c(o, *s++);
}

/*--- Format specification ------------------------------------------------*/

enum { F_LEFT = 1, F_PLUS = 2, F_SPACE = 4, F_ZERO = 8, F_ALT = 16 };

typedef struct {
  int flags;
  int width;
  int prec; /* -1: not given */
} spec_t;

/* Pad and print: sign/prefix, then zeros (if zero padding), then body. The
   body is produced by `body(o, arg)` and is `blen` characters long. */
static void pad_pre(out_t *o, const spec_t *s, const char *pre, int plen,
                    int blen, int zero_ok) {
  int total = plen + blen;
  int pad = s->width > total ? s->width - total : 0;
  if (!(s->flags & F_LEFT) && !((s->flags & F_ZERO) && zero_ok))
    out_rep(o, ' ', pad);
  out_s(o, pre, plen);
  if (!(s->flags & F_LEFT) && (s->flags & F_ZERO) && zero_ok)
    out_rep(o, '0', pad);
}

static void pad_post(out_t *o, const spec_t *s, int total) {
  if ((s->flags & F_LEFT) && s->width > total)
    out_rep(o, ' ', s->width - total);
}

/*--- Integers ------------------------------------------------------------*/

/* Digits of v in base `base` into the end of buf; returns the count. Uses
   32-bit division while the value fits (no libcall on rv32). */
static int utoa_rev(char *end, uint64_t v, unsigned base, int upper) {
  const char *dig = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  int n = 0;
  while (v >> 32) {
    *--end = dig[v % base];
    v /= base;
    n++;
  }
  uint32_t w = (uint32_t)v;
  do {
    *--end = dig[w % base];
    w /= base;
    n++;
  } while (w);
  return n;
}

static void fmt_int(out_t *o, const spec_t *s, uint64_t v, int neg,
                    unsigned base, int upper, int is_signed, int is_ptr) {
  char buf[24];
  char *end = buf + sizeof(buf);
  int nd = utoa_rev(end, v, base, upper);
  const char *digits = end - nd;
  if (s->prec == 0 && v == 0 && !is_ptr) {
    nd = 0; /* "%.0d" of 0 prints nothing */
    if (base == 8 && (s->flags & F_ALT))
      digits = "0", nd = 1;
  }
  char pre[3];
  int plen = 0;
  if (is_signed) {
    if (neg)
      pre[plen++] = '-';
    else if (s->flags & F_PLUS)
      pre[plen++] = '+';
    else if (s->flags & F_SPACE)
      pre[plen++] = ' ';
  }
  if ((is_ptr || (s->flags & F_ALT)) && base == 16 && (v != 0 || is_ptr)) {
    pre[plen++] = '0';
    pre[plen++] = upper ? 'X' : 'x';
  }
  int zeros = s->prec > nd ? s->prec - nd : 0;
  if (base == 8 && (s->flags & F_ALT) && zeros == 0 && nd > 0 &&
      digits[0] != '0')
    zeros = 1;
  pad_pre(o, s, pre, plen, zeros + nd, s->prec < 0);
  out_rep(o, '0', zeros);
  out_s(o, digits, nd);
  pad_post(o, s, plen + zeros + nd);
}

/*--- Exact decimal digits of a double ------------------------------------*/

#define BIGW 36 /* words: 2^1024 and 2^-1074 fit */

/* Digit generator: the decimal digits of |x|, most significant integer digit
   first (an integer part of 0 is the single digit 0), then the fraction. */
typedef struct {
  uint32_t ichunk[BIGW]; /* integer part in base 1e9, most significant first */
  int nchunk;
  int nfirst;            /* digits in ichunk[0] */
  int nint;              /* integer digits */
  int ipos;              /* integer digits produced */
  uint32_t frac[BIGW];   /* fraction = frac / 2^(32*nw), little endian */
  int nw;
} digits_t;

static const uint32_t pow10_tab[10] = {1,      10,      100,      1000,
                                       10000,  100000,  1000000,  10000000,
                                       100000000, 1000000000};

/* Place v << shift into a little-endian big number of n words (zeroed). */
static void big_set(uint32_t *w, int n, uint64_t v, int shift) {
  for (int i = 0; i < n; i++)
    w[i] = 0;
  int word = shift / 32, bit = shift % 32;
  uint32_t lo = (uint32_t)v, hi = (uint32_t)(v >> 32);
  uint32_t p0 = lo << bit;
  uint32_t p1 = bit ? (hi << bit) | (lo >> (32 - bit)) : hi;
  uint32_t p2 = bit ? hi >> (32 - bit) : 0;
  if (word < n)
    w[word] = p0;
  if (word + 1 < n)
    w[word + 1] = p1;
  if (word + 2 < n)
    w[word + 2] = p2;
}

static void dg_init(digits_t *g, uint64_t bits) {
  int bexp = (int)((bits >> 52) & 0x7FF);
  uint64_t m = bits & 0xFFFFFFFFFFFFFull;
  int e2;
  if (bexp == 0) {
    e2 = -1074;
  } else {
    m |= 1ull << 52;
    e2 = bexp - 1075;
  }
  /* Integer part as a big binary number (in frac's storage when the value
     is an integer, else in two local words), then to base 1e9. */
  uint32_t small[2];
  uint32_t *iw;
  int niw;
  if (e2 >= 0) {
    iw = g->frac;
    niw = (53 + e2) / 32 + 1;
    big_set(iw, niw, m, e2);
    g->nw = 0;
  } else {
    int k = -e2;
    uint64_t ip = k < 64 ? m >> k : 0;
    uint64_t fb = k < 64 ? m & ((1ull << k) - 1) : m;
    iw = small;
    niw = 2;
    small[0] = (uint32_t)ip;
    small[1] = (uint32_t)(ip >> 32);
    g->nw = (k + 31) / 32;
    big_set(g->frac, g->nw, fb, 32 * g->nw - k);
  }
  while (niw > 0 && iw[niw - 1] == 0)
    niw--;
  /* Repeated division by 1e9: chunks come least significant first. */
  int nrev = 0;
  while (niw > 0) {
    uint32_t r = 0;
    for (int i = niw - 1; i >= 0; i--) {
      uint32_t q;
      if (r == 0) { /* fits 32 bits: no 64-bit division libcall */
        q = iw[i] / 1000000000u;
        r = iw[i] - q * 1000000000u;
      } else {
        uint64_t cur = ((uint64_t)r << 32) | iw[i];
        q = (uint32_t)(cur / 1000000000u);
        r = (uint32_t)(cur - (uint64_t)q * 1000000000u);
      }
      iw[i] = q;
    }
    g->ichunk[nrev++] = r;
    while (niw > 0 && iw[niw - 1] == 0)
      niw--;
  }
  if (nrev == 0)
    g->ichunk[nrev++] = 0;
  for (int i = 0; i < nrev / 2; i++) {
    uint32_t t = g->ichunk[i];
    g->ichunk[i] = g->ichunk[nrev - 1 - i];
    g->ichunk[nrev - 1 - i] = t;
  }
  g->nchunk = nrev;
  int nf = 1;
  while (nf < 9 && g->ichunk[0] >= pow10_tab[nf])
    nf++;
  g->nfirst = nf;
  g->nint = nf + 9 * (nrev - 1);
  g->ipos = 0;
}

static int dg_int_digit(const digits_t *g, int i) {
  int c, len, pos;
  if (i < g->nfirst) {
    c = 0, len = g->nfirst, pos = i;
  } else {
    c = 1 + (i - g->nfirst) / 9, len = 9, pos = (i - g->nfirst) % 9;
  }
  return (int)((g->ichunk[c] / pow10_tab[len - 1 - pos]) % 10);
}

static int dg_next(digits_t *g) {
  if (g->ipos < g->nint)
    return dg_int_digit(g, g->ipos++);
  uint32_t carry = 0;
  for (int i = 0; i < g->nw; i++) {
    uint64_t t = (uint64_t)g->frac[i] * 10u + carry;
    g->frac[i] = (uint32_t)t;
    carry = (uint32_t)(t >> 32);
  }
  return (int)carry;
}

static int dg_rest_nonzero(const digits_t *g) {
  for (int i = g->ipos; i < g->nint; i++)
    if (dg_int_digit(g, i))
      return 1;
  for (int i = 0; i < g->nw; i++)
    if (g->frac[i])
      return 1;
  return 0;
}

/* Result of rounding the digit sequence to `count` digits. */
typedef struct {
  int nint;      /* integer digits of the unrounded sequence */
  int exp10;     /* decimal exponent of the first (non-zero) digit */
  int round_up;  /* add one unit in the last place */
  int all_nines; /* round_up carries out of the first digit */
  int last_non9; /* last output digit that is not 9 (before rounding) */
  int last_nz;   /* last non-zero output digit after rounding */
} scan_t;

/* Skip leading zeros if asked (for %e); returns the first digit. */
static int dg_start(digits_t *g, uint64_t bits, int skip, int *lead) {
  dg_init(g, bits);
  int d = dg_next(g);
  *lead = 0;
  if (skip && (bits << 1) != 0)
    while (d == 0) {
      d = dg_next(g);
      (*lead)++;
    }
  return d;
}

static void fp_scan(digits_t *g, uint64_t bits, int skip, int count,
                    scan_t *r) {
  int lead;
  int d = dg_start(g, bits, skip, &lead);
  r->nint = g->nint;
  r->exp10 = (bits << 1) == 0 ? 0 : g->nint - 1 - lead;
  r->last_non9 = -1;
  r->last_nz = -1;
  int last = 0;
  for (int j = 0; j < count; j++) {
    if (j)
      d = dg_next(g);
    if (d != 9)
      r->last_non9 = j;
    if (d != 0)
      r->last_nz = j;
    last = d;
  }
  int next = dg_next(g);
  int sticky = dg_rest_nonzero(g);
  r->round_up = next > 5 || (next == 5 && (sticky || (last & 1)));
  r->all_nines = r->round_up && r->last_non9 < 0;
  if (r->round_up) {
    r->last_nz = r->all_nines ? 0 : r->last_non9;
    if (r->all_nines)
      r->exp10++;
  }
}

/* Emits `n` output digits of the rounded sequence (see fp_scan). With
   all_nines the sequence is "1" followed by zeros. */
typedef struct {
  digits_t *g;
  const scan_t *r;
  int j;
  int first;
} emit_t;

static void em_init(emit_t *e, digits_t *g, uint64_t bits, int skip,
                    const scan_t *r) {
  int lead;
  e->g = g;
  e->first = dg_start(g, bits, skip, &lead);
  e->r = r;
  e->j = 0;
}

static char em_next(emit_t *e) {
  int j = e->j++;
  int d = j == 0 ? e->first : dg_next(e->g);
  const scan_t *r = e->r;
  if (r->all_nines)
    return j == 0 ? '1' : '0';
  if (r->round_up) {
    if (j == r->last_non9)
      d++;
    else if (j > r->last_non9)
      d = 0;
  }
  return (char)('0' + d);
}

static void fmt_float(out_t *o, spec_t s, double x, char conv) {
  uint64_t bits;
  __builtin_memcpy(&bits, &x, sizeof(bits));
  int neg = (int)(bits >> 63);
  bits &= ~(1ull << 63);
  int upper = conv >= 'A' && conv <= 'Z';
  char lc = (char)(upper ? conv + 32 : conv);
  char pre[1];
  int plen = 0;
  if (neg)
    pre[plen++] = '-';
  else if (s.flags & F_PLUS)
    pre[plen++] = '+';
  else if (s.flags & F_SPACE)
    pre[plen++] = ' ';

  if ((bits >> 52) == 0x7FF) { /* inf or nan */
    const char *t = (bits << 12) ? (upper ? "NAN" : "nan")
                                 : (upper ? "INF" : "inf");
    pad_pre(o, &s, pre, plen, 3, 0);
    out_s(o, t, 3);
    pad_post(o, &s, plen + 3);
    return;
  }
  int prec = s.prec < 0 ? 6 : s.prec;
  int alt = (s.flags & F_ALT) != 0;
  int strip = 0;
  scan_t r;
  digits_t g; /* the one digit generator, reused by every pass */
  if (lc == 'g') {
    int p = prec == 0 ? 1 : prec;
    fp_scan(&g, bits, 1, p, &r);
    int x10 = r.exp10;
    strip = !alt;
    if (p > x10 && x10 >= -4) {
      lc = 'f';
      prec = p - 1 - x10;
    } else {
      lc = 'e';
      prec = p - 1;
    }
  }
  if (lc == 'f') {
    dg_init(&g, bits);
    int count = g.nint + prec;
    fp_scan(&g, bits, 0, count, &r);
    int nint_out = r.nint + (r.all_nines ? 1 : 0);
    int total_digits = count + (r.all_nines ? 1 : 0);
    int nfrac = prec;
    if (strip) {
      int keep = r.last_nz - nint_out + 1 + (r.all_nines ? 1 : 0);
      if (r.all_nines)
        keep = 0; /* 1000...: no non-zero fraction digits */
      nfrac = keep < 0 ? 0 : keep > prec ? prec : keep;
    }
    int dot = nfrac > 0 || alt;
    int blen = nint_out + dot + nfrac;
    pad_pre(o, &s, pre, plen, blen, 1);
    emit_t e;
    em_init(&e, &g, bits, 0, &r);
    for (int i = 0; i < nint_out; i++)
      out_c(o, em_next(&e));
    if (dot)
      out_c(o, '.');
    for (int i = 0; i < nfrac && i + nint_out < total_digits; i++)
      out_c(o, em_next(&e));
    pad_post(o, &s, plen + blen);
    return;
  }
  /* 'e' */
  int count = prec + 1;
  fp_scan(&g, bits, 1, count, &r);
  int nfrac = prec;
  if (strip) {
    int keep = r.last_nz; /* digits after the first */
    nfrac = keep < 0 ? 0 : keep > prec ? prec : keep;
  }
  int dot = nfrac > 0 || alt;
  int x10 = r.exp10;
  unsigned ax = (unsigned)(x10 < 0 ? -x10 : x10);
  char ebuf[8];
  int en = utoa_rev(ebuf + sizeof(ebuf), ax, 10, 0);
  int edig = en < 2 ? 2 : en;
  int blen = 1 + dot + nfrac + 2 + edig;
  pad_pre(o, &s, pre, plen, blen, 1);
  emit_t e;
  em_init(&e, &g, bits, 1, &r);
  out_c(o, em_next(&e));
  if (dot)
    out_c(o, '.');
  for (int i = 0; i < nfrac; i++)
    out_c(o, em_next(&e));
  out_c(o, upper ? 'E' : 'e');
  out_c(o, x10 < 0 ? '-' : '+');
  out_rep(o, '0', edig - en);
  out_s(o, ebuf + sizeof(ebuf) - en, en);
  pad_post(o, &s, plen + blen);
}

/*--- The driver ----------------------------------------------------------*/

int pt_vformat(pt_sink_fn put, void *ctx, const char *fmt, va_list ap) {
  out_t o;
  o.put = put;
  o.ctx = ctx;
  o.count = 0;
  o.n = 0;
  while (*fmt) {
    if (*fmt != '%') {
      out_c(&o, *fmt++);
      continue;
    }
    const char *start = fmt++;
    spec_t s = {0, 0, -1};
    for (;; fmt++) {
      if (*fmt == '-')
        s.flags |= F_LEFT;
      else if (*fmt == '+')
        s.flags |= F_PLUS;
      else if (*fmt == ' ')
        s.flags |= F_SPACE;
      else if (*fmt == '0')
        s.flags |= F_ZERO;
      else if (*fmt == '#')
        s.flags |= F_ALT;
      else
        break;
    }
    if (*fmt == '*') {
      s.width = va_arg(ap, int);
      if (s.width < 0) {
        s.flags |= F_LEFT;
        s.width = -s.width;
      }
      fmt++;
    } else {
      while (*fmt >= '0' && *fmt <= '9')
        s.width = s.width * 10 + (*fmt++ - '0');
    }
    if (*fmt == '.') {
      fmt++;
      s.prec = 0;
      if (*fmt == '*') {
        s.prec = va_arg(ap, int);
        if (s.prec < 0)
          s.prec = -1;
        fmt++;
      } else {
        while (*fmt >= '0' && *fmt <= '9')
          s.prec = s.prec * 10 + (*fmt++ - '0');
      }
    }
    int len = 0; /* 0 int, 1 long, 2 long long, -1 short, -2 char */
    for (;; fmt++) {
      if (*fmt == 'l')
        len = len == 1 ? 2 : 1;
      else if (*fmt == 'h')
        len = len == -1 ? -2 : -1;
      else if (*fmt == 'z' || *fmt == 't')
        len = sizeof(size_t) == 8 ? 2 : 1;
      else if (*fmt == 'j')
        len = 2;
      else if (*fmt == 'L')
        len = 0; /* long double is not supported: read as double */
      else
        break;
    }
    char c = *fmt;
    if (!c)
      break;
    fmt++;
    switch (c) {
    case 'd':
    case 'i': {
      int64_t v;
      if (len == 2)
        v = va_arg(ap, long long);
      else if (len == 1)
        v = va_arg(ap, long);
      else
        v = va_arg(ap, int);
      if (len == -1)
        v = (short)v;
      else if (len == -2)
        v = (signed char)v;
      uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
      fmt_int(&o, &s, u, v < 0, 10, 0, 1, 0);
      break;
    }
    case 'u':
    case 'x':
    case 'X':
    case 'o': {
      uint64_t v;
      if (len == 2)
        v = va_arg(ap, unsigned long long);
      else if (len == 1)
        v = va_arg(ap, unsigned long);
      else
        v = va_arg(ap, unsigned);
      if (len == -1)
        v = (unsigned short)v;
      else if (len == -2)
        v = (unsigned char)v;
      unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
      fmt_int(&o, &s, v, 0, base, c == 'X', 0, 0);
      break;
    }
    case 'p': {
      uintptr_t v = (uintptr_t)va_arg(ap, void *);
      if (!v) { /* as glibc */
        pad_pre(&o, &s, "", 0, 5, 0);
        out_s(&o, "(nil)", 5);
        pad_post(&o, &s, 5);
        break;
      }
      fmt_int(&o, &s, v, 0, 16, 0, 0, 1);
      break;
    }
    case 'c': {
      char ch = (char)va_arg(ap, int);
      pad_pre(&o, &s, "", 0, 1, 0);
      out_c(&o, ch);
      pad_post(&o, &s, 1);
      break;
    }
    case 's': {
      const char *str = va_arg(ap, const char *);
      if (!str)
        str = "(null)";
      int n = 0;
      while (str[n] && (s.prec < 0 || n < s.prec))
        n++;
      pad_pre(&o, &s, "", 0, n, 0);
      out_s(&o, str, n);
      pad_post(&o, &s, n);
      break;
    }
    case 'f':
    case 'F':
    case 'e':
    case 'E':
    case 'g':
    case 'G':
      fmt_float(&o, s, va_arg(ap, double), c);
      break;
    case '%':
      out_c(&o, '%');
      break;
    default: /* unknown conversion: print it verbatim */
      out_s(&o, start, (int)(fmt - start));
      break;
    }
  }
  out_flush(&o);
  return o.count;
}
