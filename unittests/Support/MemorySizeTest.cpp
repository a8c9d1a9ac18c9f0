//===- MemorySizeTest.cpp - The memory-size option syntax -----------------===//

#include "pulptrain/Support/MemorySize.h"

#include <gtest/gtest.h>

using namespace pulptrain;

namespace {

TEST(MemorySize, AcceptedForms) {
  EXPECT_EQ(parseMemorySize("0"), 0u);
  EXPECT_EQ(parseMemorySize("131072"), 131072u);
  EXPECT_EQ(parseMemorySize("128K"), 131072u);
  EXPECT_EQ(parseMemorySize("128KiB"), 131072u);
  EXPECT_EQ(parseMemorySize("2M"), 2097152u);
  EXPECT_EQ(parseMemorySize("2MiB"), 2097152u);
  EXPECT_EQ(parseMemorySize("1099511627776"), uint64_t(1) << 40);
  EXPECT_EQ(parseMemorySize("1048576M"), uint64_t(1) << 40);
}

TEST(MemorySize, RejectedForms) {
  for (const char *text :
       {"", "K", "12Q", "128k", "128KB", "1MB", "1G", "0x100", "-4", "+4", " 4",
        "4 ", "1.5M", "1099511627777", "1048577M", "99999999999999999999999"})
    EXPECT_EQ(parseMemorySize(text), std::nullopt) << "'" << text << "'";
}

TEST(MemorySize, Diagnostics) {
  std::string error;
  MemorySizeLimits l2 = getL2SizeLimits();
  EXPECT_EQ(parseMemorySizeOption("--l2-size", "4M", l2, error), 4194304u);
  EXPECT_EQ(parseMemorySizeOption("--l2-size", "12Q", l2, error), std::nullopt);
  EXPECT_EQ(error, "--l2-size: bad memory size '12Q' (bytes, or a number "
                   "with the suffix K, KiB, M or MiB)");
  EXPECT_EQ(parseMemorySizeOption("--l2-size", "1026", l2, error),
            std::nullopt);
  EXPECT_EQ(error, "--l2-size=1026 (1026 bytes) is not a multiple of 4 bytes");
  EXPECT_EQ(
      parseMemorySizeOption("--l1-size", "100M", getL1SizeLimits(), error),
      std::nullopt);
  EXPECT_EQ(error, "--l1-size=100M (104857600 bytes) is outside [4, 2097152] "
                   "(L1 ends at the cluster peripherals)");
  EXPECT_EQ(parseMemorySizeOption("--l1-size", "0", getL1SizeLimits(), error),
            std::nullopt);
  EXPECT_EQ(error, "--l1-size=0 (0 bytes) is outside [4, 2097152] (L1 ends "
                   "at the cluster peripherals)");
}

} // namespace
