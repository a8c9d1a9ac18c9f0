//===- FuzzTest.cpp - Random, truncated and bit-flipped inputs -------------===//
//
// The ELF reader, the decoder and the executor must turn any input into a
// clean result or one error message: never a crash or a hang.
//
//===----------------------------------------------------------------------===//

#include "Harness.h"
#include "pulptrain/sim/ElfLoader.h"

#include <gtest/gtest.h>

#include <random>

using namespace pulptrain::sim;
using namespace pulptrain::sim::test;

namespace {

void put16(std::vector<uint8_t> &b, size_t off, uint16_t v) {
  b[off] = uint8_t(v), b[off + 1] = uint8_t(v >> 8);
}
void put32(std::vector<uint8_t> &b, size_t off, uint32_t v) {
  for (int i = 0; i < 4; ++i)
    b[off + i] = uint8_t(v >> (8 * i));
}

/// A minimal valid ELF32 RISC-V executable: one PT_LOAD (RX) at L2 with a
/// loop that stores to PUTC and exits, and one RW data segment in L1.
std::vector<uint8_t> makeElf() {
  std::vector<uint32_t> code = {
      0x1a10f2b7, // lui t0, 0x1a10f
      0x04100313, // li t1, 'A'
      0x0062a023, // sw t1, 0(t0)
      0x0002a223, // sw zero, 4(t0)
  };
  std::vector<uint8_t> b(52 + 2 * 32);
  b[0] = 0x7f, b[1] = 'E', b[2] = 'L', b[3] = 'F', b[4] = 1, b[5] = 1, b[6] = 1;
  put16(b, 16, 2);          // ET_EXEC
  put16(b, 18, 243);        // EM_RISCV
  put32(b, 20, 1);
  put32(b, 24, 0x1c000000); // entry
  put32(b, 28, 52);         // phoff
  put16(b, 40, 52);
  put16(b, 42, 32);
  put16(b, 44, 2);
  uint32_t codeOff = uint32_t(b.size());
  for (uint32_t w : code)
    for (int i = 0; i < 4; ++i)
      b.push_back(uint8_t(w >> (8 * i)));
  uint32_t dataOff = uint32_t(b.size());
  for (int i = 0; i < 16; ++i)
    b.push_back(uint8_t(i));
  // Code segment.
  put32(b, 52 + 0, 1);
  put32(b, 52 + 4, codeOff);
  put32(b, 52 + 8, 0x1c000000);
  put32(b, 52 + 12, 0x1c000000);
  put32(b, 52 + 16, 16);
  put32(b, 52 + 20, 16);
  put32(b, 52 + 24, 5); // R X
  // Data segment in L1, with a zero-filled tail.
  put32(b, 84 + 0, 1);
  put32(b, 84 + 4, dataOff);
  put32(b, 84 + 8, 0x10000000);
  put32(b, 84 + 12, 0x10000000);
  put32(b, 84 + 16, 16);
  put32(b, 84 + 20, 64);
  put32(b, 84 + 24, 6); // R W
  return b;
}

/// Parses, loads and runs an ELF image; returns true if it ran to EXIT.
bool tryRun(const std::vector<uint8_t> &bytes, std::string &error) {
  ElfImage image;
  if (!parseElf(bytes.data(), bytes.size(), image, error))
    return false;
  SimConfig cfg;
  cfg.cores = 2;
  cfg.maxCycles = 20000;
  Cluster cluster(cfg);
  if (!cluster.load(image, error))
    return false;
  FILE *out = tmpfile();
  cluster.setOutput(out);
  RunResult r = cluster.run();
  fclose(out);
  error = r.error;
  return r.ok;
}

TEST(Fuzz, ValidElfRuns) {
  std::string error;
  EXPECT_TRUE(tryRun(makeElf(), error)) << error;
}

TEST(Fuzz, TruncatedElf) {
  std::vector<uint8_t> elf = makeElf();
  for (size_t n = 0; n < elf.size(); ++n) {
    std::vector<uint8_t> t(elf.begin(), elf.begin() + n);
    std::string error;
    bool ok = tryRun(t, error);
    // Only cutting into the unused tail of the data segment can still work.
    if (!ok)
      EXPECT_FALSE(error.empty()) << n;
  }
}

TEST(Fuzz, BitFlippedElf) {
  std::vector<uint8_t> elf = makeElf();
  std::mt19937 rng(1);
  unsigned failures = 0;
  for (int i = 0; i < 4000; ++i) {
    std::vector<uint8_t> t = elf;
    int flips = 1 + int(rng() % 4);
    for (int f = 0; f < flips; ++f)
      t[rng() % t.size()] ^= uint8_t(1u << (rng() % 8));
    std::string error;
    if (!tryRun(t, error)) {
      ++failures;
      EXPECT_FALSE(error.empty());
    }
  }
  EXPECT_GT(failures, 100u);
}

TEST(Fuzz, RandomBytes) {
  std::mt19937 rng(2);
  for (int i = 0; i < 2000; ++i) {
    std::vector<uint8_t> t(rng() % 300);
    for (uint8_t &c : t)
      c = uint8_t(rng());
    if (i % 2 && t.size() >= 4)
      t[0] = 0x7f, t[1] = 'E', t[2] = 'L', t[3] = 'F';
    std::string error;
    EXPECT_FALSE(tryRun(t, error));
    EXPECT_FALSE(error.empty());
  }
}

TEST(Fuzz, RandomInstructionWords) {
  std::mt19937 rng(3);
  // Decoder and disassembler on random words and parcels.
  for (int i = 0; i < 300000; ++i) {
    uint32_t w = rng();
    DecodedInst d;
    decode(uint16_t(w), uint16_t(w >> 16), d);
    (void)disassemble(d);
  }
  // Executing random programs ends in EXIT or one error, never a hang.
  for (int i = 0; i < 300; ++i) {
    std::vector<uint32_t> words(32);
    for (uint32_t &w : words)
      w = rng();
    Harness h(2);
    h.config.maxCycles = 5000;
    h.load(words);
    for (unsigned r = 1; r < 32; ++r)
      h.reg(r, 0) = h.reg(r, 1) = (rng() % 2) ? rng() : 0x10000000 + (rng() % 4096) * 4;
    RunResult res = h.run();
    EXPECT_TRUE(res.ok || !res.error.empty());
  }
}

} // namespace
