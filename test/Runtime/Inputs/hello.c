#include <pmsis.h>
#include <stdio.h>

/* Placed in L1 by the linker script; loaded by the ELF loader. */
PI_L1 int l1_table[4] = {11, 22, 33, 44};
PI_L2 int l2_value = 5;

int main(void) {
  printf("hello from core %d of %d: %d %d\n", pi_core_id(),
         pi_cl_cluster_nb_cores(), l1_table[2], l2_value);
  return 3;
}
