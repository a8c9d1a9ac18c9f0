// Multiplies edge values of f16 with the compiled @outer and prints the
// bits of each factor pair and of its rounded product.
#include "pulptrain_rt.h"

#include <stdint.h>

void outer(const uint16_t *g, const uint16_t *x, uint16_t *y);

static const uint16_t g[4] = {0x3c00, 0xc100, 0x0400, 0x7bff};
static const uint16_t x[16] = {0x0001, 0x03ff, 0x3c01, 0x3555, 0x7bff, 0x7c00,
                               0xfc00, 0x7e00, 0x0000, 0x8000, 0x4248, 0x2e66,
                               0x5640, 0x0400, 0xbc00, 0x3801};
static uint16_t y[4][16];

int main(void) {
  outer(g, x, &y[0][0]);
  for (unsigned i = 0; i < 4; ++i)
    for (unsigned j = 0; j < 16; ++j)
      pulptrain_printf("%04x %04x %04x\n", (unsigned)g[i], (unsigned)x[j],
                       (unsigned)y[i][j]);
  return 0;
}
