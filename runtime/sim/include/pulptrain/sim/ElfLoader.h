//===- ElfLoader.h - ELF32 RISC-V executable reader -------------*- C++ -*-===//
//
// A bounds-checked reader of ELF32 little-endian RISC-V executables: it
// returns the entry point and the PT_LOAD segments (placed at p_paddr) or
// one clear error message for corrupt, truncated or foreign files.
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SIM_ELFLOADER_H
#define PULPTRAIN_SIM_ELFLOADER_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace pulptrain::sim {

struct ElfSegment {
  uint32_t addr = 0;     ///< Load (physical) address.
  uint32_t memSize = 0;  ///< Bytes in memory; the tail past `data` is zero.
  std::vector<uint8_t> data;
  bool executable = false;
};

struct ElfImage {
  uint32_t entry = 0;
  std::vector<ElfSegment> segments;
};

/// Parses an in-memory ELF file. Returns false and sets `error` on failure.
bool parseElf(const uint8_t *bytes, size_t size, ElfImage &image,
              std::string &error);
/// Reads and parses a file.
bool readElfFile(const std::string &path, ElfImage &image, std::string &error);

} // namespace pulptrain::sim

#endif // PULPTRAIN_SIM_ELFLOADER_H
