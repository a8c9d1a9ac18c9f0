// The math functions PULP-TrainLib calls (expf, logf, sqrtf, fabsf, powf,
// ceilf, sqrt) and tanhf, linked with -lm as PULP makefiles do, called from
// 8 cores at once. Each result is compared with the correctly rounded value
// (the table below: the exact result computed in double precision by
// Python's math module, rounded to float) and must be within 1 ulp; the
// edge cases (infinities, NaN, signed zeros, overflow, underflow) are exact.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf -lm
// RUN: pulptrain-sim --quiet --cores 8 %t.elf | FileCheck %s
// RUN: pulptrain-cc --host -O2 %s -o %t.host -lm
// RUN: env PULPTRAIN_CORES=8 %t.host | FileCheck %s

#include "pmsis.h"

#include <math.h>

enum { EXPF, LOGF, SQRTF, TANHF, POWF, NFUNC };
static const char *const names[NFUNC] = {"expf", "logf", "sqrtf", "tanhf",
                                         "powf"};

struct ref {
  int func;
  float x, y;
  uint32_t bits; /* correctly rounded f(x) or f(x, y) */
};

#define NREF 57
static const struct ref refs[NREF] = {
    {EXPF, -0x1.4p+3f, 0, 0x383e6bceu},
    {EXPF, -0x1.d9999ap+1f, 0, 0x3cca88feu},
    {EXPF, -0x1p+0f, 0, 0x3ebc5ab2u},
    {EXPF, -0x1p-1f, 0, 0x3f1b4598u},
    {EXPF, -0x1.99999ap-4f, 0, 0x3f67a36du},
    {EXPF, 0x1.99999ap-4f, 0, 0x3f8d763eu},
    {EXPF, 0x1p-2f, 0, 0x3fa45af2u},
    {EXPF, 0x1p-1f, 0, 0x3fd3094cu},
    {EXPF, 0x1p+0f, 0, 0x402df854u},
    {EXPF, 0x1.8p+0f, 0, 0x408f69ffu},
    {EXPF, 0x1p+1f, 0, 0x40ec7326u},
    {EXPF, 0x1.921fap+1f, 0, 0x41b92005u},
    {EXPF, 0x1.ep+2f, 0, 0x44e2015bu},
    {EXPF, 0x1.4p+4f, 0, 0x4de75844u},
    {EXPF, 0x1.6p+6f, 0, 0x7ef882b7u},
    {LOGF, 0x1.0c6f7ap-20f, 0, 0xc15d0c55u},
    {LOGF, 0x1.47ae14p-7f, 0, 0xc0935d8eu},
    {LOGF, 0x1.99999ap-4f, 0, 0xc0135d8eu},
    {LOGF, 0x1p-1f, 0, 0xbf317218u},
    {LOGF, 0x1.ff7ceep-1f, 0, 0xba8322cau},
    {LOGF, 0x1.8p+0f, 0, 0x3ecf991fu},
    {LOGF, 0x1p+1f, 0, 0x3f317218u},
    {LOGF, 0x1.8p+1f, 0, 0x3f8c9f54u},
    {LOGF, 0x1.4p+3f, 0, 0x40135d8eu},
    {LOGF, 0x1.9p+6f, 0, 0x40935d8eu},
    {LOGF, 0x1.81c8p+13f, 0, 0x4116bc71u},
    {LOGF, 0x1.5af1d8p+66f, 0, 0x423834f1u},
    {SQRTF, 0x1.0c6f7ap-20f, 0, 0x3a83126fu},
    {SQRTF, 0x1.47ae14p-7f, 0, 0x3dcccccdu},
    {SQRTF, 0x1.99999ap-4f, 0, 0x3ea1e89bu},
    {SQRTF, 0x1p-1f, 0, 0x3f3504f3u},
    {SQRTF, 0x1.8p+0f, 0, 0x3f9cc471u},
    {SQRTF, 0x1p+1f, 0, 0x3fb504f3u},
    {SQRTF, 0x1.8p+1f, 0, 0x3fddb3d7u},
    {SQRTF, 0x1.4p+3f, 0, 0x404a62c2u},
    {SQRTF, 0x1.81c8p+13f, 0, 0x42de3753u},
    {SQRTF, 0x1.5af1d8p+66f, 0, 0x501502f9u},
    {TANHF, -0x1.2p+3f, 0, 0xbf7fffffu},
    {TANHF, -0x1.4p+1f, 0, 0xbf7c92c1u},
    {TANHF, -0x1p+0f, 0, 0xbf42f7d6u},
    {TANHF, -0x1.333334p-2f, 0, 0xbe9526eeu},
    {TANHF, -0x1.47ae14p-7f, 0, 0xbc23d5a4u},
    {TANHF, 0x1.47ae14p-7f, 0, 0x3c23d5a4u},
    {TANHF, 0x1.333334p-2f, 0, 0x3e9526eeu},
    {TANHF, 0x1p-1f, 0, 0x3eec9a9fu},
    {TANHF, 0x1p+0f, 0, 0x3f42f7d6u},
    {TANHF, 0x1.4p+1f, 0, 0x3f7c92c1u},
    {TANHF, 0x1.2p+3f, 0, 0x3f7fffffu},
    {POWF, 0x1p+1f, 0x1p-1f, 0x3fb504f3u},
    {POWF, 0x1.8p+0f, 0x1.4p+1f, 0x40305cffu},
    {POWF, 0x1.4p+3f, -0x1.8p+1f, 0x3a83126fu},
    {POWF, 0x1.333334p-2f, 0x1.b33334p+0f, 0x3e0440d0u},
    {POWF, 0x1.cp+2f, 0x1.99999ap-4f, 0x3f9b7f07u},
    {POWF, 0x1.00068ep+0f, 0x1.388p+13f, 0x402dfd7eu},
    {POWF, -0x1p+1f, 0x1.8p+1f, 0xc1000000u},
    {POWF, -0x1.8p+0f, -0x1p+1f, 0x3ee38e39u},
    {POWF, 0x1.ecp+6f, 0x1p-2f, 0x405522bfu},
};

