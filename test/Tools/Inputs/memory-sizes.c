// Prints the memory sizes the simulator was configured with.
#include "pulptrain_rt.h"

int main(void) {
  pulptrain_printf("l1 %u l2 %u\n", (unsigned)pulptrain_l1_size(),
                   (unsigned)pulptrain_l2_size());
  return 0;
}
