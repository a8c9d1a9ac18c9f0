/*===- bsp/fs.h - PULP SDK file-system API: declared, not supported -*- C -*-===*
 *
 * The types, enumerators and calls of the SDK's file-system driver (names
 * and values as in the PULP SDK's bsp/fs.h). There is no file system on the
 * simulated cluster: pi_fs_mount prints a message and returns -1,
 * pi_fs_open prints one and returns NULL, and every transfer prints one and
 * returns -1 (see bsp/bsp.h). Configuration initializers and the
 * unmount/close calls work (they touch no device).
 *===----------------------------------------------------------------------===*/

#ifndef PULPTRAIN_BSP_FS_H
#define PULPTRAIN_BSP_FS_H

#include <stdbool.h>
#include <stdint.h>

#include "bsp/unsupported.h"
#include "pmsis.h"

#ifdef __cplusplus
extern "C" {
#endif

/// File-system kinds.
typedef enum {
  PI_FS_READ_ONLY = 0,
  PI_FS_HOST = 1,
  PI_FS_LFS = 2,
} pi_fs_type_e;

/// pi_fs_open flags.
typedef enum {
  PI_FS_FLAGS_READ = 0,
  PI_FS_FLAGS_WRITE = 1,
  PI_FS_FLAGS_APPEND = 2,
} pi_fs_flags_e;

typedef struct pi_fs_api_s pi_fs_api_t;

/// File-system configuration (fields of the SDK).
struct pi_fs_conf {
  pi_fs_type_e type;
  struct pi_device *flash;
  char *partition_name;
  bool auto_format;
  pi_fs_api_t *api;
};

/// An open file. Never returned here; complete so that code can declare one.
typedef struct pi_fs_file_s {
  struct pi_device *fs;
  uint32_t size;
  uint32_t offset;
} pi_fs_file_t;

/// Request of the cluster-side calls pi_cl_fs_read / pi_cl_fs_copy.
typedef struct pi_cl_fs_req_s {
  pi_fs_file_t *file;
  int32_t result;
} pi_cl_fs_req_t;

static inline void pi_fs_conf_init(struct pi_fs_conf *conf) {
  conf->type = PI_FS_READ_ONLY;
  conf->flash = 0;
  conf->partition_name = 0;
  conf->auto_format = false;
  conf->api = 0;
}

static inline int32_t pi_fs_mount(struct pi_device *device) {
  (void)device;
  pulptrain_bsp_unsupported("pi_fs_mount");
  return -1;
}

static inline void pi_fs_unmount(struct pi_device *device) { (void)device; }

static inline pi_fs_file_t *pi_fs_open(struct pi_device *device,
                                       const char *file, int flags) {
  (void)device, (void)file, (void)flags;
  pulptrain_bsp_unsupported("pi_fs_open");
  return 0;
}

static inline void pi_fs_close(pi_fs_file_t *file) { (void)file; }

static inline int32_t pi_fs_read(pi_fs_file_t *file, void *buffer,
                                 uint32_t size) {
  (void)file, (void)buffer, (void)size;
  pulptrain_bsp_unsupported("pi_fs_read");
  return -1;
}

static inline int32_t pi_fs_direct_read(pi_fs_file_t *file, void *buffer,
                                        uint32_t size) {
  (void)file, (void)buffer, (void)size;
  pulptrain_bsp_unsupported("pi_fs_direct_read");
  return -1;
}

static inline int32_t pi_fs_write(pi_fs_file_t *file, void *buffer,
                                  uint32_t size) {
  (void)file, (void)buffer, (void)size;
  pulptrain_bsp_unsupported("pi_fs_write");
  return -1;
}

static inline int32_t pi_fs_seek(pi_fs_file_t *file, unsigned int offset) {
  (void)file, (void)offset;
  pulptrain_bsp_unsupported("pi_fs_seek");
  return -1;
}

static inline int32_t pi_fs_copy(pi_fs_file_t *file, uint32_t index,
                                 void *buffer, uint32_t size,
                                 int32_t ext2loc) {
  (void)file, (void)index, (void)buffer, (void)size, (void)ext2loc;
  pulptrain_bsp_unsupported("pi_fs_copy");
  return -1;
}

static inline int32_t pi_fs_copy_2d(pi_fs_file_t *file, uint32_t index,
                                    void *buffer, uint32_t size,
                                    uint32_t stride, uint32_t length,
                                    int32_t ext2loc) {
  (void)file, (void)index, (void)buffer, (void)size, (void)stride,
      (void)length, (void)ext2loc;
  pulptrain_bsp_unsupported("pi_fs_copy_2d");
  return -1;
}

/// Cluster side: the request records -1, which pi_cl_fs_wait returns. Only
/// core 0 prints the message (characters from several cores would mix).
static inline void pi_cl_fs_read(pi_fs_file_t *file, void *buffer,
                                 uint32_t size, pi_cl_fs_req_t *req) {
  (void)buffer, (void)size;
  if (pi_core_id() == 0)
    pulptrain_bsp_unsupported("pi_cl_fs_read");
  req->file = file;
  req->result = -1;
}

static inline void pi_cl_fs_copy(pi_fs_file_t *file, uint32_t index,
                                 void *buffer, uint32_t size, int32_t ext2loc,
                                 pi_cl_fs_req_t *req) {
  (void)index, (void)buffer, (void)size, (void)ext2loc;
  if (pi_core_id() == 0)
    pulptrain_bsp_unsupported("pi_cl_fs_copy");
  req->file = file;
  req->result = -1;
}

static inline int32_t pi_cl_fs_wait(pi_cl_fs_req_t *req) {
  return req->result;
}

#ifdef __cplusplus
} /* extern "C" */
#endif

#endif /* PULPTRAIN_BSP_FS_H */
