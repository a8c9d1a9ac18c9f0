/*===- bsp/flash/hyperflash.h - The hyperflash configuration (not supported) -*- C -*-===*
 *
 * See bsp/bsp.h: the configuration exists, opening the flash fails.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_FLASH_HYPERFLASH_H
#define PULPTRAIN_BSP_FLASH_HYPERFLASH_H

#include "bsp/flash.h"

struct pi_hyperflash_conf {
  struct pi_flash_conf flash;
  int itf;
  int cs;
};

static inline void pi_hyperflash_conf_init(struct pi_hyperflash_conf *conf) {
  conf->flash.api = 0;
  conf->itf = 0;
  conf->cs = 0;
}

#endif /* PULPTRAIN_BSP_FLASH_HYPERFLASH_H */
