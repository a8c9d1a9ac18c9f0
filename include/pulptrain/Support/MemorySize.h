//===- MemorySize.h - The memory-size option syntax of every tool -*- C++
//-*-===//
//
// One parser and one set of diagnostics for the sizes of the simulated
// cluster's memories, shared by pulptrain-run and pulptrain-sim (plain C++:
// the simulator does not link LLVM). pulptrain-cc, a shell script, accepts
// the same forms (test/Tools/memory-size.test runs one list through every
// tool).
//
//===----------------------------------------------------------------------===//

#ifndef PULPTRAIN_SUPPORT_MEMORYSIZE_H
#define PULPTRAIN_SUPPORT_MEMORYSIZE_H

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace pulptrain {

/// The accepted forms, for help texts and diagnostics.
inline constexpr const char *kMemorySizeSyntax =
    "bytes, or a number with the suffix K, KiB, M or MiB";

/// Parses a memory size: decimal digits, optionally followed by `K` or `KiB`
/// (times 1024) or `M` or `MiB` (times 1024 * 1024). Returns nullopt for
/// anything else and for values above 2^40 bytes.
std::optional<uint64_t> parseMemorySize(std::string_view text);

/// The range a memory-size option accepts and why its bound is there.
struct MemorySizeLimits {
  uint64_t min = 0;
  uint64_t max = 0;
  /// Where `max` comes from ("the L1 size").
  std::string_view maxReason;
  /// The value must be a multiple of this (1: any).
  uint64_t align = 1;
};

/// The limits of the simulated L1 and L2 (runtime/include/pulptrain/
/// platform.h): at least a word, a multiple of a word; L1 ends at the
/// cluster peripherals, L2 at the largest the simulator models.
MemorySizeLimits getL1SizeLimits();
MemorySizeLimits getL2SizeLimits();
/// The limits of the simulated L3: 0 (no L3) up to the largest the
/// simulator models, a multiple of a word.
MemorySizeLimits getL3SizeLimits();

/// Parses the value `text` of option `option` ("--l1-size") and checks it
/// against `limits`. Returns the size, or sets `error` to the diagnostic
/// every tool prints (without the tool's prefix) and returns nullopt:
///   --l2-size: bad memory size '12Q' (bytes, or a number with ...)
///   --l2-size=1026 (1026 bytes) is not a multiple of 4 bytes
///   --l1-size=100M (104857600 bytes) is outside [4, 2097152] (...)
std::optional<uint64_t> parseMemorySizeOption(std::string_view option,
                                              std::string_view text,
                                              const MemorySizeLimits &limits,
                                              std::string &error);

} // namespace pulptrain

#endif // PULPTRAIN_SUPPORT_MEMORYSIZE_H
