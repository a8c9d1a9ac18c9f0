//===- Harness.h - Run instruction words on a simulated core ----*- C++ -*-===//

#ifndef PULPTRAIN_UNITTESTS_SIM_HARNESS_H
#define PULPTRAIN_UNITTESTS_SIM_HARNESS_H

#include "pulptrain/sim/Cluster.h"

#include <cstdio>
#include <cstring>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace pulptrain::sim::test {

/// The llvm-mc encoding of an instruction text from Encodings.def.
inline uint32_t enc(const std::string &text) {
  static const std::map<std::string, uint32_t> table = [] {
    std::map<std::string, uint32_t> m;
#define ENCODING(BYTES, WORD, TEXT)                                            \
  if (BYTES == 4)                                                              \
    m[TEXT] = WORD;
#include "Encodings.def"
#undef ENCODING
    return m;
  }();
  auto it = table.find(text);
  if (it == table.end()) {
    fprintf(stderr, "no encoding for '%s'\n", text.c_str());
    abort();
  }
  return it->second;
}

/// A one-segment program in L2 running on a cluster; the words are
/// followed by "lui t6, 0x1a10f; sw zero, 4(t6)" (EXIT 0).
struct Harness {
  SimConfig config;
  std::unique_ptr<Cluster> cluster;
  RunResult result;
  FILE *out = nullptr;

  explicit Harness(unsigned cores = 1) { config.cores = cores; }

  Core &core(unsigned i = 0) { return cluster->core(i); }
  uint32_t &reg(unsigned r, unsigned c = 0) { return core(c).x[r]; }

  /// Loads the program; registers may be set before run().
  void load(std::vector<uint32_t> words) {
    words.push_back(0x1a10ffb7); // lui t6, 0x1a10f
    words.push_back(0x000fa223); // sw zero, 4(t6)
    ElfImage image;
    image.entry = PULPTRAIN_L2_BASE;
    ElfSegment code;
    code.addr = PULPTRAIN_L2_BASE;
    code.memSize = uint32_t(words.size() * 4);
    code.data.resize(code.memSize);
    std::memcpy(code.data.data(), words.data(), code.memSize);
    code.executable = true;
    image.segments.push_back(code);
    cluster = std::make_unique<Cluster>(config);
    std::string err;
    if (!cluster->load(image, err))
      abort();
    out = tmpfile();
    cluster->setOutput(out);
  }
  RunResult run() {
    result = cluster->run();
    return result;
  }
  /// Loads, sets a0..a3 (x10..x13) and runs.
  RunResult exec(std::vector<uint32_t> words, uint32_t a0 = 0, uint32_t a1 = 0,
                 uint32_t a2 = 0, uint32_t a3 = 0) {
    load(std::move(words));
    reg(10) = a0, reg(11) = a1, reg(12) = a2, reg(13) = a3;
    return run();
  }
  uint8_t *l1(uint32_t offset) {
    return cluster->memory().l1(PULPTRAIN_L1_BASE + offset, 4);
  }
  uint64_t counter(unsigned c, unsigned core = 0) {
    return cluster->core(core).counters.total[c];
  }
  ~Harness() {
    if (out)
      fclose(out);
  }
};

} // namespace pulptrain::sim::test

#endif
