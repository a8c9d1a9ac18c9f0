// Rounds the edge values of f32 -> bf16 with the compiled @round_bf16 and
// prints each input's bits and its result's.
#include "pulptrain_rt.h"

#include <stdint.h>

void round_bf16(const uint32_t *in, uint16_t *out);

static const uint32_t in[24] = {
    0x00000000, 0x80000000, 0x3f800000, 0x3f808000, 0x3f818000, 0x3f807fff,
    0x3f808001, 0xbf818000, 0x3f7fffff, 0xc0490fdb, 0x7f7f7fff, 0x7f7f8000,
    0x7f7fffff, 0x7f800000, 0xff800000, 0x00000001, 0x00008000, 0x00018000,
    0x00008001, 0x807fffff, 0x00800000, 0x7fc00000, 0xffc12345, 0x7f800001};
static uint16_t out[24];

int main(void) {
  round_bf16(in, out);
  for (unsigned i = 0; i < 24; ++i)
    pulptrain_printf("%08x %04x\n", (unsigned)in[i], (unsigned)out[i]);
  return 0;
}
