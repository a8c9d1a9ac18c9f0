//===- pulptrain-sim.cpp - Command line of the PULP cluster simulator -----===//
//
// Loads an ELF32 RISC-V program, runs it on the simulated cluster and
// prints the counter summary. Exit status: the program's EXIT value, or 2
// (plus one message on stderr) when the simulation itself fails.
//
//===----------------------------------------------------------------------===//

#include "pulptrain/Support/MemorySize.h"
#include "pulptrain/sim/Cluster.h"
#include "pulptrain/sim/ElfLoader.h"
#include "pulptrain/sim/Stats.h"

#include <CLI/CLI.hpp>

#include <cstdio>
#include <optional>
#include <string>
#include <string_view>

using namespace pulptrain::sim;

static constexpr int SimErrorExit = 2;

static int error(const std::string &msg) {
  fflush(stdout);
  fprintf(stderr, "pulptrain-sim: error: %s\n", msg.c_str());
  return SimErrorExit;
}

/// Parses a memory-size option into `out`; false after a diagnostic.
static bool parseSize(std::string_view option, const std::string &text,
                      const pulptrain::MemorySizeLimits &limits,
                      uint32_t &out) {
  std::string message;
  std::optional<uint64_t> bytes =
      pulptrain::parseMemorySizeOption(option, text, limits, message);
  if (!bytes) {
    error(message);
    return false;
  }
  out = uint32_t(*bytes);
  return true;
}

/// The value of --preset in argv (the last one), or "ideal".
static std::string findPreset(int argc, char **argv) {
  std::string preset = "ideal";
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "--preset" && i + 1 < argc)
      preset = argv[++i];
    else if (arg.substr(0, 9) == "--preset=")
      preset = std::string(arg.substr(9));
  }
  return preset;
}