static uint32_t bits(float f) {
  uint32_t u;
  memcpy(&u, &f, 4);
  return u;
}

/* Distance in ulps between two finite floats of the same sign. */
static int ulps(float a, uint32_t want) {
  int32_t d = (int32_t)bits(a) - (int32_t)want;
  return d < 0 ? -d : d;
}

static int err[NREF];
static int done_by[NREF];

static void run(void *arg) {
  (void)arg;
  int id = pi_core_id(), n = pi_cl_team_nb_cores();
  for (int i = id; i < NREF; i += n) {
    const struct ref *r = &refs[i];
    volatile float x = r->x, y = r->y;
    float got = 0;
    switch (r->func) {
    case EXPF: got = expf(x); break;
    case LOGF: got = logf(x); break;
    case SQRTF: got = sqrtf(x); break;
    case TANHF: got = tanhf(x); break;
    case POWF: got = powf(x, y); break;
    }
    err[i] = ulps(got, r->bits);
    done_by[i] = id;
  }
  pi_cl_team_barrier();
}

static void show(const char *what, float v) {
  if (isnan(v))
    printf(" %s=nan", what);
  else if (isinf(v))
    printf(" %s=%sinf", what, v < 0 ? "-" : "");
  else if (v == 0)
    printf(" %s=%s0", what, signbit(v) ? "-" : "");
  else
    printf(" %s=%g", what, (double)v);
}

int main(void) {
  pi_cl_team_fork(8, run, 0);
  int worst[NFUNC] = {0}, count[NFUNC] = {0}, cores = 0, seen[8] = {0};
  for (int i = 0; i < NREF; i++) {
    int f = refs[i].func;
    count[f]++;
    if (err[i] > worst[f])
      worst[f] = err[i];
    seen[done_by[i]] = 1;
  }
  for (int c = 0; c < 8; c++)
    cores += seen[c];
  // CHECK: cores=8
  printf("cores=%d\n", cores);
  // CHECK-NEXT: expf values=15 max-ulp={{[01]$}}
  // CHECK-NEXT: logf values=12 max-ulp={{[01]$}}
  // CHECK-NEXT: sqrtf values=10 max-ulp=0
  // CHECK-NEXT: tanhf values=11 max-ulp={{[01]$}}
  // CHECK-NEXT: powf values=9 max-ulp={{[01]$}}
  for (int f = 0; f < NFUNC; f++)
    printf("%s values=%d max-ulp=%d\n", names[f], count[f], worst[f]);

  volatile float inf = INFINITY, zero = 0.0f, one = 1.0f;
  // CHECK-NEXT: expf: 0=1 -inf=0 inf=inf nan=nan 89=inf -104=0
  printf("expf:");
  show("0", expf(zero));
  show("-inf", expf(-inf));
  show("inf", expf(inf));
  show("nan", expf(zero / zero));
  show("89", expf(89.0f * one));
  show("-104", expf(-104.0f * one));
  printf("\n");
  // CHECK-NEXT: logf: 1=0 0=-inf -0=-inf -1=nan inf=inf
  printf("logf:");
  show("1", logf(one));
  show("0", logf(zero));
  show("-0", logf(-zero));
  show("-1", logf(-one));
  show("inf", logf(inf));
  printf("\n");
  // CHECK-NEXT: sqrtf: 16=4 -0=-0 -1=nan inf=inf sqrt(2)=1.41421 sqrt(2)bits=3fb504f3
  printf("sqrtf:");
  show("16", sqrtf(16.0f * one));
  show("-0", sqrtf(-zero));
  show("-1", sqrtf(-one));
  show("inf", sqrtf(inf));
  show("sqrt(2)", sqrtf(2.0f * one));
  printf(" sqrt(2)bits=%08x\n", (unsigned)bits(sqrtf(2.0f * one)));
  // CHECK-NEXT: tanhf: -0=-0 inf=1 -inf=-1 20=1 nan=nan
  printf("tanhf:");
  show("-0", tanhf(-zero));
  show("inf", tanhf(inf));
  show("-inf", tanhf(-inf));
  show("20", tanhf(20.0f * one));
  show("nan", tanhf(zero / zero));
  printf("\n");
  // CHECK-NEXT: powf: 0^0=1 2^10=1024 -2^3=-8 -8^(1/3)=nan 0^-1=inf 10^39=inf
  printf("powf:");
  show("0^0", powf(zero, zero));
  show("2^10", powf(2.0f * one, 10.0f));
  show("-2^3", powf(-2.0f * one, 3.0f));
  show("-8^(1/3)", powf(-8.0f * one, 1.0f / 3.0f));
  show("0^-1", powf(zero, -one));
  show("10^39", powf(10.0f * one, 39.0f));
  printf("\n");
  volatile double d2 = 2.0;
  // CHECK-NEXT: fabsf: -0=0 -2.5=2.5 -inf=inf ceilf: -0.5=-0 1.25=2 sqrt(2.0)=1.4142135623731
  printf("fabsf:");
  show("-0", fabsf(-zero));
  show("-2.5", fabsf(-2.5f * one));
  show("-inf", fabsf(-inf));
  printf(" ceilf:");
  show("-0.5", ceilf(-0.5f * one));
  show("1.25", ceilf(1.25f * one));
  printf(" sqrt(2.0)=%.14g\n", sqrt(d2));
  exit(0);
}
