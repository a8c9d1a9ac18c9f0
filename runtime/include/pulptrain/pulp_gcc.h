/*===- pulp_gcc.h - The types and builtins PULP's GCC has built in -*- C -*-===*
 *
 * PULP C code is written for PULP's GCC, which has the scalar types float16
 * and float16alt, GCC's __builtin_shuffle and the __builtin_pulp_* DSP
 * builtins (pulptrain/pulp_builtins.h) built in, and for the SDK's headers,
 * which add the 32-bit SIMD vector types. pulptrain-cc includes this
 * header before every C source (as if the compiler had them built in) and
 * pmsis.h includes it too. -DPULPTRAIN_NO_PULP_GCC leaves it empty, for code
 * that defines these names itself.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_PULP_GCC_H
#define PULPTRAIN_PULP_GCC_H

#if !defined(__ASSEMBLER__) && !defined(PULPTRAIN_NO_PULP_GCC)

/*--- PULP GCC types --------------------------------------------------------*/

/* float16 (IEEE binary16) is clang's _Float16: Zhinx instructions on the
   cluster. float16alt (bfloat16) is clang's __bf16: each operation is done
   in float and rounded back to nearest even (the runtime's __truncsfbf2),
   one rounding per operation as on a bfloat16 FPU. The vectors are GCC
   vector_size types, which clang supports with GCC's semantics: lane-wise
   + - * / and comparisons, subscripts, casts between vectors of the same
   size, {a, b} initializers.
   The vector types are the four of the SDK's hal headers. v2f16 is not
   defined: PULP code defines it itself, over float16 or over float16alt
   (PULP-TrainLib: `typedef float16alt fp16; typedef fp16 v2f16
   __attribute__((vector_size(4)))`), and a second definition over the other
   type would not compile. Nothing else is defined at file scope but names
   starting with pulptrain_ / PULPTRAIN_ and __builtin_. */

typedef _Float16 float16;
typedef __bf16 float16alt;

typedef signed short v2s __attribute__((vector_size(4)));
typedef unsigned short v2u __attribute__((vector_size(4)));
typedef signed char v4s __attribute__((vector_size(4)));
typedef unsigned char v4u __attribute__((vector_size(4)));

/* The two half-precision vectors, for __builtin_shuffle below. */
typedef float16 pulptrain_v2f16_t __attribute__((vector_size(4)));
typedef float16alt pulptrain_v2bf16_t __attribute__((vector_size(4)));

/*--- GCC's __builtin_shuffle -------------------------------------------------*
 * clang has no __builtin_shuffle, and its __builtin_shufflevector takes no  *
 * mask vector for two inputs. __builtin_shuffle(a, mask) and               *
 * __builtin_shuffle(a, b, mask) call pulptrain_shuffle, overloaded for the *
 * PULP vector types: 2 lanes of 16 bits (v2s, v2u, and float16 or          *
 * float16alt lanes, so any v2f16) with a v2s or v2u mask, and 4 lanes of   *
 * 8 bits (v4s, v4u) with a v4s or v4u mask. GCC's semantics: the result    *
 * has a's type; lane i is a[mask[i] mod N], or lane mask[i] mod 2N of the  *
 * concatenation a:b, for N lanes (the one-vector form is clang's           *
 * __builtin_shufflevector with a mask vector). The functions are always    *
 * inlined; with a constant mask and -O1 or more LLVM folds them into       *
 * shufflevector instructions. Other vector types, or a mask of another    *
 * lane count, are clang errors: "no matching function for call to          *
 * 'pulptrain_shuffle'" or "call to 'pulptrain_shuffle' is ambiguous".       */

#if !defined(__has_builtin) || !__has_builtin(__builtin_shuffle)
#define PULPTRAIN_SHUFFLE_DEF(V, M, N)                                        \
  static inline __attribute__((overloadable, always_inline)) V                \
  pulptrain_shuffle(V a, M mask) {                                            \
    return __builtin_shufflevector(a, mask);                                  \
  }                                                                           \
  static inline __attribute__((overloadable, always_inline)) V                \
  pulptrain_shuffle(V a, V b, M mask) {                                       \
    V r;                                                                      \
    for (unsigned i = 0; i < (N); i++) {                                      \
      unsigned k = (unsigned)mask[i] % (2 * (N));                             \
      r[i] = k < (N) ? a[k] : b[k - (N)];                                     \
    }                                                                         \
    return r;                                                                 \
  }
PULPTRAIN_SHUFFLE_DEF(v2s, v2s, 2)
PULPTRAIN_SHUFFLE_DEF(v2s, v2u, 2)
PULPTRAIN_SHUFFLE_DEF(v2u, v2s, 2)
PULPTRAIN_SHUFFLE_DEF(v2u, v2u, 2)
PULPTRAIN_SHUFFLE_DEF(pulptrain_v2f16_t, v2s, 2)
PULPTRAIN_SHUFFLE_DEF(pulptrain_v2f16_t, v2u, 2)
PULPTRAIN_SHUFFLE_DEF(pulptrain_v2bf16_t, v2s, 2)
PULPTRAIN_SHUFFLE_DEF(pulptrain_v2bf16_t, v2u, 2)
PULPTRAIN_SHUFFLE_DEF(v4s, v4s, 4)
PULPTRAIN_SHUFFLE_DEF(v4s, v4u, 4)
PULPTRAIN_SHUFFLE_DEF(v4u, v4s, 4)
PULPTRAIN_SHUFFLE_DEF(v4u, v4u, 4)
#undef PULPTRAIN_SHUFFLE_DEF
/* Variadic: a compound-literal mask such as (v2s){1, 0} has a comma the
   preprocessor splits on; the call re-joins the arguments. */
#define __builtin_shuffle(...) pulptrain_shuffle(__VA_ARGS__)
#endif

/* PULP GCC's __builtin_pulp_* functions. */
#include "pulptrain/pulp_builtins.h"

#endif /* !__ASSEMBLER__ && !PULPTRAIN_NO_PULP_GCC */

#endif /* PULPTRAIN_PULP_GCC_H */
