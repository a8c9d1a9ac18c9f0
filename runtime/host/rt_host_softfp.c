/*===- rt_host_softfp.c - bfloat16 rounding helpers for host builds -------===*
 *
 * The host's libgcc (GCC 12) has no __truncsfbf2/__truncdfbf2 either, which
 * clang calls for __bf16 arithmetic on x86-64 without AVX512-BF16: reuse the
 * riscv32 implementation (round to nearest even, NaN kept).
 *===----------------------------------------------------------------------===*/

#if defined(__clang__)
#define PT_SOFTFP_BF16_ONLY 1
#include "rt_softfp.c"
#endif