int main(int argc, char **argv) {
  CLI::App app{"pulptrain-sim: cycle-approximate PULP cluster simulator"};
  SimConfig cfg;
  // The preset sets the defaults; every other option given overrides it.
  std::string preset = findPreset(argc, argv);
  if (!applyPreset(preset, cfg))
    return error("unknown preset '" + preset + "' (--preset: " +
                 presetNames() + ")");
  std::string elf, statsJson, traceFile, l1Size, l2Size, l3Size;
  bool quiet = false, trace = false;
  std::string icache = cfg.icache ? "on" : "off";
  app.add_option("program", elf, "ELF32 RISC-V executable")->required();
  app.add_option("--preset", preset,
                 std::string("timing model the other options start from (") +
                     presetNames() + "; default ideal)");
  app.add_option("--cores", cfg.cores, "number of cores (1-16)")
      ->capture_default_str()->check(CLI::Range(1, 16));
  app.add_option("--l1-size", l1Size,
                 std::string("L1 TCDM size (") + pulptrain::kMemorySizeSyntax +
                     "; default 128K)");
  app.add_option("--l2-size", l2Size,
                 std::string("L2 size (") + pulptrain::kMemorySizeSyntax +
                     "; default 1M)");
  app.add_option("--l3-size", l3Size,
                 std::string("external L3 size, reached only by the L3 DMA (") +
                     pulptrain::kMemorySizeSyntax + "; default 0: no L3)");
  app.add_option("--l3-bytes-per-cycle", cfg.l3BytesPerCycle,
                 "L3 DMA bytes per cycle once data moves")
      ->capture_default_str()->check(CLI::Range(1, 4096));
  app.add_option("--l3-latency", cfg.l3Latency,
                 "fixed cycles of every L3 DMA transfer")
      ->capture_default_str()->check(CLI::Range(0, 100000));
  app.add_option("--l2-latency", cfg.l2Latency,
                 "cycles of an L2 load/store")->capture_default_str()
      ->check(CLI::Range(1, 1000));
  app.add_option("--load-use-stall", cfg.loadUseStall,
                 "stall cycles when a load result is used next")
      ->capture_default_str();
  app.add_option("--branch-penalty", cfg.branchPenalty,
                 "extra cycles of a taken branch")->capture_default_str();
  app.add_option("--jump-penalty", cfg.jumpPenalty,
                 "extra cycles of jal/jalr")->capture_default_str();
  app.add_option("--mulh-cycles", cfg.mulhCycles, "cycles of mulh*")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--div-cycles", cfg.divCycles, "cycles of div/rem")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--fp-latency", cfg.fpLatency,
                 "extra result latency of FP operations")
      ->capture_default_str();
  app.add_option("--fdiv-cycles", cfg.fdivCycles, "cycles of fdiv/fsqrt")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--barrier-latency", cfg.barrierLatency,
                 "cycles from the last barrier arrival to the release")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--dispatch-latency", cfg.dispatchLatency,
                 "cycles from a dispatch push to the receiver's wake-up")
      ->capture_default_str()->check(CLI::Range(1, 1000));
  app.add_option("--dma-bandwidth", cfg.dmaBytesPerCycle,
                 "DMA bytes per cycle")->capture_default_str()
      ->check(CLI::Range(1, 4096));
  app.add_option("--dma-setup", cfg.dmaSetupCycles,
                 "fixed cycles per DMA transfer")->capture_default_str()
      ->check(CLI::Range(0, 100000));
  app.add_option("--dma-ports", cfg.dmaPorts,
                 "TCDM ports of the DMA: its beats take bank slots (0: none)")
      ->capture_default_str();
  app.add_option("--fpus", cfg.fpus,
                 "FPUs shared by core id modulo N (0: one private FPU per "
                 "core)")
      ->capture_default_str();
  app.add_option("--fpu-issue-interval", cfg.fpuIssueInterval,
                 "cycles between two operations an FPU accepts (1: "
                 "pipelined)")
      ->capture_default_str();
  app.add_option("--fdiv-units", cfg.fdivUnits,
                 "FP divide/sqrt units shared by core id modulo N (0: one "
                 "per core)")
      ->capture_default_str();
  app.add_option("--icache", icache,
                 "instruction cache model: on (per-core L0, shared L1) or "
                 "off (perfect)")
      ->capture_default_str()->check(CLI::IsMember({"on", "off"}));
  app.add_option("--icache-l0-refill", cfg.icacheL0Refill,
                 "stall cycles of an L0 miss served by the shared L1")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  app.add_option("--icache-l1-refill", cfg.icacheL1Refill,
                 "extra stall cycles of an L1 miss (refill from L2)")
      ->capture_default_str()->check(CLI::Range(0, 1000));
  app.add_option("--max-cycles", cfg.maxCycles,
                 "stop with an error after this many cycles")
      ->capture_default_str();
  app.add_flag("-q,--quiet", quiet, "do not print the counter summary");
  app.add_option("--stats-json", statsJson,
                 "write counters, configuration and host speed as JSON");
  app.add_flag("--trace", trace, "print an instruction trace (stderr)");
  app.add_option("--trace-file", traceFile,
                 "write the instruction trace to this file");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError &e) {
    if (e.get_exit_code() == 0)
      return app.exit(e);
    app.exit(e);
    return SimErrorExit;
  }
  if ((!l1Size.empty() &&
       !parseSize("--l1-size", l1Size, pulptrain::getL1SizeLimits(),
                  cfg.l1Size)) ||
      (!l2Size.empty() && !parseSize("--l2-size", l2Size,
                                     pulptrain::getL2SizeLimits(),
                                     cfg.l2Size)) ||
      (!l3Size.empty() && !parseSize("--l3-size", l3Size,
                                     pulptrain::getL3SizeLimits(), cfg.l3Size)))
    return SimErrorExit;
  cfg.icache = icache == "on";
  std::string configError;
  if (!checkConfig(cfg, configError))
    return error(configError);
  if (cfg.l1Size < cfg.cores * PULPTRAIN_STACK_SIZE)
    return error("--l1-size is smaller than the stacks of all cores");

  ElfImage image;
  std::string err;
  if (!readElfFile(elf, image, err))
    return error(err);
  Cluster cluster(cfg);
  if (!cluster.load(image, err))
    return error("'" + elf + "': " + err);

  FILE *traceOut = nullptr;
  if (!traceFile.empty()) {
    traceOut = fopen(traceFile.c_str(), "w");
    if (!traceOut)
      return error("cannot write trace file '" + traceFile + "'");
  } else if (trace) {
    traceOut = stderr;
  }
  cluster.setTrace(traceOut);

  RunResult result = cluster.run();
  fflush(stdout);
  if (traceOut && traceOut != stderr)
    fclose(traceOut);
  if (!result.ok)
    return error(result.error);
  if (!quiet)
    printSummary(stderr, cluster, result);
  if (!statsJson.empty() &&
      !writeStatsJson(statsJson, cluster, result, err))
    return error(err);
  return int(result.exitCode & 0xff);
}
