// bsp/bsp.h and its file-system and flash headers compile as PULP code uses
// them (PULP-TrainLib's test_mobilebert_fp16 opens its weights this way);
// the simulated cluster has neither flash nor file system, so every call that
// needs one prints a message naming it and returns the SDK's error value.
// The program then ends through exit() of <stdlib.h> (which pmsis.h brings
// in, as the SDK's does) with a code the run checks.
//
// RUN: pulptrain-cc -O2 %s -o %t.elf
// RUN: not pulptrain-sim --quiet --cores 8 %t.elf > %t.out 2>&1
// RUN: FileCheck %s < %t.out
// RUN: pulptrain-cc --host -O2 %s -o %t.host
// RUN: env PULPTRAIN_CORES=8 not %t.host > %t.host.out 2>&1
// RUN: FileCheck %s < %t.host.out

#include "pmsis.h"

#include <bsp/bsp.h>
#include <bsp/flash/hyperflash.h>
#include <bsp/flash/spiflash.h>
#include <bsp/fs.h>
#include <bsp/fs/hostfs.h>
#include <bsp/fs/readfs.h>

PI_L1 pi_fs_file_t file; /* a complete type, as in PULP code */
static struct pi_device flash, fs;
static struct pi_hyperflash_conf flash_conf;
static int fs_results[8];

static void cluster_reads(void *arg) {
  pi_fs_file_t *f = arg;
  char buf[4];
  pi_cl_fs_req_t req;
  pi_cl_fs_read(f, buf, sizeof(buf), &req);
  fs_results[pi_core_id()] = (int)pi_cl_fs_wait(&req);
}

int main(void) {
  struct pi_readfs_conf conf;
  pi_readfs_conf_init(&conf);
  struct pi_hostfs_conf host_conf;
  pi_hostfs_conf_init(&host_conf);
  pi_hyperflash_conf_init(&flash_conf);
  pi_open_from_conf(&flash, &flash_conf);
  // CHECK: conf readfs type=0 hostfs type=1 flash=0
  printf("conf readfs type=%d hostfs type=%d flash=%d\n", (int)conf.fs.type,
         (int)host_conf.fs.type, conf.fs.flash != 0);

  // CHECK-NEXT: pulptrain runtime: pi_flash_open: not supported (no flash or file system on the simulated cluster; bsp/ is declared for compatibility only)
  // CHECK-NEXT: pi_flash_open -> -1
  printf("pi_flash_open -> %d\n", (int)pi_flash_open(&flash));
  conf.fs.flash = &flash;
  pi_open_from_conf(&fs, &conf);
  // CHECK-NEXT: pulptrain runtime: pi_fs_mount: not supported
  // CHECK-NEXT: pi_fs_mount -> -1
  printf("pi_fs_mount -> %d\n", (int)pi_fs_mount(&fs));
  // CHECK-NEXT: pulptrain runtime: pi_fs_open: not supported
  // CHECK-NEXT: pi_fs_open -> NULL
  pi_fs_file_t *f = pi_fs_open(&fs, "weights.bin", PI_FS_FLAGS_READ);
  printf("pi_fs_open -> %s\n", f ? "a file" : "NULL");
  char buf[16];
  // CHECK-NEXT: pulptrain runtime: pi_fs_read: not supported
  // CHECK-NEXT: pulptrain runtime: pi_fs_seek: not supported
  // CHECK-NEXT: pulptrain runtime: pi_fs_copy: not supported
  // CHECK-NEXT: pi_fs_read -> -1 seek -> -1 copy -> -1
  int r = (int)pi_fs_read(&file, buf, sizeof(buf));
  int s = (int)pi_fs_seek(&file, 4);
  int c = (int)pi_fs_copy(&file, 0, buf, sizeof(buf), 1);
  printf("pi_fs_read -> %d seek -> %d copy -> %d\n", r, s, c);

  /* The cluster-side requests fail on every core of the team (core 0
     prints the message). */
  pi_cl_team_fork(8, cluster_reads, &file);
  int failed = 0;
  for (int i = 0; i < 8; i++)
    failed += fs_results[i] == -1;
  // CHECK-NEXT: pulptrain runtime: pi_cl_fs_read: not supported
  // CHECK-NEXT: pi_cl_fs_read failed on 8 cores
  printf("pi_cl_fs_read failed on %d cores\n", failed);
  pi_fs_close(f);
  pi_fs_unmount(&fs);
  pi_flash_close(&flash);
  if (f == NULL)
    exit(3); /* as PULP code does when a file does not open */
  return 0;
}
