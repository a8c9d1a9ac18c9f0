//===- MemorySize.cpp - The memory-size option syntax of every tool -------===//
//
// Parses and checks the memory sizes given to pulptrain-run and
// pulptrain-sim.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Support/MemorySize.h"

#include "pulptrain/platform.h"

using namespace pulptrain;

/// Large enough for every memory, small enough that no suffix overflows.
static constexpr uint64_t kMaxMemorySize = uint64_t(1) << 40;

std::optional<uint64_t> pulptrain::parseMemorySize(std::string_view text) {
  size_t digits = 0;
  uint64_t value = 0;
  for (; digits < text.size() && text[digits] >= '0' && text[digits] <= '9';
       ++digits) {
    value = value * 10 + uint64_t(text[digits] - '0');
    if (value > kMaxMemorySize)
      return std::nullopt;
  }
  if (digits == 0)
    return std::nullopt;
  std::string_view suffix = text.substr(digits);
  uint64_t unit = 1;
  if (suffix == "K" || suffix == "KiB")
    unit = uint64_t(1) << 10;
  else if (suffix == "M" || suffix == "MiB")
    unit = uint64_t(1) << 20;
  else if (!suffix.empty())
    return std::nullopt;
  if (value > kMaxMemorySize / unit)
    return std::nullopt;
  return value * unit;
}

MemorySizeLimits pulptrain::getL1SizeLimits() {
  return {PULPTRAIN_MEMORY_SIZE_ALIGN, PULPTRAIN_L1_MAX_SIZE,
          "L1 ends at the cluster peripherals", PULPTRAIN_MEMORY_SIZE_ALIGN};
}

MemorySizeLimits pulptrain::getL2SizeLimits() {
  return {PULPTRAIN_MEMORY_SIZE_ALIGN, PULPTRAIN_L2_MAX_SIZE,
          "the largest L2 of the simulator", PULPTRAIN_MEMORY_SIZE_ALIGN};
}

MemorySizeLimits pulptrain::getL3SizeLimits() {
  return {0, PULPTRAIN_L3_MAX_SIZE, "the largest L3 of the simulator",
          PULPTRAIN_MEMORY_SIZE_ALIGN};
}

std::optional<uint64_t>
pulptrain::parseMemorySizeOption(std::string_view option, std::string_view text,
                                 const MemorySizeLimits &limits,
                                 std::string &error) {
  std::optional<uint64_t> bytes = parseMemorySize(text);
  if (!bytes) {
    error = std::string(option) + ": bad memory size '" + std::string(text) +
            "' (" + kMemorySizeSyntax + ")";
    return std::nullopt;
  }
  std::string given = std::string(option) + "=" + std::string(text) + " (" +
                      std::to_string(*bytes) + " bytes)";
  if (limits.align > 1 && *bytes % limits.align) {
    error = given + " is not a multiple of " + std::to_string(limits.align) +
            " bytes";
    return std::nullopt;
  }
  if (*bytes < limits.min || *bytes > limits.max) {
    error = given + " is outside [" + std::to_string(limits.min) + ", " +
            std::to_string(limits.max) + "] (" + std::string(limits.maxReason) +
            ")";
    return std::nullopt;
  }
  return bytes;
}
