/*===- bsp/flash.h - PULP SDK flash API: declared, not supported -*- C -*-===*
 *
 * Types and calls of the SDK's flash driver; pi_flash_open fails with a
 * message and -1, the others fail the same way (see bsp/bsp.h).
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_FLASH_H
#define PULPTRAIN_BSP_FLASH_H

#include <stdint.h>

#include "bsp/unsupported.h"
#include "pmsis.h"

#ifdef __cplusplus
extern "C" {
#endif

/// Common part of every flash configuration.
struct pi_flash_conf {
  void *api;
};

static inline int32_t pi_flash_open(struct pi_device *device) {
  (void)device;
  pulptrain_bsp_unsupported("pi_flash_open");
  return -1;
}

static inline void pi_flash_close(struct pi_device *device) { (void)device; }

static inline int32_t pi_flash_read(struct pi_device *device, uint32_t addr,
                                    void *data, uint32_t size) {
  (void)device, (void)addr, (void)data, (void)size;
  pulptrain_bsp_unsupported("pi_flash_read");
  return -1;
}

static inline int32_t pi_flash_program(struct pi_device *device, uint32_t addr,
                                       const void *data, uint32_t size) {
  (void)device, (void)addr, (void)data, (void)size;
  pulptrain_bsp_unsupported("pi_flash_program");
  return -1;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PULPTRAIN_BSP_FLASH_H */
