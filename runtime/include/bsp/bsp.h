/*===- bsp/bsp.h - PULP SDK board support: declared, not supported -*- C -*-===*
 *
 * PULP code includes the SDK's board support package for its file system
 * and flash types (PULP-TrainLib's pulp_mhsa_fp16.h includes bsp/bsp.h and
 * bsp/fs/readfs.h). The simulated cluster has no flash, no host file system
 * and no external RAM: these headers let such code compile, and every
 * operation that would touch a device prints a message naming the call and
 * returns the SDK's error value (-1, or NULL for pi_fs_open). Data goes into
 * a program through initialized arrays (e.g. generated headers), or through
 * pulptrain-run's model inputs.
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_BSP_H
#define PULPTRAIN_BSP_BSP_H

#include "bsp/flash.h"
#include "bsp/fs.h"

#endif /* PULPTRAIN_BSP_BSP_H */
