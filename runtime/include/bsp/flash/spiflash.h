/*===- bsp/flash/spiflash.h - The spiflash configuration (not supported) -*- C -*-===*
 *
 * See bsp/bsp.h: the configuration exists, opening the flash fails.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_FLASH_SPIFLASH_H
#define PULPTRAIN_BSP_FLASH_SPIFLASH_H

#include "bsp/flash.h"

struct pi_spiflash_conf {
  struct pi_flash_conf flash;
  int itf;
  int cs;
};

static inline void pi_spiflash_conf_init(struct pi_spiflash_conf *conf) {
  conf->flash.api = 0;
  conf->itf = 0;
  conf->cs = 0;
}

#endif /* PULPTRAIN_BSP_FLASH_SPIFLASH_H */
