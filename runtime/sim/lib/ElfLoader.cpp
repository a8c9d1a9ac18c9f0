//===- ElfLoader.cpp - ELF32 RISC-V executable reader ---------------------===//

#include "pulptrain/sim/ElfLoader.h"

#include <cerrno>
#include <cstdio>
#include <cstring>

using namespace pulptrain::sim;

namespace {
uint16_t rd16(const uint8_t *p) { return uint16_t(p[0] | (p[1] << 8)); }
uint32_t rd32(const uint8_t *p) {
  return uint32_t(p[0]) | (uint32_t(p[1]) << 8) | (uint32_t(p[2]) << 16) |
         (uint32_t(p[3]) << 24);
}
constexpr unsigned EM_RISCV = 243;
constexpr unsigned PT_LOAD = 1;
constexpr unsigned PF_X = 1;
} // namespace

bool pulptrain::sim::parseElf(const uint8_t *b, size_t size, ElfImage &image,
                              std::string &error) {
  image = ElfImage();
  if (size < 4 || std::memcmp(b, "\x7f" "ELF", 4) != 0) {
    error = "not an ELF file (bad magic)";
    return false;
  }
  if (size < 52) {
    error = "truncated ELF header";
    return false;
  }
  if (b[4] != 1) {
    error = "not a 32-bit ELF file (EI_CLASS " + std::to_string(b[4]) + ")";
    return false;
  }
  if (b[5] != 1) {
    error = "not a little-endian ELF file";
    return false;
  }
  unsigned machine = rd16(b + 18);
  if (machine != EM_RISCV) {
    error = "not a RISC-V ELF file (e_machine " + std::to_string(machine) + ")";
    return false;
  }
  unsigned type = rd16(b + 16);
  if (type != 2) {
    error = "not an executable ELF file (e_type " + std::to_string(type) +
            "); link the program first";
    return false;
  }
  image.entry = rd32(b + 24);
  uint32_t phoff = rd32(b + 28);
  unsigned phentsize = rd16(b + 42), phnum = rd16(b + 44);
  if (phnum == 0) {
    error = "ELF file has no program headers";
    return false;
  }
  if (phentsize < 32) {
    error = "bad ELF program header size " + std::to_string(phentsize);
    return false;
  }
  if (uint64_t(phoff) + uint64_t(phentsize) * phnum > size) {
    error = "truncated ELF file: program headers extend past the end";
    return false;
  }
  for (unsigned i = 0; i < phnum; ++i) {
    const uint8_t *ph = b + phoff + size_t(i) * phentsize;
    if (rd32(ph) != PT_LOAD)
      continue;
    uint32_t offset = rd32(ph + 4), paddr = rd32(ph + 12);
    uint32_t filesz = rd32(ph + 16), memsz = rd32(ph + 20);
    uint32_t flags = rd32(ph + 24);
    if (memsz == 0)
      continue;
    if (filesz > memsz) {
      error = "bad ELF segment " + std::to_string(i) +
              ": file size larger than memory size";
      return false;
    }
    if (uint64_t(offset) + filesz > size) {
      error = "truncated ELF file: segment " + std::to_string(i) +
              " extends past the end of the file";
      return false;
    }
    if (uint64_t(paddr) + memsz > 0x100000000ull) {
      error = "bad ELF segment " + std::to_string(i) +
              ": wraps around the address space";
      return false;
    }
    ElfSegment seg;
    seg.addr = paddr;
    seg.memSize = memsz;
    seg.data.assign(b + offset, b + offset + filesz);
    seg.executable = flags & PF_X;
    image.segments.push_back(std::move(seg));
  }
  if (image.segments.empty()) {
    error = "ELF file has no loadable segment";
    return false;
  }
  return true;
}

bool pulptrain::sim::readElfFile(const std::string &path, ElfImage &image,
                                 std::string &error) {
  FILE *f = std::fopen(path.c_str(), "rb");
  if (!f) {
    error = "cannot open '" + path + "': " + std::strerror(errno);
    return false;
  }
  std::vector<uint8_t> bytes;
  uint8_t buf[65536];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) {
    bytes.insert(bytes.end(), buf, buf + n);
    if (bytes.size() > (256u << 20)) {
      std::fclose(f);
      error = "'" + path + "' is larger than 256 MiB; not a program";
      return false;
    }
  }
  bool readError = std::ferror(f);
  std::fclose(f);
  if (readError) {
    error = "cannot read '" + path + "'";
    return false;
  }
  if (!parseElf(bytes.data(), bytes.size(), image, error)) {
    error = "'" + path + "': " + error;
    return false;
  }
  return true;
}
