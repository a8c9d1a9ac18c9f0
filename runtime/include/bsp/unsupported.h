/*===- bsp/unsupported.h - The message of the unsupported BSP calls -*- C -*-==*
 *
 * Shared by the bsp/ headers (see bsp/bsp.h).
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_UNSUPPORTED_H
#define PULPTRAIN_BSP_UNSUPPORTED_H

#include <stdio.h>

/// Reports that `call` needs a device the simulated cluster does not have.
/// (Standard output is flushed first, so the message comes in order.)
static inline void pulptrain_bsp_unsupported(const char *call) {
  fflush(stdout);
  fprintf(stderr,
          "pulptrain runtime: %s: not supported (no flash or file system on "
          "the simulated cluster; bsp/ is declared for compatibility only)\n",
          call);
}

#endif /* PULPTRAIN_BSP_UNSUPPORTED_H */
