/*===- bsp/fs/hostfs.h - The hostfs configuration (not supported) -*- C -*-===*
 *
 * See bsp/fs.h: the configuration exists, mounting fails.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_FS_HOSTFS_H
#define PULPTRAIN_BSP_FS_HOSTFS_H

#include "bsp/fs.h"

struct pi_hostfs_conf {
  struct pi_fs_conf fs;
};

static inline void pi_hostfs_conf_init(struct pi_hostfs_conf *conf) {
  pi_fs_conf_init(&conf->fs);
  conf->fs.type = PI_FS_HOST;
}

#endif /* PULPTRAIN_BSP_FS_HOSTFS_H */
