// Runs one training step of examples/tutorial_cnn/train_step.mlir on fixed
// pseudo-random data and prints the loss's bits, a hash of every updated
// weight and the cycles of the step.
#include "pulptrain_rt.h"

#include <stdint.h>
#include <string.h>

void train_step(const float *input, const float *label, const float *conv_w,
                const float *fc_w, float *loss, float *new_conv_w,
                float *new_fc_w);

static float input[8 * 8 * 8], label[32], conv_w[16 * 8 * 3 * 3],
    fc_w[32 * 576], loss, new_conv_w[16 * 8 * 3 * 3], new_fc_w[32 * 576];

static uint32_t seed = 12345u;
static float next_value(void) {
  seed = seed * 1664525u + 1013904223u;
  return (float)((int32_t)(seed >> 8) - (1 << 23)) / (float)(1 << 23) * 0.5f;
}

static uint32_t hash(const void *data, unsigned size) {
  const uint8_t *bytes = (const uint8_t *)data;
  uint32_t h = 2166136261u;
  for (unsigned i = 0; i < size; ++i)
    h = (h ^ bytes[i]) * 16777619u;
  return h;
}

int main(void) {
  for (unsigned i = 0; i < sizeof(input) / 4; ++i)
    input[i] = next_value();
  for (unsigned i = 0; i < sizeof(label) / 4; ++i)
    label[i] = next_value();
  for (unsigned i = 0; i < sizeof(conv_w) / 4; ++i)
    conv_w[i] = next_value() * 0.25f;
  for (unsigned i = 0; i < sizeof(fc_w) / 4; ++i)
    fc_w[i] = next_value() * 0.05f;
  pulptrain_perf_reset();
  pulptrain_perf_start();
  train_step(input, label, conv_w, fc_w, &loss, new_conv_w, new_fc_w);
  pulptrain_perf_stop();
  uint32_t cycles = pulptrain_perf_read(PULPTRAIN_PERF_EV_CYCLES);
  uint32_t loss_bits;
  memcpy(&loss_bits, &loss, 4);
  pulptrain_printf("loss 0x%08x\n", loss_bits);
  pulptrain_printf("conv_w 0x%08x\n", hash(new_conv_w, sizeof(new_conv_w)));
  pulptrain_printf("fc_w 0x%08x\n", hash(new_fc_w, sizeof(new_fc_w)));
  pulptrain_printf("cycles %u\n", cycles);
  return 0;
}
