/*===- bsp/fs/readfs.h - The readfs configuration (not supported) -*- C -*-===*
 *
 * See bsp/fs.h: the configuration exists, mounting fails.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_FS_READFS_H
#define PULPTRAIN_BSP_FS_READFS_H

#include "bsp/fs.h"

struct pi_readfs_conf {
  struct pi_fs_conf fs;
};

static inline void pi_readfs_conf_init(struct pi_readfs_conf *conf) {
  pi_fs_conf_init(&conf->fs);
  conf->fs.type = PI_FS_READ_ONLY;
}

#endif /* PULPTRAIN_BSP_FS_READFS_H */
